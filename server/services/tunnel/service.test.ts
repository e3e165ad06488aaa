import fs from "node:fs";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { createTestServices, tempDir } from "../../testing/harness";
import type { TunnelStatus } from "./types";

const FAKE_BIN = path.resolve(import.meta.dirname, "../../../test/fixtures/bin");
const PATH_WITH_FAKE = `${FAKE_BIN}${path.delimiter}${process.env.PATH}`;
const EMPTY_DIR = tempDir("maestro-nobin-");

const open: ReturnType<typeof createTestServices>[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.cleanup();
});

function servicesWith(env: NodeJS.ProcessEnv, tunnel: Record<string, number> = {}) {
  const services = createTestServices({ tunnel: { env, baseDelayMs: 50, maxDelayMs: 400, ...tunnel } });
  services.tunnel.setTarget("127.0.0.1", 4999);
  open.push(services);
  return services;
}

/** Resolves with the first published status that satisfies `pred` (or the current one). */
function waitFor(
  services: ReturnType<typeof createTestServices>,
  pred: (s: TunnelStatus) => boolean,
  timeoutMs = 5000,
): Promise<TunnelStatus> {
  return new Promise((resolve, reject) => {
    if (pred(services.tunnel.status())) return resolve(services.tunnel.status());
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out; last status ${JSON.stringify(services.tunnel.status())}`));
    }, timeoutMs);
    const off = services.bus.subscribe("tunnel.status", (s) => {
      if (!pred(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("a quick tunnel's public URL is known within 2 s, with cloudflared pointed at the bridge", async () => {
  const record = path.join(tempDir(), "starts.jsonl");
  const services = servicesWith({ ...process.env, PATH: PATH_WITH_FAKE, FAKE_CLOUDFLARED_RECORD: record });
  const t0 = Date.now();
  await services.tunnel.start();
  const running = await waitFor(services, (s) => s.state === "running", 2000);
  expect(Date.now() - t0).toBeLessThan(2000);
  expect(running.url).toMatch(/^https:\/\/[a-z0-9-]+\.trycloudflare\.com$/);
  expect(running.binary).toBe(path.join(FAKE_BIN, "cloudflared"));
  expect(services.tunnel.publicHostname()).toBe(new URL(running.url!).hostname);
  const [start] = fs
    .readFileSync(record, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(start.argv).toEqual(["tunnel", "--no-autoupdate", "--url", "http://127.0.0.1:4999"]);
  expect(start.pid).toBe(running.pid);
});

test("killed, cloudflared is restarted after a back-off and the new URL replaces the old one", async () => {
  const services = servicesWith({ ...process.env, PATH: PATH_WITH_FAKE });
  await services.tunnel.start();
  const first = await waitFor(services, (s) => s.state === "running");
  process.kill(first.pid!, "SIGKILL");
  const restarting = await waitFor(services, (s) => s.state === "restarting" && s.retryAt !== null);
  expect(restarting).toMatchObject({ url: null, failures: 1, error: expect.stringContaining("SIGKILL") });
  const second = await waitFor(services, (s) => s.state === "running");
  expect(second.pid).not.toBe(first.pid);
  expect(second.url).toMatch(/trycloudflare\.com$/);
  expect(second.url).not.toBe(first.url);
  expect(alive(first.pid!)).toBe(false);
});

test("six failed starts in a row: the supervisor gives up with the last error, after backing off", async () => {
  const record = path.join(tempDir(), "starts.jsonl");
  const services = servicesWith({ ...process.env, PATH: PATH_WITH_FAKE, FAKE_CLOUDFLARED_FAIL: "start", FAKE_CLOUDFLARED_RECORD: record });
  const delays: number[] = [];
  services.bus.subscribe("tunnel.status", (s) => {
    if (s.state === "restarting" && s.retryAt) delays.push(s.retryAt - Date.now());
  });
  await services.tunnel.start();
  const failed = await waitFor(services, (s) => s.state === "failed", 10_000);
  expect(failed.failures).toBe(6);
  expect(failed.error).toMatch(/Gave up after 6 failed starts in a row/);
  expect(failed.error).toMatch(/failed to request quick Tunnel/);
  expect(fs.readFileSync(record, "utf8").trim().split("\n")).toHaveLength(6);
  // 50, 100, 200, 400, 400 ms (base 50 ms, cap 400 ms in this test): growing, then capped.
  expect(delays).toHaveLength(5);
  expect(delays[1]!).toBeGreaterThan(delays[0]! + 20);
  expect(delays[4]!).toBeLessThanOrEqual(400);
  expect(delays[3]!).toBeGreaterThan(300);
});

test("a cloudflared that prints no URL in time is killed and counted as a failure", async () => {
  const services = servicesWith(
    { ...process.env, PATH: PATH_WITH_FAKE, FAKE_CLOUDFLARED_FAIL: "silent" },
    { readyTimeoutMs: 300, maxFailures: 2 },
  );
  await services.tunnel.start();
  const pid = services.tunnel.status().pid!;
  const failed = await waitFor(services, (s) => s.state === "failed", 5000);
  expect(failed.error).toMatch(/printed no tunnel URL within/);
  expect(alive(pid)).toBe(false);
});

test("without cloudflared the state is missing, and nothing is spawned", async () => {
  const services = servicesWith({ ...process.env, PATH: EMPTY_DIR });
  expect((await services.tunnel.check()).state).toBe("missing");
  await services.tunnel.start();
  expect(services.tunnel.status()).toMatchObject({ state: "missing", pid: null, error: expect.stringContaining("not installed") });
});

test("a configured binary path wins over PATH; a wrong one is reported as missing", async () => {
  // (node's own folder stays on PATH: the fake's shebang needs it; the real cloudflared would not)
  const services = servicesWith({ ...process.env, PATH: `${EMPTY_DIR}${path.delimiter}${path.dirname(process.execPath)}` });
  await services.tunnel.configure({ binaryPath: path.join(EMPTY_DIR, "cloudflared") });
  expect((await services.tunnel.check()).error).toMatch(/No executable cloudflared at/);
  await services.tunnel.configure({ binaryPath: path.join(FAKE_BIN, "cloudflared") });
  expect((await services.tunnel.check()).state).toBe("idle");
  await services.tunnel.start();
  expect((await waitFor(services, (s) => s.state === "running")).url).toMatch(/trycloudflare/);
});

test("stop kills the child (no orphan) and nothing restarts it", async () => {
  const services = servicesWith({ ...process.env, PATH: PATH_WITH_FAKE });
  await services.tunnel.start();
  const { pid } = await waitFor(services, (s) => s.state === "running");
  await services.tunnel.stop();
  expect(services.tunnel.status()).toMatchObject({ state: "idle", url: null, pid: null });
  expect(alive(pid!)).toBe(false);
  await new Promise((r) => setTimeout(r, 300));
  expect(services.tunnel.status().state).toBe("idle");
});

test("shutdown (the bridge stopping) kills a running cloudflared", async () => {
  const services = servicesWith({ ...process.env, PATH: PATH_WITH_FAKE });
  await services.tunnel.start();
  const { pid } = await waitFor(services, (s) => s.state === "running");
  await services.shutdown();
  expect(alive(pid!)).toBe(false);
});

test("a named tunnel runs `tunnel run` with the token in TUNNEL_TOKEN (never in argv) and the configured host", async () => {
  const record = path.join(tempDir(), "starts.jsonl");
  const services = servicesWith({ ...process.env, PATH: PATH_WITH_FAKE, FAKE_CLOUDFLARED_RECORD: record });
  await services.tunnel.configure({ mode: "named" });
  await expect(services.tunnel.start()).rejects.toThrow(/needs its token and its public host name/);
  await expect(services.tunnel.configure({ hostname: "not a host" })).rejects.toThrow(/not a host name/);
  await services.tunnel.configure({ hostname: "https://Maestro.Example.com/", token: "eyJhIjoic2VjcmV0In0" });
  expect(await services.tunnel.config()).toEqual({ mode: "named", hostname: "maestro.example.com", hasToken: true, binaryPath: null });
  await services.tunnel.start();
  const running = await waitFor(services, (s) => s.state === "running");
  expect(running).toMatchObject({ mode: "named", url: "https://maestro.example.com", connected: true });
  const [start] = fs
    .readFileSync(record, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(start.argv).toEqual(["tunnel", "--no-autoupdate", "run"]);
  expect(start.token).toBe("set");
  expect(JSON.stringify(start.argv)).not.toContain("eyJ");
});

test("a cloudflared left running by a bridge that was killed hard is stopped when the next one starts", async () => {
  const dir = tempDir();
  const pidFile = path.join(dir, "cloudflared.pid");
  const env = { ...process.env, PATH: PATH_WITH_FAKE };
  const first = createTestServices({ tunnel: { env, pidFile } });
  first.tunnel.setTarget("127.0.0.1", 4999);
  await first.tunnel.start();
  const { pid } = await waitFor(first, (s) => s.state === "running");
  expect(fs.readFileSync(pidFile, "utf8")).toBe(String(pid));
  // The bridge dies without cleaning up (its services are simply abandoned): cloudflared lives on.
  expect(alive(pid!)).toBe(true);
  const second = createTestServices({ tunnel: { env, pidFile } });
  open.push(second);
  await expect.poll(() => alive(pid!), { timeout: 3000 }).toBe(false);
  expect(fs.existsSync(pidFile)).toBe(false);
  await first.cleanup();
});

test("a pid file naming some other process leaves that process alone", async () => {
  const pidFile = path.join(tempDir(), "cloudflared.pid");
  fs.writeFileSync(pidFile, String(process.pid));
  const services = createTestServices({ tunnel: { env: process.env, pidFile } });
  open.push(services);
  expect(alive(process.pid)).toBe(true);
  expect(fs.existsSync(pidFile)).toBe(false);
});

test("every published status carries a newer revision than the one before, so clients can order them", async () => {
  const services = servicesWith({ ...process.env, PATH: PATH_WITH_FAKE });
  const seen: TunnelStatus["revision"][] = [];
  const off = services.bus.subscribe("tunnel.status", (s) => seen.push(s.revision));
  await services.tunnel.start();
  await waitFor(services, (s) => s.state === "running");
  await services.tunnel.stop();
  off();
  expect(seen.length).toBeGreaterThanOrEqual(3);
  expect(new Set(seen.map((r) => r.boot)).size).toBe(1);
  for (let i = 1; i < seen.length; i++) expect(seen[i]!.seq).toBeGreaterThan(seen[i - 1]!.seq);
  // Another bridge (another run) names itself differently.
  const other = servicesWith({ ...process.env, PATH: PATH_WITH_FAKE });
  expect(other.tunnel.status().revision.boot).not.toBe(seen[0]!.boot);
});
