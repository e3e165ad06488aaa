import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import { isAllowedHost } from "../../lib/http/hosts";
import superjson, { type SuperJSONResult } from "superjson";
import { shareHome, sharePageAllowed } from "../../lib/share/scope";
import type { Principal } from "../auth/service";
import { checkShareCall } from "../auth/share-access";
import { createContextFromRequest } from "../context";
import { errorText } from "../errors";
import { appRouter } from "../routers/_app";
import { PROCEDURES } from "../routers/procedures";
import type { Services } from "../services";
import { readCookie, SESSION_COOKIE, SHARE_COOKIE } from "./cookies";
import { originAllowed } from "./request-info";
import { sendError } from "./respond";
import { setSecurityHeaders } from "./security-headers";
import { serveSubscription } from "./sse-subscriptions";
import type { HttpRoute, NextHandlers, WsRoute } from "./types";

export interface BridgeOptions {
  services: Services;
  next?: NextHandlers;
  /** The plain HTTP routes (`createRoutes()`); passed in so this server imports no route module. */
  routes: HttpRoute[];
  /** The websocket endpoints (`createWsRoutes(services)`). */
  wsRoutes: WsRoute[];
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
const SUBSCRIPTIONS = new Map(PROCEDURES.filter((p) => p.type === "subscription").map((p) => [p.path, p]));

/** The procedure path the way tRPC decodes it; a malformed escape stays as is (tRPC answers 400). */
function decodedPath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** A subscription's input from its query string (superjson), or undefined when unreadable. */
function subscriptionInput(url: URL): unknown {
  const raw = url.searchParams.get("input");
  if (!raw) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return isSuperJson(parsed) ? superjson.deserialize(parsed) : undefined;
  } catch {
    return undefined;
  }
}

/** Superjson's wire shape, as far as `deserialize` needs it (without `json` it reads back undefined). */
const isSuperJson = (v: unknown): v is SuperJSONResult => typeof v === "object" && v !== null && "json" in v;

/** Who may be cut off together: one owner device, or everyone holding one share link. */
function streamKey(principal: Principal): string {
  return principal.kind === "owner" ? `owner:${principal.sessionId}` : `share:${principal.shareId}`;
}

