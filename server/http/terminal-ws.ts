import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import {
  CLOSE_NO_TERMINAL,
  CLOSE_TERMINAL_CLOSED,
  parseClientMessage,
  TERMINAL_WS_PATH,
  type ServerMessage,
} from "../../lib/terminal/protocol";
import type { OwnerPrincipal } from "../auth/service";
import type { Services } from "../services";
import type { Attachment } from "../services/terminals/service";
import type { WsRoute } from "./types";

export interface TerminalWsOptions {
  /** Unsent bytes on a client's socket above which the pty is paused (default 1 MiB)… */
  highWaterBytes?: number;
  /** …and below which it runs again (default 128 KiB). */
  lowWaterBytes?: number;
  /** A client that keeps the pty paused this long is dropped (default 15 s). */
  stallMs?: number;
  /** Ping period; a client that misses a pong is dropped (default 30 s). */
  heartbeatMs?: number;
}

/**
 * `/ws/terminal`: one command terminal's bytes over a websocket (protocol in
 * lib/terminal/protocol.ts). The bridge has already checked the session cookie and the Origin.
 */
export function terminalWsRoute(services: Services, options: TerminalWsOptions = {}): WsRoute {
  const high = options.highWaterBytes ?? 1024 * 1024;
  const low = options.lowWaterBytes ?? 128 * 1024;
  const stallMs = options.stallMs ?? 15_000;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024, perMessageDeflate: false });
  const bySession = new Map<string, Set<WebSocket>>();

  // Revoking a device also cuts its terminals.
  services.bus.subscribe("devices.revoked", ({ sessionId }) => {
    for (const ws of bySession.get(sessionId) ?? []) ws.terminate();
  });

  const alive = new WeakMap<WebSocket, boolean>();
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, heartbeatMs);
  heartbeat.unref();

  function serve(ws: WebSocket, socket: Duplex, terminalId: string, principal: OwnerPrincipal) {
    const control = (msg: ServerMessage) => ws.send(JSON.stringify(msg));
    let attachment: Attachment;
    let stallTimer: NodeJS.Timeout | null = null;
    let held = false;

    const releaseIfDrained = () => {
      if (!held) return;
      if (ws.bufferedAmount > low) {
        socket.once("drain", releaseIfDrained);
        return;
      }
      held = false;
      if (stallTimer) clearTimeout(stallTimer);
      stallTimer = null;
      attachment.release();
    };

    try {
      attachment = services.terminals.attach(terminalId, {
        data(chunk, borrow) {
          if (ws.readyState !== ws.OPEN) return;
          // The socket may write it later: the batch stays lent until it has.
          ws.send(chunk, { binary: true }, borrow());
          if (!held && ws.bufferedAmount > high) {
            held = true;
            attachment.hold();
            // The socket says when its buffer is empty again; no per-frame callbacks needed.
            socket.once("drain", releaseIfDrained);
            stallTimer = setTimeout(() => ws.terminate(), stallMs);
            // A socket that never drains is not waited on forever.
            stallTimer.unref();
          }
        },
        exit(exit) {
          if (ws.readyState === ws.OPEN) control({ t: "exit", ...exit });
        },
        closed(reason) {
          if (ws.readyState !== ws.OPEN) return;
          control({ t: "closed", reason });
          ws.close(CLOSE_TERMINAL_CLOSED, reason.slice(0, 100));
        },
      });
    } catch {
      ws.close(CLOSE_NO_TERMINAL, "no such terminal");
      return;
    }

    const sockets = bySession.get(principal.sessionId) ?? new Set();
    bySession.set(principal.sessionId, sockets.add(ws));
    alive.set(ws, true);

    const { info, snapshot } = attachment;
    control({ t: "attached", id: info.id, cols: info.cols, rows: info.rows, exit: info.exit });
    if (snapshot.length > 0) ws.send(snapshot, { binary: true });

    ws.on("pong", () => alive.set(ws, true));
    ws.on("message", (data: RawData, isBinary) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (isBinary) return attachment.input(buf);
      const msg = parseClientMessage(buf.toString("utf8"));
      if (msg?.t === "resize") attachment.resize(msg.cols, msg.rows);
    });
    ws.on("close", () => {
      if (stallTimer) clearTimeout(stallTimer);
      attachment.detach();
      sockets.delete(ws);
      if (sockets.size === 0) bySession.delete(principal.sessionId);
    });
    ws.on("error", () => ws.terminate());
  }

  return {
    path: TERMINAL_WS_PATH,
    handle(req: IncomingMessage, socket, head, principal) {
      // The bridge already refuses share sessions here (no `allowShare`); a shell is the owner's alone.
      if (principal.kind !== "owner") {
        socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
        return;
      }
      const id = new URL(req.url ?? "/", "http://bridge").searchParams.get("id") ?? "";
      wss.handleUpgrade(req, socket, head, (ws) => serve(ws, socket, id, principal));
    },
  };
}

/** Every websocket route of the bridge. */
export function createWsRoutes(services: Services, options: { terminal?: TerminalWsOptions } = {}): WsRoute[] {
  return [terminalWsRoute(services, options.terminal)];
}
