import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createRoutes } from "../http/routes";
import { callerFor, createTestServices, pairedOwner, startTestBridge } from "../testing/harness";
import { PROCEDURES } from "./procedures";

/**
 * Walks every procedure of the app router, so a procedure added later is covered without
 * anyone remembering to add a test: with no session each one must answer 401, through the
 * direct caller and over real HTTP.
 */
const procedures = PROCEDURES;

let services: ReturnType<typeof createTestServices>;
let bridge: Awaited<ReturnType<typeof startTestBridge>>;

beforeAll(async () => {
  services = createTestServices();
  bridge = await startTestBridge(services);
});
afterAll(async () => {
  await bridge.close();
  await services.cleanup();
});

test("the walk sees the whole router", () => {
  expect(procedures.length).toBeGreaterThanOrEqual(15);
  expect(procedures.map((p) => p.path)).toEqual(expect.arrayContaining(["agents.create", "devices.revoke", "agents.onChange"]));
});

describe.each(procedures)("$path ($type) without a session", ({ path, type }) => {
  test("the caller refuses with UNAUTHORIZED before reading input", async () => {
    const caller = callerFor(services, null) as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
    const [ns, name] = path.split(".") as [string, string];
    const call = caller[ns]![name]!({ id: "x", name: "y", folder: "/tmp" });
    await expect(call).rejects.toSatisfy((e: unknown) => e instanceof TRPCError && e.code === "UNAUTHORIZED");
  });

  test("HTTP answers 401", async () => {
    const input = encodeURIComponent(JSON.stringify({ json: {} }));
    const res =
      type === "mutation"
        ? await fetch(`${bridge.base}/api/trpc/${path}`, {
            method: "POST",
            headers: { "content-type": "application/json", origin: bridge.base },
            body: JSON.stringify({ json: {} }),
          })
        : await fetch(`${bridge.base}/api/trpc/${path}?input=${input}`, {
            headers: type === "subscription" ? { accept: "text/event-stream" } : {},
          });
    expect(res.status).toBe(401);
    await res.body?.cancel();
  });

  test("HTTP answers 401 with the path percent-encoded too", async () => {
    const input = encodeURIComponent(JSON.stringify({ json: {} }));
    const encoded = path.replace(".", "%2E");
    const res =
      type === "mutation"
        ? await fetch(`${bridge.base}/api/trpc/${encoded}`, {
            method: "POST",
            headers: { "content-type": "application/json", origin: bridge.base },
            body: "{}",
          })
        : await fetch(`${bridge.base}/api/trpc/${encoded}?input=${input}`, {
            headers: type === "subscription" ? { accept: "text/event-stream" } : {},
          });
    expect(res.status).toBe(401);
    await res.body?.cancel();
  });

  test("a revoked session is refused too", async () => {
    const { principal, sessionToken } = await pairedOwner(services);
    await services.auth.revokeDevice(principal.sessionId);
    const res = await fetch(`${bridge.base}/api/trpc/${path}`, {
      method: type === "mutation" ? "POST" : "GET",
      headers: { cookie: `maestro_session=${sessionToken}`, origin: bridge.base, "content-type": "application/json" },
      body: type === "mutation" ? JSON.stringify({ json: {} }) : undefined,
    });
    expect(res.status).toBe(401);
    await res.body?.cancel();
  });
});

describe("plain HTTP routes", () => {
  const routes = createRoutes();
  test.each(routes.filter((r) => r.access !== "public"))("$method $path answers 401 without a session", async (route) => {
    const res = await fetch(`${bridge.base}${route.path}`, { method: route.method, headers: { origin: bridge.base } });
    expect(res.status).toBe(401);
  });

  test("unknown API paths do not reveal themselves to strangers", async () => {
    expect((await fetch(`${bridge.base}/api/nope`)).status).toBe(401);
  });

  test("the public routes are exactly the ones meant to be", () => {
    expect(
      routes
        .filter((r) => r.access === "public")
        .map((r) => r.path)
        .sort(),
    ).toEqual(["/api/auth/pair", "/api/health", "/api/share/open"]);
  });
});
