import http, { type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { WebSocket } from "ws";
import { hashToken } from "../auth/tokens";
import { createTestServices, pairedOwner, startTestBridge } from "../testing/harness";
import { createRoutes } from "./routes";

let services: ReturnType<typeof createTestServices>;
let bridge: Awaited<ReturnType<typeof startTestBridge>>;
const pages: string[] = [];
const sockets: string[] = [];

beforeAll(async () => {
  services = createTestServices();
  bridge = await startTestBridge(services, {
    routes: createRoutes({ pairAttemptsPerMinute: 5 }),
    next: {
      async handle(req, res) {
        pages.push(req.url ?? "");
        res.end("page");
      },
    },
    wsRoutes: [
      {
        path: "/ws/echo",
        handle(req: IncomingMessage, socket: Duplex) {
          sockets.push(req.url ?? "");
          socket.end("HTTP/1.1 200 OK\r\n\r\n");
        },
      },
    ],
    allowedHosts: () => ["maestro.example"],
  });
});
afterAll(async () => {
  await bridge.close();
  await services.cleanup();
});
afterEach(() => {
  pages.length = 0;
  sockets.length = 0;
});

/** Each call pretends to come from its own client so rate limits do not bleed between tests. */
let clientNo = 0;
function pair(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${bridge.base}/api/auth/pair`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: bridge.base, "x-forwarded-for": `10.0.0.${++clientNo}`, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("pairing", () => {
  test("a pairing token becomes an httpOnly SameSite=Strict session cookie, once", async () => {
    const { token } = await services.auth.createPairingToken();
    const res = await pair({ token, deviceName: "Pixel" });
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^maestro_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).not.toContain("Secure");
    const session = cookie.split(";")[0]!.split("=")[1]!;
    // Stored hashed: neither the pairing token nor the session token is in the database.
    const row = await services.db.ownerSession.findUnique({ where: { tokenHash: hashToken(session) } });
    expect(row?.deviceName).toBe("Pixel");
    expect(await services.db.pairingToken.count({ where: { tokenHash: token } })).toBe(0);

    const again = await pair({ token, deviceName: "Thief" });
    expect(again.status).toBe(401);
    expect((await again.json()).error.message).toMatch(/invalid, used or expired/);
  });

  test("the cookie is Secure behind an https proxy on loopback", async () => {
    const { token } = await services.auth.createPairingToken();
    const res = await pair(
      { token, deviceName: "tunnel" },
      { "x-forwarded-proto": "https", origin: bridge.base.replace("http:", "https:") },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toContain("Secure");
  });

  test("expired, garbled and missing tokens are refused", async () => {
    const { token } = await services.auth.createPairingToken(-1);
    expect((await pair({ token })).status).toBe(401);
    expect((await pair({ token: "not-a-token" })).status).toBe(401);
    expect((await pair({})).status).toBe(401);
    expect((await pair("{not json")).status).toBe(400);
  });

  test("attempts are rate limited per client", async () => {
    const headers = { "x-forwarded-for": "203.0.113.9" };
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await pair({ token: "x".repeat(43) }, headers)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // Even a valid token waits: guessing and using are the same door.
    const { token } = await services.auth.createPairingToken();
    const limited = await pair({ token }, headers);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.message).toMatch(/Too many pairing attempts\. Try again in \d+ s\./);
    // Another client is not affected.
    expect((await pair({ token }, { "x-forwarded-for": "203.0.113.10" })).status).toBe(200);
  });

  test("pairing from another origin is refused", async () => {
    const { token } = await services.auth.createPairingToken();
    expect((await pair({ token }, { origin: "http://evil.example" })).status).toBe(403);
    const noOrigin = await fetch(`${bridge.base}/api/auth/pair`, { method: "POST", body: JSON.stringify({ token }) });
    expect(noOrigin.status).toBe(403);
  });
});

describe("the one gate", () => {
  test("unknown Host names are refused (DNS rebinding)", async () => {
    // fetch() will not send a forged Host header; node:http will.
    const statusFor = (host: string) =>
      new Promise<number>((resolve, reject) => {
        http
          .get({ host: "127.0.0.1", port: bridge.port, path: "/api/health", headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on("error", reject);
      });
    expect(await statusFor("evil.example:80")).toBe(403);
    expect(await statusFor("maestro.example")).toBe(200);
    expect(await statusFor(`127.0.0.1:${bridge.port}`)).toBe(200);
  });

  test("pages: strangers are sent to /pair, the pairing page and static files are public", async () => {
    const html = { accept: "text/html" };
    const home = await fetch(`${bridge.base}/`, { headers: html, redirect: "manual" });
    expect(home.status).toBe(302);
    expect(home.headers.get("location")).toBe("/pair");
    expect((await fetch(`${bridge.base}/agents/abc`)).status).toBe(401);
    expect((await fetch(`${bridge.base}/pair`, { headers: html })).status).toBe(200);
    expect((await fetch(`${bridge.base}/_next/static/chunks/x.js`)).status).toBe(200);
    expect((await fetch(`${bridge.base}/manifest.webmanifest`)).status).toBe(200);
    expect(pages).toEqual(["/pair", "/_next/static/chunks/x.js", "/manifest.webmanifest"]);
  });

  test("pages: an owner gets through, security headers on every answer", async () => {
    const { sessionToken } = await pairedOwner(services);
    const res = await fetch(`${bridge.base}/agents/abc`, { headers: { cookie: `maestro_session=${sessionToken}` } });
    expect(res.status).toBe(200);
    expect(pages).toEqual(["/agents/abc"]);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  test("tRPC mutations need our Origin even with a valid session", async () => {
    const { sessionToken } = await pairedOwner(services);
    const post = (origin?: string) =>
      fetch(`${bridge.base}/api/trpc/groups.create`, {
        method: "POST",
        headers: { cookie: `maestro_session=${sessionToken}`, "content-type": "application/json", ...(origin ? { origin } : {}) },
        body: JSON.stringify({ json: { name: "g" } }),
      });
    expect((await post("http://evil.example")).status).toBe(403);
    expect((await post()).status).toBe(403);
    expect((await post(bridge.base)).status).toBe(200);
  });

  test("logout revokes the session", async () => {
    const { sessionToken } = await pairedOwner(services);
    const cookie = `maestro_session=${sessionToken}`;
    const res = await fetch(`${bridge.base}/api/auth/logout`, { method: "POST", headers: { cookie, origin: bridge.base } });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await fetch(`${bridge.base}/api/trpc/agents.list`, { headers: { cookie } })).status).toBe(401);
  });

  test("revoking a device closes its open live streams", async () => {
    const { sessionToken, principal } = await pairedOwner(services);
    const res = await fetch(`${bridge.base}/api/trpc/agents.onChange`, {
      headers: { cookie: `maestro_session=${sessionToken}`, accept: "text/event-stream" },
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await services.auth.revokeDevice(principal.sessionId);
    services.bus.publish("devices.revoked", { sessionId: principal.sessionId });
    const drained = (async () => {
      try {
        while (!(await reader.read()).done);
        return "closed";
      } catch {
        return "closed";
      }
    })();
    expect(await Promise.race([drained, new Promise((r) => setTimeout(() => r("still open"), 3000))])).toBe("closed");
  });
});

describe("websockets", () => {
  const ws = (path: string, headers: Record<string, string>) =>
    new Promise<number>((resolve) => {
      const socket = new WebSocket(`${bridge.base.replace("http", "ws")}${path}`, { headers });
      socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      socket.on("error", () => resolve(-1));
    });

  test("no session → 401, foreign Origin → 403, unknown path → 404, else the route runs", async () => {
    const { sessionToken } = await pairedOwner(services);
    const cookie = `maestro_session=${sessionToken}`;
    expect(await ws("/ws/echo", { origin: bridge.base })).toBe(401);
    expect(await ws("/ws/echo", { cookie, origin: "http://evil.example" })).toBe(403);
    expect(await ws("/ws/nope", { cookie, origin: bridge.base })).toBe(404);
    expect(sockets).toEqual([]);
    expect(await ws("/ws/echo?x=1", { cookie, origin: bridge.base })).toBe(200);
    expect(sockets).toEqual(["/ws/echo?x=1"]);
  });
});