/** Pages and files anyone may load: the pairing screen and the app shell's static parts. */
function isPublicAsset(pathname: string): boolean {
  return (
    pathname === "/pair" ||
    pathname === "/share" ||
    pathname === "/offline" ||
    pathname.startsWith("/_next/static/") ||
    pathname.startsWith("/icons/") ||
    pathname === "/manifest.webmanifest" ||
    pathname === "/sw.js" ||
    pathname === "/sw-push.js" ||
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
  const routes = options.routes;
  const wsRoutes = new Map(options.wsRoutes.map((r) => [r.path, r]));
  const allowedHosts = options.allowedHosts ?? (() => []);

  /**
   * Who is asking: an owner session cookie wins; otherwise a share-link cookie, re-checked
   * (expiry, revocation) on every request. `refusal` says why a share cookie no longer works.
   */
  async function identify(req: IncomingMessage): Promise<{ principal: Principal | null; refusal?: { reason: string; message: string } }> {
    const owner = await services.auth.authenticate(readCookie(req, SESSION_COOKIE));
    if (owner) return { principal: owner };
    const share = await services.share.authenticate(readCookie(req, SHARE_COOKIE));
    if (!share) return { principal: null };
    return share.ok ? { principal: share.principal } : { principal: null, refusal: { reason: share.reason, message: share.message } };
  }
  const authenticate = async (req: IncomingMessage) => (await identify(req)).principal;

  // Open SSE streams per owner session or share link, so revoking one also cuts its live streams.
  const openStreams = new Map<string, Set<ServerResponse>>();
  const cut = (key: string) => {
    for (const res of openStreams.get(key) ?? []) res.destroy();
    openStreams.delete(key);
  };
  services.bus.subscribe("devices.revoked", ({ sessionId }) => cut(`owner:${sessionId}`));
  services.bus.subscribe("share.revoked", ({ shareId }) => cut(`share:${shareId}`));
  function trackStream(principal: Principal, res: ServerResponse) {
    const key = streamKey(principal);
    const set = openStreams.get(key) ?? new Set();
    openStreams.set(key, set.add(res));
    // A share link's streams end when the link does, even if nobody revokes it.
    const expiry =
      principal.kind === "share"
        ? setTimeout(
            () => res.destroy(),
            Math.min(Math.max(0, principal.expiresAt.getTime() - services.share.now().getTime()), 2 ** 31 - 1),
          )
        : null;
    res.once("close", () => {
      if (expiry) clearTimeout(expiry);
      set.delete(res);
      if (set.size === 0) openStreams.delete(key);
    });
  }

  async function handle(req: IncomingMessage & { principal?: Principal | null; refusal?: string }, res: ServerResponse) {
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
        const who = await identify(req);
        req.principal = who.principal;
        req.refusal = who.refusal?.message;
        const procedurePath = pathname.slice(TRPC_PREFIX.length);
        // Look it up as tRPC will run it: tRPC percent-decodes the path once, so `turns%2EonEvent`
        // is `turns.onEvent` and must be checked and tracked like it (or revoking misses it).
        const subscription = SUBSCRIPTIONS.get(decodedPath(procedurePath));
        if (subscription) {
          if (!req.principal) return sendError(res, 401, req.refusal ?? "Pair this device first.");
          if (req.principal.kind === "share") {
            // Refuse out-of-scope streams with a real 403, before a 200 stream opens.
            const verdict = await checkShareCall(services, req.principal, {
              meta: subscription.meta,
              type: "subscription",
              rawInput: subscriptionInput(url),
            });
            if (!verdict.ok) return sendError(res, 403, verdict.message);
          }
          trackStream(req.principal, res);
        }
        const createContext = () => createContextFromRequest(services, req);
        const onError = ({ error, path }: { error: { code: string; message: string; cause?: Error }; path?: string }) => {
          if (error.code === "INTERNAL_SERVER_ERROR") log(`trpc ${path}: ${error.cause?.stack ?? error.message}`);
        };
        if (
          subscription &&
          (await serveSubscription({ router: appRouter, path: decodedPath(procedurePath), req, res, url, createContext, onError }))
        )
          return;
        return nodeHTTPRequestHandler({ router: appRouter, req, res, path: procedurePath, createContext, onError });
      }
      const route = routes.find((r) => r.path === pathname);
      const who = route?.access === "public" ? { principal: null } : await identify(req);
      const principal = who.principal;
      const unauthorized = who.refusal?.message ?? "Pair this device first.";
      if (!route) return principal ? sendError(res, 404, "No such route.") : sendError(res, 401, unauthorized);
      if (route.method !== req.method) return sendError(res, 405, `Use ${route.method}.`);
      if (route.access !== "public" && !principal) return sendError(res, 401, unauthorized);
      if (route.access === "owner" && principal?.kind !== "owner") return sendError(res, 403, "Only the owner can do that.");
      return route.handle({ req, res, services, principal });
    }

    if (!next) return sendError(res, 404, "Not found.");
    if (isPublicAsset(pathname)) return next.handle(req, res);
    const who = await identify(req);
    const redirect = (location: string) => {
      res.writeHead(302, { location, "cache-control": "no-store" });
      res.end();
    };
    if (!who.principal) {
      // A teammate whose link ended is told why; anyone else is sent to pairing.
      if (wantsHtml(req)) return redirect(who.refusal ? `/share?ended=${who.refusal.reason}` : "/pair");
      return sendError(res, 401, who.refusal?.message ?? "Pair this device first.");
    }
    if (who.principal.kind === "share" && !sharePageAllowed(who.principal, pathname)) {
      if (wantsHtml(req)) return redirect(shareHome(who.principal));
      return sendError(res, 403, "This page is not shared with you.");
    }
    return next.handle(req, res);
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const pathname = new URL(req.url ?? "/", "http://bridge").pathname;
    // The Host check comes first for every upgrade, Next's own included (DNS rebinding).
    if (!isAllowedHost(req.headers.host, allowedHosts())) return refuse(403, "Forbidden");
    if (next?.upgrade && pathname.startsWith("/_next/")) return next.upgrade(req, socket, head);
    const principal = await authenticate(req);
    if (!principal) return refuse(401, "Unauthorized");
    if (!originAllowed(req)) return refuse(403, "Forbidden");
    const route = wsRoutes.get(pathname);
    if (!route) return refuse(404, "Not Found");
    // Terminals and every other socket are the owner's unless a route opts in.
    if (principal.kind === "share" && !route.allowShare) return refuse(403, "Forbidden");
    route.handle(req, socket, head, principal);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      log(`request ${req.method} ${req.url} failed: ${errorText(err)}`);
      if (!res.headersSent) sendError(res, 500, "The bridge hit an internal error; see its log.");
      else res.destroy();
    });
  });
  server.on("upgrade", (req, socket, head) => {
    socket.on("error", () => socket.destroy());
    upgrade(req, socket, head).catch((err) => {
      log(`upgrade ${req.url} failed: ${errorText(err)}`);
      socket.destroy();
    });
  });
  return server;
}
