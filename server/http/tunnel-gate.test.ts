import http, { type IncomingMessage } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestServices, startTestBridge } from "../testing/harness";
import { allowedHostsFor } from "./allowed-hosts";
import { clientIp, isHttps, originAllowed } from "./request-info";
import { createRoutes } from "./routes";

/**
 * The bridge behind a Cloudflare tunnel: cloudflared runs on this machine and forwards the
 * public request to 127.0.0.1 with the public Host and `X-Forwarded-Proto: https`. These tests
 * send exactly that over real HTTP from loopback, with the (fake) cloudflared really running.
 */
const FAKE_BIN = path.resolve(import.meta.dirname, "../../test/fixtures/bin");

let services: ReturnType<typeof createTestServices>;
let bridge: Awaited<ReturnType<typeof startTestBridge>>;
let publicHost: string;

beforeAll(async () => {
  services = createTestServices({ tunnel: { env: { ...process.env, PATH: `${FAKE_BIN}${path.delimiter}${process.env.PATH}` } } });
  bridge = await startTestBridge(services, {
    routes: createRoutes({ pairAttemptsPerMinute: 100 }),
    allowedHosts: allowedHostsFor(services, []),
    next: { handle: async (_req, res) => void res.end("page") },
  });
  services.tunnel.setTarget("127.0.0.1", bridge.port);
  const up = new Promise<void>((resolve) => {
    const off = services.bus.subscribe("tunnel.status", (s) => s.state === "running" && (off(), resolve()));
  });
  await services.tunnel.start();
  await up;
  publicHost = new URL(services.tunnel.status().url!).host;
});
afterAll(async () => {
  await bridge.close();
  await services.cleanup();
});

function request(method: string, pathname: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: bridge.port, method, path: pathname, headers }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const viaTunnel = (extra: Record<string, string> = {}) => ({
  host: publicHost,
  "x-forwarded-proto": "https",
  "x-forwarded-for": "203.0.113.9",
  "cf-connecting-ip": "203.0.113.9",
  ...extra,
});

async function pairViaTunnel() {
  const { token } = await services.auth.createPairingToken();
  return request(
    "POST",
    "/api/auth/pair",
    viaTunnel({ origin: `https://${publicHost}`, "content-type": "application/json" }),
    JSON.stringify({ token, deviceName: "phone via tunnel" }),
  );
}

describe("behind the tunnel", () => {
  test("the tunnel's public host is accepted while it is up; other trycloudflare names are not", async () => {
    expect((await request("GET", "/api/health", viaTunnel())).status).toBe(200);
    expect((await request("GET", "/api/health", viaTunnel({ host: "someone-else.trycloudflare.com" }))).status).toBe(403);
  });

  test("pairing over https through the tunnel sets a Secure cookie, and HSTS is sent", async () => {
    const res = await pairViaTunnel();
    expect(res.status).toBe(200);
    expect(res.headers["set-cookie"]?.[0]).toMatch(/; Secure/);
    expect(res.headers["set-cookie"]?.[0]).toMatch(/HttpOnly/);
    expect(res.headers["strict-transport-security"]).toBe("max-age=31536000");
  });

  test("mutations carrying the public https origin pass; any other origin is refused", async () => {
    const cookie = (await pairViaTunnel()).headers["set-cookie"]![0]!.split(";")[0]!;
    const mutate = (origin: string) =>
      request(
        "POST",
        "/api/trpc/devices.rename",
        viaTunnel({ origin, cookie, "content-type": "application/json" }),
        JSON.stringify({ json: { id: "nope", name: "x" } }),
      );
    // Past the gate: the procedure itself answers (the device does not exist).
    expect((await mutate(`https://${publicHost}`)).status).toBe(404);
    expect((await mutate(`http://${publicHost}`)).status).toBe(403);
    expect((await mutate("https://evil.example")).status).toBe(403);
    expect((await mutate(`http://127.0.0.1:${bridge.port}`)).status).toBe(403);
  });

  test("plain http on loopback: no Secure cookie, no HSTS", async () => {
    const { token } = await services.auth.createPairingToken();
    const res = await request(
      "POST",
      "/api/auth/pair",
      { origin: bridge.base, "content-type": "application/json" },
      JSON.stringify({ token, deviceName: "desk" }),
    );
    expect(res.status).toBe(200);
    expect(res.headers["set-cookie"]?.[0]).not.toMatch(/Secure/);
    expect(res.headers["strict-transport-security"]).toBeUndefined();
  });

  test("security headers are on every response: pages, API answers and refusals", async () => {
    const cookie = (await pairViaTunnel()).headers["set-cookie"]![0]!.split(";")[0]!;
    const responses = [
      await request("GET", "/", viaTunnel({ cookie, accept: "text/html" })),
      await request("GET", "/api/health", {}),
      await request("GET", "/api/trpc/system.me", {}),
      await request("GET", "/", { host: "evil.example" }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 401, 403]);
    for (const r of responses) {
      const csp = r.headers["content-security-policy"] as string;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toMatch(/script-src 'self' 'unsafe-inline'(;|$)/);
      expect(csp).not.toMatch(/https?:|\*/);
      expect(r.headers["referrer-policy"]).toBe("no-referrer");
      expect(r.headers["x-frame-options"]).toBe("DENY");
      expect(r.headers["x-content-type-options"]).toBe("nosniff");
    }
    expect(responses[0]!.headers["strict-transport-security"]).toBe("max-age=31536000");
    expect(responses[1]!.headers["strict-transport-security"]).toBeUndefined();
  });

  test("once the tunnel stops, its host name is refused again", async () => {
    const host = publicHost;
    await services.tunnel.stop();
    expect((await request("GET", "/api/health", viaTunnel({ host }))).status).toBe(403);
  });
});

/** A request as the bridge sees it, from a given peer address. */
function fakeReq(remoteAddress: string, headers: Record<string, string>): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

describe("proxy headers are believed only from loopback", () => {
  const forwarded = {
    host: "abc.trycloudflare.com",
    "x-forwarded-proto": "https",
    "x-forwarded-for": "203.0.113.9",
    origin: "https://abc.trycloudflare.com",
  };
  test.each([
    ["127.0.0.1", true],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["192.0.2.2", false],
    ["10.0.0.7", false],
    ["fd00::2", false],
  ])("from %s: https=%s", (addr, trusted) => {
    const req = fakeReq(addr, forwarded);
    expect(isHttps(req)).toBe(trusted);
    expect(clientIp(req)).toBe(trusted ? "203.0.113.9" : addr);
    // A LAN peer claiming https cannot make the public origin pass for plain http.
    expect(originAllowed(req)).toBe(trusted);
  });
});
