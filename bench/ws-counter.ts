/**
 * The bench's headless terminal client, lean on purpose: a websocket client over a plain TCP
 * socket that does the RFC 6455 handshake, then reads server frames as they stream by, counting
 * binary payload bytes and keeping the last few, without assembling messages (no copy, no
 * allocation per frame or per read). It runs in the bench's own process, so its cost would be counted
 * against the bridge: it should cost as little as a client can.
 */
import { createHash, randomBytes } from "node:crypto";
import net from "node:net";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** A frame header's length once its first `h.length` bytes are known. */
function headerLength(h: Buffer): number {
  if (h.length < 2) return 2;
  const len7 = h[1]! & 0x7f;
  return len7 === 127 ? 10 : len7 === 126 ? 4 : 2;
}

export interface WsCounter {
  /** Binary payload bytes received so far. */
  readonly bytes: number;
  /** Sends a binary frame (masked, as a client must). */
  send(data: Buffer): void;
  /** Resolves once `text` appears in the binary payload stream. */
  waitFor(text: string): Promise<void>;
  close(): void;
}

/** Connects to `url` (ws://) with the given headers; resolves once the upgrade is accepted. */
export function connectWsCounter(url: string, headers: Record<string, string>): Promise<WsCounter> {
  const { hostname, port, pathname, search, host } = new URL(url);
  const key = randomBytes(16).toString("base64");
  const accept = createHash("sha1")
    .update(key + GUID)
    .digest("base64");
  // Reads land in one reused 1 MiB buffer (no allocation per read, fewer reads), and are
  // handled in place: the handshake first, then frames.
  let onBytes: (data: Buffer) => void = () => {};
  const readBuffer = Buffer.allocUnsafe(1 << 20);
  const onread = { buffer: readBuffer, callback: (n: number) => (onBytes(readBuffer.subarray(0, n)), true) };
  const socket = net.connect({ port: Number(port), host: hostname, onread });
  socket.setNoDelay(true);

  let bytes = 0;
  let tail = "";
  let waiting: { text: string; resolve: () => void } | null = null;
  // Frame parser state: bytes of header gathered so far, then payload bytes left in the frame.
  let header = Buffer.alloc(0);
  let payloadLeft = 0;
  let binaryFrame = false;

  const onPayload = (part: Buffer) => {
    if (!binaryFrame) return;
    bytes += part.length;
    tail = (tail + part.subarray(-64).toString("latin1")).slice(-64);
    if (waiting && tail.includes(waiting.text)) {
      const { resolve } = waiting;
      waiting = null;
      resolve();
    }
  };

  const onFrames = (data: Buffer) => {
    let at = 0;
    while (at < data.length) {
      if (payloadLeft > 0) {
        const part = data.subarray(at, at + payloadLeft);
        payloadLeft -= part.length;
        at += part.length;
        onPayload(part);
        continue;
      }
      // A header: 2 bytes, then 2 or 8 more for a longer payload (a server never masks).
      let need = headerLength(header);
      while (header.length < need && at < data.length) {
        const take = Math.min(need - header.length, data.length - at);
        header = Buffer.concat([header, data.subarray(at, at + take)]);
        at += take;
        need = headerLength(header);
      }
      if (header.length < need) break; // the rest of the header comes with the next read
      const opcode = header[0]! & 0x0f;
      if (opcode === 0x2) binaryFrame = true;
      else if (opcode !== 0x0) binaryFrame = false; // a continuation keeps its message's kind
      const len7 = header[1]! & 0x7f;
      payloadLeft = len7 === 127 ? Number(header.readBigUInt64BE(2)) : len7 === 126 ? header.readUInt16BE(2) : len7;
      header = Buffer.alloc(0);
    }
  };

  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.once("connect", () => {
      const lines = [
        `GET ${pathname}${search} HTTP/1.1`,
        `Host: ${host}`,
        "Upgrade: websocket",
        "Connection: Upgrade",
        `Sec-WebSocket-Key: ${key}`,
        "Sec-WebSocket-Version: 13",
      ];
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    });
    let response = Buffer.alloc(0);
    const onHandshake = (data: Buffer) => {
      response = Buffer.concat([response, data]);
      const end = response.indexOf("\r\n\r\n");
      if (end < 0) return;
      onBytes = onFrames;
      const head = response.subarray(0, end).toString("latin1");
      if (!/^HTTP\/1\.1 101 /.test(head) || !head.toLowerCase().includes(`sec-websocket-accept: ${accept.toLowerCase()}`)) {
        socket.destroy();
        reject(new Error(`websocket upgrade refused: ${head.split("\r\n")[0]}`));
        return;
      }
      onFrames(response.subarray(end + 4));
      resolve({
        get bytes() {
          return bytes;
        },
        send(data) {
          const mask = randomBytes(4);
          const masked = Buffer.from(data);
          for (let i = 0; i < masked.length; i++) masked[i]! ^= mask[i & 3]!;
          const len = masked.length;
          const head = len < 126 ? Buffer.from([0x82, 0x80 | len]) : Buffer.from([0x82, 0x80 | 126, len >> 8, len & 0xff]);
          socket.write(Buffer.concat([head, mask, masked]));
        },
        waitFor(text) {
          if (tail.includes(text)) return Promise.resolve();
          return new Promise((done) => (waiting = { text, resolve: done }));
        },
        close() {
          socket.destroy();
        },
      });
    };
    onBytes = onHandshake;
  });
}
