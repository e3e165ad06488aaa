import { randomUUID } from "node:crypto";
import { createRateLimiter } from "../../lib/rate-limit";
import { AppError, HTTP_STATUS } from "../errors";
import { VERSION } from "../version";
import { clearedSessionCookie, sessionCookie } from "./cookies";
import { clientIp, isHttps } from "./request-info";
import { readJsonBody, sendError, sendJson } from "./respond";
import type { HttpRoute } from "./types";

export function createAuthRoutes(options: { pairAttemptsPerMinute?: number; instanceId?: string } = {}): HttpRoute[] {
  // Per bridge start (main.ts passes the one it writes to bridge.json): lets the CLI tell this
  // bridge from another process that reused its pid or port. Not a secret.
  const instanceId = options.instanceId ?? randomUUID();
  const pairLimiter = createRateLimiter({ limit: options.pairAttemptsPerMinute ?? 10, windowMs: 60_000 });

  return [
    {
      method: "GET",
      path: "/api/health",
      access: "public",
      handle: ({ res }) => sendJson(res, 200, { ok: true, instanceId, version: VERSION }),
    },
    {
      method: "POST",
      path: "/api/auth/pair",
      access: "public",
      async handle({ req, res, services }) {
        const decision = pairLimiter.hit(clientIp(req));
        if (!decision.allowed) {
          const seconds = Math.ceil(decision.retryAfterMs / 1000);
          return sendError(res, 429, `Too many pairing attempts. Try again in ${seconds} s.`, { retryAfterSeconds: seconds });
        }
        const body = (await readJsonBody(req)) as { token?: unknown; deviceName?: unknown } | null;
        if (!body) return sendError(res, 400, 'Send JSON: {"token": "…", "deviceName": "…"}.');
        try {
          const { sessionToken } = await services.auth.pair(body.token, {
            deviceName: typeof body.deviceName === "string" ? body.deviceName.trim() : "",
            userAgent: req.headers["user-agent"] ?? "",
          });
          sendJson(res, 200, { ok: true }, { "set-cookie": sessionCookie(sessionToken, isHttps(req)) });
        } catch (err) {
          if (err instanceof AppError) return sendError(res, HTTP_STATUS[err.code], err.message, { hint: err.details.hint });
          throw err;
        }
      },
    },
    {
      method: "POST",
      path: "/api/auth/logout",
      access: "owner",
      async handle({ req, res, services, principal }) {
        // Announced like a revoke from Settings: the device's streams end and its pushes stop.
        if (principal?.kind === "owner") await services.auth.revokeDevice(principal.sessionId);
        sendJson(res, 200, { ok: true }, { "set-cookie": clearedSessionCookie(isHttps(req)) });
      },
    },
  ];
}
