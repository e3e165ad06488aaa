import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import { isAllowedHost } from "../../lib/http/hosts";
import { createRateLimiter } from "../../lib/rate-limit";
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
import { clientIp, originAllowed } from "./request-info";
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
  /** Failed `Authorization: Bearer` attempts allowed per client IP per minute (default 20). */
  bearerAttemptsPerMinute?: number;
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

/** Who may be cut off together: one owner device, one CLI token, or everyone holding one share link. */
function streamKey(principal: Principal): string {
  return principal.kind === "share" ? `share:${principal.shareId}` : `${principal.kind}:${principal.sessionId}`;
}

/** The token of an `Authorization: Bearer …` header; "" for a Bearer header without one; null without. */
function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (typeof header !== "string") return null;
  const m = /^Bearer(?:\s+(\S*))?\s*$/i.exec(header);
  return m ? (m[1] ?? "") : null;
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

const BEARER_REFUSED = "The bridge refused this CLI token (revoked, or from another data dir).";

function tooManyBearers(res: ServerResponse, seconds: number) {
  return sendError(res, 429, `Too many refused tokens. Try again in ${seconds} s.`, { retryAfterSeconds: seconds });
}

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

  const bearerLimiter = createRateLimiter({ limit: options.bearerAttemptsPerMinute ?? 20, windowMs: 60_000 });

  /**
   * Who is asking. A request with `Authorization: Bearer` is the CLI and nothing else: its
   * cookies are ignored, and only a live `cli` token passes (refusals are counted per client IP).
   * Otherwise an owner session cookie wins; then a share-link cookie, re-checked (expiry,
   * revocation) on every request. `refusal` says why a credential no longer works.
   */
  async function identify(
    req: IncomingMessage,
  ): Promise<{ principal: Principal | null; refusal?: { reason: string; message: string }; limited?: number }> {
    const bearer = bearerToken(req);
    if (bearer !== null) {
      // The token is checked first, so a valid one is never locked out by someone else's refused
      // attempts from the same address (every local caller is 127.0.0.1). Only refusals count,
      // and `hit` records and decides in one step, so a concurrent burst cannot slip past.
      // (A 256-bit token cannot be guessed; the limit keeps a stale script from hammering the DB.)
      const cli = await services.auth.authenticateBearer(bearer);
      if (cli) return { principal: cli };
      const gate = bearerLimiter.hit(clientIp(req));
      if (!gate.allowed) return { principal: null, limited: Math.ceil(gate.retryAfterMs / 1000) };
      return { principal: null, refusal: { reason: "token", message: BEARER_REFUSED } };
    }
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
  services.bus.subscribe("devices.revoked", ({ sessionId }) => {
    cut(`owner:${sessionId}`);
    cut(`cli:${sessionId}`);
  });
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
      // The Origin check defends cookies against cross-site forms and fetches. A request carrying
      // `Authorization` cannot be one: a browser attaches that header cross-origin only after a
      // CORS preflight, which the bridge never grants, and it carries no cookie authority here
      // (Bearer requests are authenticated by the token alone, see identify). Only tRPC takes a
      // Bearer token, so only there does it stand in for the Origin.
      const bearerCall = pathname.startsWith(TRPC_PREFIX) && bearerToken(req) !== null;
      if (MUTATING.has(req.method ?? "") && !bearerCall && !originAllowed(req)) {
        return sendError(res, 403, "Cross-origin request refused.");
      }
      if (pathname.startsWith(TRPC_PREFIX)) {
        const who = await identify(req);
        if (who.limited) return tooManyBearers(res, who.limited);
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
      if ("limited" in who && who.limited) return tooManyBearers(res, who.limited);
      const principal = who.principal;
      const unauthorized = who.refusal?.message ?? "Pair this device first.";
      if (!route) return principal ? sendError(res, 404, "No such route.") : sendError(res, 401, unauthorized);
      if (route.method !== req.method) return sendError(res, 405, `Use ${route.method}.`);
      if (route.access !== "public" && !principal) return sendError(res, 401, unauthorized);
      // Plain routes (uploads, logout) belong to the paired browser; the CLI works through tRPC.
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
    // Pages are for paired browsers; a CLI token opens the API only.
    if (who.principal.kind === "cli") return sendError(res, 403, "A CLI token opens the API only; open the app on a paired device.");
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
    // Websockets (terminals) are the paired browser's; the CLI has no use for a shell here.
    if (principal.kind === "cli") return refuse(403, "Forbidden");
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
