import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import { isAllowedHost } from "../../lib/http/hosts";
import type { Principal } from "../auth/service";
import { createContextFromRequest } from "../context";
import { appRouter } from "../routers/_app";
import { PROCEDURES } from "../routers/procedures";
import type { Services } from "../services";
import type { HttpRoute } from "./auth-routes";
import { createRoutes } from "./routes";
import { readCookie, SESSION_COOKIE } from "./cookies";
import { originAllowed } from "./request-info";
import { sendError } from "./respond";
import { setSecurityHeaders } from "./security-headers";

export interface NextHandlers {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
}

/** A websocket endpoint; called only for authenticated, same-origin upgrades. */
export interface WsRoute {
  path: string;
  handle(req: IncomingMessage, socket: Duplex, head: Buffer, principal: Principal): void;
}

export interface BridgeOptions {
  services: Services;
  next?: NextHandlers;
  wsRoutes?: WsRoute[];
  routes?: HttpRoute[];
  /** Host names accepted besides IP literals, localhost and *.local (DNS-rebinding guard). */
  allowedHosts?: () => readonly string[];
  log?: (line: string) => void;
  /** Next dev mode (its scripts need eval). */
  dev?: boolean;
}

const TRPC_PREFIX = "/api/trpc/";

/**
 * tRPC streams subscriptions over SSE and reports a failing middleware inside a 200 stream.
 * Strangers get a plain 401 before any stream opens instead.
 */
const SUBSCRIPTION_PATHS = new Set(PROCEDURES.filter((p) => p.type === "subscription").map((p) => p.path));

/** Pages and files anyone may load: the pairing screen and the app shell's static parts. */
function isPublicAsset(pathname: string): boolean {
  return (
    pathname === "/pair" ||
    pathname === "/offline" ||
    pathname.startsWith("/_next/static/") ||
    pathname.startsWith("/icons/") ||
    pathname === "/manifest.webmanifest" ||
    pathname === "/sw.js" ||
    pathname === "/favicon.ico" ||
    pathname === "/apple-touch-icon.png" ||
    pathname === "/robots.txt"
  );
}

function wantsHtml(req: IncomingMessage): boolean {
  return req.method === "GET" && (req.headers.accept ?? "").includes("text/html") && !req.headers.rsc;
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The bridge's one HTTP server: host check, then auth, then tRPC, plain routes, websockets and
 * Next pages. Authentication happens here once per request; tRPC's `protectedProcedure` and the
 * route table's `access` decide what an unauthenticated caller gets (401).
 */
export function createBridgeServer(options: BridgeOptions) {
  const { services, next } = options;
  const log = options.log ?? ((line) => console.error(line));
  const routes = options.routes ?? createRoutes();
  const wsRoutes = new Map((options.wsRoutes ?? []).map((r) => [r.path, r]));
  const allowedHosts = options.allowedHosts ?? (() => []);

  const authenticate = (req: IncomingMessage) => services.auth.authenticate(readCookie(req, SESSION_COOKIE));

  // Open SSE streams per owner session, so revoking a device also cuts its live streams.
  const openStreams = new Map<string, Set<ServerResponse>>();
  services.bus.subscribe("devices.revoked", ({ sessionId }) => {
    for (const res of openStreams.get(sessionId) ?? []) res.destroy();
    openStreams.delete(sessionId);
  });
  function trackStream(sessionId: string, res: ServerResponse) {
    const set = openStreams.get(sessionId) ?? new Set();
    openStreams.set(sessionId, set.add(res));
    res.once("close", () => {
      set.delete(res);
      if (set.size === 0) openStreams.delete(sessionId);
    });
  }

  async function handle(req: IncomingMessage & { principal?: Principal | null }, res: ServerResponse) {
    setSecurityHeaders(req, res, { dev: options.dev });
    if (!isAllowedHost(req.headers.host, allowedHosts())) {
      return sendError(res, 403, `Unknown host ${JSON.stringify(req.headers.host ?? "")}. Add it to MAESTRO_ALLOWED_HOSTS to allow it.`);
    }
    const url = new URL(req.url ?? "/", "http://bridge");
    const { pathname } = url;

    if (pathname.startsWith("/api/")) {
      if (MUTATING.has(req.method ?? "") && !originAllowed(req)) {
        return sendError(res, 403, "Cross-origin request refused.");
      }
      if (pathname.startsWith(TRPC_PREFIX)) {
        req.principal = await authenticate(req);
        const procedurePath = pathname.slice(TRPC_PREFIX.length);
        if (SUBSCRIPTION_PATHS.has(procedurePath)) {
          if (!req.principal) return sendError(res, 401, "Pair this device first.");
          trackStream(req.principal.sessionId, res);
        }
        return nodeHTTPRequestHandler({
          router: appRouter,
          req,
          res,
          path: procedurePath,
          createContext: () => createContextFromRequest(services, req),
          onError: ({ error, path }) => {
            if (error.code === "INTERNAL_SERVER_ERROR") log(`trpc ${path}: ${error.cause?.stack ?? error.message}`);
          },
        });
      }
      const route = routes.find((r) => r.path === pathname);
      const principal = route?.access === "public" ? null : await authenticate(req);
      if (!route) return principal ? sendError(res, 404, "No such route.") : sendError(res, 401, "Pair this device first.");
      if (route.method !== req.method) return sendError(res, 405, `Use ${route.method}.`);
      if (route.access !== "public" && !principal) return sendError(res, 401, "Pair this device first.");
      return route.handle({ req, res, services, principal });
    }

    if (!next) return sendError(res, 404, "Not found.");
    if (!isPublicAsset(pathname) && !(await authenticate(req))) {
      if (wantsHtml(req)) {
        res.writeHead(302, { location: "/pair", "cache-control": "no-store" });
        return res.end();
      }
      return sendError(res, 401, "Pair this device first.");
    }
    return next.handle(req, res);
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const pathname = new URL(req.url ?? "/", "http://bridge").pathname;
    if (next?.upgrade && pathname.startsWith("/_next/")) return next.upgrade(req, socket, head);
    if (!isAllowedHost(req.headers.host, allowedHosts())) return refuse(403, "Forbidden");
    const principal = await authenticate(req);
    if (!principal) return refuse(401, "Unauthorized");
    if (!originAllowed(req)) return refuse(403, "Forbidden");
    const route = wsRoutes.get(pathname);
    if (!route) return refuse(404, "Not Found");
    route.handle(req, socket, head, principal);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      log(`request ${req.method} ${req.url} failed: ${err?.stack ?? err}`);
      if (!res.headersSent) sendError(res, 500, "The bridge hit an internal error; see its log.");
      else res.destroy();
    });
  });
  server.on("upgrade", (req, socket, head) => {
    socket.on("error", () => socket.destroy());
    upgrade(req, socket, head).catch((err) => {
      log(`upgrade ${req.url} failed: ${err?.stack ?? err}`);
      socket.destroy();
    });
  });
  return server;
}
