import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Principal } from "../auth/service";
import type { Services } from "../services";

/**
 * The shapes the bridge server and its route modules share. They live apart from both so a
 * route module never imports the server that mounts it (and the server imports no routes: main
 * passes them in).
 */

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  services: Services;
  principal: Principal | null;
}

/**
 * The bridge's plain HTTP routes (everything else is tRPC or pages). Each names its access:
 * "public" routes are the only ones reachable without a session, and a test walks this table.
 */
export interface HttpRoute {
  method: "GET" | "POST";
  path: string;
  access: "public" | "owner";
  handle(ctx: RouteContext): Promise<void> | void;
}

/**
 * A websocket endpoint; called only for authenticated, same-origin upgrades. Owner-only unless
 * it sets `allowShare` (then it must check the share principal's scope itself).
 */
export interface WsRoute {
  path: string;
  allowShare?: boolean;
  handle(req: IncomingMessage, socket: Duplex, head: Buffer, principal: Principal): void;
}

export interface NextHandlers {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
}
