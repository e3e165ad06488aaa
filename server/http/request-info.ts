import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";

/** Proxy headers are believed only from loopback (the tunnel's cloudflared runs locally). */
export function fromLoopback(req: IncomingMessage): boolean {
  const a = req.socket.remoteAddress ?? "";
  return a === "127.0.0.1" || a === "::1" || a === "::ffff:127.0.0.1";
}

function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.split(",")[0]?.trim() || undefined;
}

export function isHttps(req: IncomingMessage): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  return fromLoopback(req) && firstHeader(req, "x-forwarded-proto") === "https";
}

/** The caller's address, for rate limits: the proxy's word only when the proxy is local. */
export function clientIp(req: IncomingMessage): string {
  if (fromLoopback(req)) {
    const forwarded = firstHeader(req, "cf-connecting-ip") ?? firstHeader(req, "x-forwarded-for");
    if (forwarded) return forwarded;
  }
  return req.socket.remoteAddress ?? "unknown";
}

/** The origin this request was addressed to (scheme + Host), which a same-origin page sends. */
export function expectedOrigin(req: IncomingMessage): string {
  return `${isHttps(req) ? "https" : "http"}://${req.headers.host ?? ""}`;
}

/** State-changing requests from a browser must carry our own Origin (CSRF defence in depth). */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  return typeof origin === "string" && origin === expectedOrigin(req);
}
