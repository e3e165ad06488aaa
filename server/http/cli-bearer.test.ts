import http, { type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readCliTokenFile } from "../auth/cli-token";
import { createTestServices, pairedOwner, startTestBridge } from "../testing/harness";

/** The `maestro` CLI's way in: `Authorization: Bearer <dataDir/cli-token>` over the real bridge. */
let services: ReturnType<typeof createTestServices>;
let bridge: Awaited<ReturnType<typeof startTestBridge>>;
const pages: string[] = [];
const sockets: string[] = [];

beforeAll(async () => {
  services = createTestServices();
  bridge = await startTestBridge(services, {
    bearerAttemptsPerMinute: 3,
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
  });
});
afterAll(async () => {
  await bridge.close();
  await services.cleanup();
});

async function cliToken() {
  await services.auth.ensureCliToken();
  return readCliTokenFile(services.dataDir)!;
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("with the CLI token", () => {
  test("queries answer in tRPC's wire format: result.data.json (superjson), Dates as ISO strings with meta", async () => {
    const { token, id } = await cliToken();
    const res = await fetch(`${bridge.base}/api/trpc/devices.list`, { headers: bearer(token) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: { json: Record<string, unknown>[]; meta?: unknown } } };
    expect(body.result.data.json).toEqual([expect.objectContaining({ id, deviceName: "CLI", kind: "cli", current: false })]);
    expect(typeof body.result.data.json[0]!.createdAt).toBe("string");
    expect(body.result.data.meta).toEqual(expect.objectContaining({ values: expect.objectContaining({ "0.createdAt": ["Date"] }) }));
  });

  test("mutations need no Origin (Bearer is no cookie a foreign page could ride), and a foreign Origin changes nothing", async () => {
    const { token } = await cliToken();
    const post = (headers: Record<string, string>) =>
      fetch(`${bridge.base}/api/trpc/groups.create`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ json: { name: "from the CLI" } }),
      });
    const res = await post(bearer(token));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: { data: { json: { name: string } } } }).result.data.json.name).toBe("from the CLI");
    expect((await post({ ...bearer(token), origin: "http://evil.example" })).status).toBe(200);
    // Outside tRPC a Bearer header stands in for nothing: pairing from a foreign page is refused.
    const pair = await fetch(`${bridge.base}/api/auth/pair`, {
      method: "POST",
      headers: { ...bearer(token), origin: "http://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ token: "x".repeat(43), deviceName: "evil" }),
    });
    expect(pair.status).toBe(403);
    // A cookie still needs our Origin.
    const { sessionToken } = await pairedOwner(services);
    expect((await post({ cookie: `maestro_session=${sessionToken}` })).status).toBe(403);
  });

  test("system.me shows the machine to the CLI", async () => {
    const { token, id } = await cliToken();
    const res = await fetch(`${bridge.base}/api/trpc/system.me`, { headers: bearer(token) });
    const me = ((await res.json()) as { result: { data: { json: { principal: unknown; dataDir: string } } } }).result.data.json;
    expect(me.principal).toEqual({ kind: "cli", sessionId: id });
    expect(me.dataDir).toBe(services.dataDir);
  });

  test("the Host check still applies to Bearer requests (DNS rebinding)", async () => {
    const { token } = await cliToken();
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get(
          { host: "127.0.0.1", port: bridge.port, path: "/api/trpc/agents.list", headers: { host: "evil.example", ...bearer(token) } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
        .on("error", reject);
    });
    expect(status).toBe(403);
  });

  test("pages, plain owner routes and websockets stay the paired browser's", async () => {
    const { token } = await cliToken();
    const page = await fetch(`${bridge.base}/agents`, { headers: { ...bearer(token), accept: "text/html" }, redirect: "manual" });
    expect(page.status).toBe(403);
    expect(pages).toEqual([]);
    expect((await fetch(`${bridge.base}/api/uploads`, { method: "POST", headers: bearer(token), body: "x" })).status).toBe(403);
    const ws = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${bridge.base.replace("http", "ws")}/ws/echo`, { headers: { ...bearer(token), origin: bridge.base } });
      socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      socket.on("error", () => resolve(-1));
    });
    expect(ws).toBe(403);
    expect(sockets).toEqual([]);
  });

  test("subscriptions stream over SSE with Bearer, and revoking the CLI row cuts them (and rotates the file)", async () => {
    const { token, id } = await cliToken();
    const res = await fetch(`${bridge.base}/api/trpc/agents.onChange`, { headers: { ...bearer(token), accept: "text/event-stream" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const until = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}: ${text}`);
        text += decoder.decode(value);
      }
    };
    await until("event: connected");
    services.bus.publish("agents.changed", { agentId: "agent-from-test" });
    await until("agent-from-test");
    expect(text).toMatch(/\ndata: \{.*"agent-from-test".*\}\n/);

    await services.auth.revokeDevice(id);
    const drained = (async () => {
      try {
        while (!(await reader.read()).done);
      } catch {
        // a destroyed socket ends the read with an error: closed either way
      }
      return "closed";
    })();
    expect(await Promise.race([drained, new Promise((r) => setTimeout(() => r("still open"), 3000))])).toBe("closed");
    expect((await fetch(`${bridge.base}/api/trpc/agents.list`, { headers: bearer(token) })).status).toBe(401);
    const fresh = readCliTokenFile(services.dataDir)!;
    expect(fresh.token).not.toBe(token);
    expect((await fetch(`${bridge.base}/api/trpc/agents.list`, { headers: bearer(fresh.token) })).status).toBe(200);
  });
});

test("refused tokens are rate-limited per client IP: 401 with one line, then 429; a valid token from the same IP still passes", async () => {
  const { token } = await cliToken();
  const from = (ip: string, t: string) =>
    fetch(`${bridge.base}/api/trpc/agents.list`, { headers: { ...bearer(t), "x-forwarded-for": ip } });
  const bad = await from("203.0.113.7", "not-a-token");
  expect(bad.status).toBe(401);
  // tRPC's error shape (superjson): error.json.{message, code, data.httpStatus}.
  const refusal = ((await bad.json()) as { error: { json: { message: string; code: number; data: { code: string } } } }).error.json;
  expect(refusal.data.code).toBe("UNAUTHORIZED");
  expect(refusal.message).toBe("The bridge refused this CLI token (revoked, or from another data dir).");
  // Good calls in between count nothing (the limit is 3 refusals a minute here).
  expect((await from("203.0.113.7", token)).status).toBe(200);
  expect((await from("203.0.113.7", "x".repeat(43))).status).toBe(401);
  expect((await from("203.0.113.7", "")).status).toBe(401);
  const limited = await from("203.0.113.7", "still-wrong");
  expect(limited.status).toBe(429);
  expect(((await limited.json()) as { error: { message: string } }).error.message).toMatch(
    /^Too many refused tokens\. Try again in \d+ s\.$/,
  );
  // The real CLI on the same address (every local caller is 127.0.0.1) is not locked out.
  expect((await from("203.0.113.7", token)).status).toBe(200);
  expect((await from("203.0.113.7", "wrong-again")).status).toBe(429);
  // A burst of refusals from another address is counted exactly: 3 refused, the rest limited.
  const burst = await Promise.all(Array.from({ length: 6 }, () => from("203.0.113.8", "nope")));
  expect(burst.map((r) => r.status).sort()).toEqual([401, 401, 401, 429, 429, 429]);
  expect((await from("203.0.113.8", token)).status).toBe(200);
});
