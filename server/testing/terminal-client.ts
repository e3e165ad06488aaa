import { WebSocket } from "ws";
import type { ServerMessage } from "../../lib/terminal/protocol";

/**
 * A headless terminal client for tests and the bench: speaks the /ws/terminal protocol, keeps
 * every output byte and every control message, and waits for text to appear.
 */
export class TerminalClient {
  readonly messages: ServerMessage[] = [];
  private chunks: Buffer[] = [];
  /** The newest output (at most 256 KiB) as text, which is what waits match against. */
  private recent = "";
  private waiters: { test: () => boolean; resolve: () => void }[] = [];
  bytes = 0;
  closeCode: number | null = null;
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(
    readonly ws: WebSocket,
    private keepAll = true,
  ) {
    this.opened = new Promise((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    this.closed = new Promise((resolve) =>
      ws.once("close", (code) => {
        this.closeCode = code;
        this.check();
        resolve(code);
      }),
    );
    ws.on("message", (data: Buffer, isBinary) => {
      if (isBinary) {
        if (this.keepAll) this.chunks.push(data);
        this.bytes += data.length;
        this.recent = (this.recent + data.toString("utf8")).slice(-256 * 1024);
      } else this.messages.push(JSON.parse(data.toString("utf8")) as ServerMessage);
      this.check();
    });
  }

  /** `keepAll: false` keeps only the recent tail (for floods and the bench). */
  static connect(base: string, terminalId: string, headers: Record<string, string>, keepAll = true): TerminalClient {
    const url = `${base.replace(/^http/, "ws")}/ws/terminal?id=${encodeURIComponent(terminalId)}`;
    return new TerminalClient(new WebSocket(url, { headers, perMessageDeflate: false }), keepAll);
  }

  /** Everything received so far, as text. */
  get text(): string {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]?.toString("utf8") ?? "";
  }

  type(text: string) {
    this.ws.send(Buffer.from(text), { binary: true });
  }

  resize(cols: number, rows: number) {
    this.ws.send(JSON.stringify({ t: "resize", cols, rows }));
  }

  /** Resolves once `test` holds (checked on every frame); rejects after `timeoutMs`. */
  until(test: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}; got: ${JSON.stringify(this.recent.slice(-300))}`));
      }, timeoutMs);
      const waiter = {
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  untilText(pattern: RegExp | string, timeoutMs?: number) {
    const re = typeof pattern === "string" ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : pattern;
    return this.until(() => re.test(this.recent), `output ${re}`, timeoutMs);
  }

  untilMessage<T extends ServerMessage["t"]>(t: T, timeoutMs?: number): Promise<Extract<ServerMessage, { t: T }>> {
    return this.until(() => this.messages.some((m) => m.t === t), `a "${t}" message`, timeoutMs).then(
      () => this.messages.find((m) => m.t === t) as Extract<ServerMessage, { t: T }>,
    );
  }

  close() {
    this.ws.close();
    return this.closed;
  }

  private check() {
    const ready = this.waiters.filter((w) => w.test());
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }
}
