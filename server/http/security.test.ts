import fs from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { IncomingMessage } from "node:http";
import { clientIp, isHttps, originAllowed } from "./request-info";
import { callerFor, createTestServices, pairedOwner, sharedSession, startTestBridge, tempDir } from "../testing/harness";

/**
 * Findings of the security review, each as the attack that used to work, over the real bridge.
 */
let services: ReturnType<typeof createTestServices>;
let bridge: Awaited<ReturnType<typeof startTestBridge>>;
const project = tempDir("maestro-security-");
const nextUpgrades: string[] = [];
let agentId = "";
let tabId = "";

beforeAll(async () => {
  services = createTestServices();
  bridge = await startTestBridge(services, {
    next: {
      handle: async (_req, res) => void res.end("page"),
      upgrade: async (req, socket) => {
        nextUpgrades.push(req.url ?? "");
        socket.end("HTTP/1.1 101 Switching Protocols\r\n\r\n");
      },
    },
  });
  const agent = await services.agents.create({ name: "Agent A", folder: project });
  agentId = agent.id;
  tabId = (await services.tabs.list(agent.id))[0]!.id;
});
afterAll(async () => {
  await bridge.close();
  await services.cleanup();
  fs.rmSync(project, { recursive: true, force: true });
});

/** Opens an SSE subscription and resolves "closed" once the bridge ends it (or "still open"). */
async function openStream(path: string, input: unknown, cookie: string) {
  const res = await fetch(`${bridge.base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, {
    headers: { cookie, accept: "text/event-stream" },
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toContain("event: connected");
  const ended = (async () => {
    try {
      for (;;) if ((await reader.read()).done) return "closed";
    } catch {
      return "closed";
    }
  })();
  return {
    endedWithin: (ms: number) => Promise.race([ended, new Promise((r) => setTimeout(() => r("still open"), ms))]),
    cancel: () => reader.cancel().catch(() => {}),
  };
}

describe("revocation cuts every live stream, however its path is spelled", () => {
  // tRPC percent-decodes the procedure path, so `turns%2EonEvent` is `turns.onEvent` to it; the
  // bridge used to look the raw spelling up, miss it, and never track the stream.
  test.each(["turns.onEvent", "turns%2EonEvent", "%74urns.onEvent"])(
    "a share link's %s stream ends when the link is revoked",
    async (path) => {
      const { link, cookie } = await sharedSession(services, { agentId, permission: "view" });
      const stream = await openStream(path, { tabId }, cookie);
      await callerFor(services, (await pairedOwner(services)).principal).share.revoke({ id: link.id });
      const state = await stream.endedWithin(2000);
      await stream.cancel();
      expect(state).toBe("closed");
    },
  );

  test("a revoked owner device's encoded agents%2EonChange stream ends too", async () => {
    const { principal, sessionToken } = await pairedOwner(services);
    const stream = await openStream("agents%2EonChange", undefined, `maestro_session=${sessionToken}`);
    await callerFor(services, (await pairedOwner(services)).principal).devices.revoke({ id: principal.sessionId });
    const state = await stream.endedWithin(2000);
    await stream.cancel();
    expect(state).toBe("closed");
  });

  // Logging out used to mark the session revoked without announcing it: the device's open
  // streams kept running and its push subscription kept receiving notifications.
  test("logging out ends the device's streams and stops its notifications", async () => {
    const { principal, sessionToken } = await pairedOwner(services);
    const cookie = `maestro_session=${sessionToken}`;
    await services.push.subscribe(
      {
        endpoint: "https://push.example/logout-device",
        keys: { p256dh: `BA${"A".repeat(85)}`, auth: "A".repeat(22) },
        deviceLabel: "borrowed laptop",
      },
      principal.sessionId,
    );
    const stream = await openStream("agents.onChange", undefined, cookie);
    const res = await fetch(`${bridge.base}/api/auth/logout`, { method: "POST", headers: { cookie, origin: bridge.base } });
    expect(res.status).toBe(200);
    const state = await stream.endedWithin(2000);
    await stream.cancel();
    expect(state).toBe("closed");
    await services.push.idle();
    await expect.poll(() => services.db.pushSubscription.count({ where: { sessionId: principal.sessionId } })).toBe(0);
  });

  test("an out-of-scope encoded subscription is refused with a plain 403 before any stream opens", async () => {
    const other = await services.agents.create({ name: "Agent B", folder: project });
    const otherTab = (await services.tabs.list(other.id))[0]!.id;
    const { cookie } = await sharedSession(services, { agentId, permission: "view" });
    const res = await fetch(
      `${bridge.base}/api/trpc/turns%2EonEvent?input=${encodeURIComponent(JSON.stringify({ json: { tabId: otherTab } }))}`,
      {
        headers: { cookie, accept: "text/event-stream" },
      },
    );
    expect(res.status).toBe(403);
    await res.body?.cancel();
  });
});

describe("DNS rebinding", () => {
  test("a /_next/ websocket upgrade with a foreign Host is refused before it reaches Next", async () => {
    const status = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(bridge.port, "127.0.0.1", () => {
        sock.write(
          `GET /_next/webpack-hmr HTTP/1.1\r\nHost: evil.example:${bridge.port}\r\nOrigin: http://evil.example:${bridge.port}\r\n` +
            `Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
        );
      });
      sock.once("data", (d) => (resolve(d.toString().split("\r\n")[0]!), sock.destroy()));
      sock.once("error", reject);
    });
    expect(status).toBe("HTTP/1.1 403 Forbidden");
    expect(nextUpgrades).toEqual([]);
  });
});

describe("a garbled cookie", () => {
  test("is treated as no cookie (401), not as an internal error (500)", async () => {
    const res = await fetch(`${bridge.base}/api/trpc/system.me`, { headers: { cookie: "maestro_session=%E0%A4%A; maestro_share=%" } });
    expect(res.status).toBe(401);
  });
});

describe("proxy headers are believed only from the local tunnel", () => {
  const req = (remoteAddress: string, headers: Record<string, string>) =>
    ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;
  const spoof = {
    "x-forwarded-for": "203.0.113.7",
    "cf-connecting-ip": "203.0.113.8",
    "x-forwarded-proto": "https",
    host: "maestro.example",
  };

  test.each(["192.168.1.5", "10.0.0.2", "::ffff:192.168.1.5", "fe80::1"])(
    "from %s the rate-limit key is the socket address, never a header",
    (address) => {
      expect(clientIp(req(address, spoof))).toBe(address);
      expect(isHttps(req(address, spoof))).toBe(false);
      // A spoofed proto does not make a foreign https Origin look like ours either.
      expect(originAllowed(req(address, { ...spoof, origin: "https://maestro.example" }))).toBe(false);
    },
  );

  test("from loopback (cloudflared) Cloudflare's client address counts", () => {
    expect(clientIp(req("127.0.0.1", spoof))).toBe("203.0.113.8");
  });
});
