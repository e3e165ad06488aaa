import { createRateLimiter } from "../../lib/rate-limit";
import { shareHome } from "../../lib/share/scope";
import type { HttpRoute } from "./types";
import { shareCookie } from "./cookies";
import { clientIp, isHttps } from "./request-info";
import { readJsonBody, sendError, sendJson } from "./respond";

/**
 * `POST /api/share/open {token}`: a teammate's browser exchanges the token from a
 * `/share#token=…` link for the `maestro_share` cookie. Bad tokens (garbled, unknown, expired,
 * revoked) count against the client's address; past the limit every attempt answers 429 until
 * the window ends, so links cannot be guessed or replayed in bulk.
 */
export function createShareRoutes(options: { badShareAttemptsPerMinute?: number } = {}): HttpRoute[] {
  const badTokens = createRateLimiter({ limit: options.badShareAttemptsPerMinute ?? 10, windowMs: 60_000 });

  return [
    {
      method: "POST",
      path: "/api/share/open",
      access: "public",
      async handle({ req, res, services }) {
        const ip = clientIp(req);
        const gate = badTokens.check(ip);
        if (!gate.allowed) {
          const seconds = Math.ceil(gate.retryAfterMs / 1000);
          return sendError(res, 429, `Too many invalid share links from this address. Try again in ${seconds} s.`, {
            retryAfterSeconds: seconds,
          });
        }
        const body = (await readJsonBody(req)) as { token?: unknown } | null;
        if (!body) return sendError(res, 400, 'Send JSON: {"token": "…"}.');
        const result = await services.share.open(body.token, { ip, userAgent: req.headers["user-agent"] ?? "" });
        if (!result.ok) {
          badTokens.hit(ip);
          return sendError(res, 401, result.message, { reason: result.reason });
        }
        const p = result.principal;
        sendJson(
          res,
          200,
          { ok: true, home: shareHome(p), scope: p.scope, permission: p.permission, label: p.label, expiresAt: p.expiresAt.toISOString() },
          { "set-cookie": shareCookie(body.token as string, p.expiresAt, isHttps(req), services.share.now().getTime()) },
        );
      },
    },
  ];
}
