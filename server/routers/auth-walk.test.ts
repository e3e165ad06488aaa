import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readCliTokenFile } from "../auth/cli-token";
import { createRoutes } from "../http/routes";
import { callerFor, createTestServices, pairedOwner, startTestBridge } from "../testing/harness";
import { PROCEDURES } from "./procedures";

/**
 * Walks every procedure of the app router, so a procedure added later is covered without
 * anyone remembering to add a test: with no session each one must answer 401, through the
 * direct caller and over real HTTP. The owner's CLI (Bearer token) gets in wherever a paired
 * device does; a revoked CLI token, a CLI token sent as a cookie and a device cookie's token
 * sent as Bearer are all refused.
 */
const procedures = PROCEDURES;

let services: ReturnType<typeof createTestServices>;
let bridge: Awaited<ReturnType<typeof startTestBridge>>;

let owner: Awaited<ReturnType<typeof pairedOwner>>;
let cliToken: string;
let revokedCliToken: string;

beforeAll(async () => {
  services = createTestServices();
  // The walk sends hundreds of refused tokens on purpose; the limiter has its own test.
  bridge = await startTestBridge(services, { bearerAttemptsPerMinute: 1_000_000 });
  owner = await pairedOwner(services);
  const first = await services.auth.ensureCliToken();
  revokedCliToken = readCliTokenFile(services.dataDir)!.token;
  // Revoking the CLI's row rotates the file to a fresh, live token.
  await services.auth.revokeDevice(first);
  cliToken = readCliTokenFile(services.dataDir)!.token;
});

/** Calls one procedure over HTTP as tRPC's client would; the input is deliberately not an object. */
async function call(path: string, type: string, headers: Record<string, string>) {
  const res =
    type === "mutation"
      ? await fetch(`${bridge.base}/api/trpc/${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ json: "not-an-object" }),
        })
      : await fetch(`${bridge.base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: "not-an-object" }))}`, {
          headers: type === "subscription" ? { accept: "text/event-stream", ...headers } : headers,
        });
  await res.body?.cancel();
  return res.status;
}

/**
 * Procedures whose call would act with no input to stop them before the procedure body runs
 * (they take none): starting a tunnel spawns cloudflared. It is built on the same
 * protectedProcedure as every procedure walked here.
 */
const NOT_CALLED = ["tunnel.start"];
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

test("only the procedures that would act are left out of the CLI walk", () => {
  expect(procedures.filter((p) => NOT_CALLED.includes(p.path)).map((p) => p.path)).toEqual(NOT_CALLED);
});

describe.each(procedures.filter((p) => !NOT_CALLED.includes(p.path)))("$path ($type) with the CLI token", ({ path, type }) => {
  test("the CLI's Bearer token gets exactly what the owner's device gets (never 401/403)", async () => {
    const asOwner = await call(path, type, { cookie: `maestro_session=${owner.sessionToken}`, origin: bridge.base });
    // No Origin: the CLI sends none, and Bearer requests need none.
    const asCli = await call(path, type, { authorization: `Bearer ${cliToken}` });
    expect(asOwner).not.toBe(401);
    expect(asOwner).not.toBe(403);
    expect(asCli).toBe(asOwner);
  });

  test("a revoked CLI token, the CLI token as a cookie, a device's token as Bearer: 401", async () => {
    expect(await call(path, type, { authorization: `Bearer ${revokedCliToken}` })).toBe(401);
    expect(await call(path, type, { cookie: `maestro_session=${cliToken}`, origin: bridge.base })).toBe(401);
    expect(await call(path, type, { authorization: `Bearer ${owner.sessionToken}` })).toBe(401);
    // A Bearer header makes cookies irrelevant: a bad token with a good cookie is still refused.
    expect(
      await call(path, type, { authorization: "Bearer nope", cookie: `maestro_session=${owner.sessionToken}`, origin: bridge.base }),
    ).toBe(401);
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
