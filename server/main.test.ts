import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { tempDir } from "./testing/harness";
import { PROJECT_ROOT } from "./version";

/** Runs the real bridge entry point and collects how it ends. */
function runMain(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", "--no-qr", ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

test("a bad flag: one line naming it, exit 2", async () => {
  const r = await runMain(["--prot", "80"]);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).toMatch(/^maestro: unknown option "--prot"\. usage: npm start -- /);
});

test("a port in use: one line saying what to do, exit 1", async () => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
  const port = (blocker.address() as net.AddressInfo).port;
  const home = tempDir();
  dirs.push(home);
  const r = await runMain(["--port", String(port)], { MAESTRO_HOME: home });
  blocker.close();
  expect(r.code).toBe(1);
  expect(r.stderr.trim()).toBe(`maestro: port ${port} on 127.0.0.1 is in use (another Maestro?). Stop it, or start with --port N.`);
  // It had taken the data-dir lock, and gave it back on its way out.
  expect(fs.existsSync(path.join(home, "maestro.lock"))).toBe(false);
});

test("an unwritable data dir: one line saying what to do, exit 1", async () => {
  const parent = tempDir();
  dirs.push(parent);
  const file = path.join(parent, "a-file");
  fs.writeFileSync(file, "x");
  // A data dir under a regular file cannot be created, even by root.
  const r = await runMain([], { MAESTRO_HOME: path.join(file, "maestro") });
  expect(r.code).toBe(1);
  expect(r.stderr.trim()).toMatch(
    /^maestro: cannot write to the data dir .*a-file\/maestro \(ENOTDIR\)\. Set MAESTRO_HOME \(or --data-dir\) to a writable folder/,
  );
});

test("a data dir another live Maestro holds: one line naming its pid, exit 1, its lock untouched", async () => {
  const home = tempDir();
  dirs.push(home);
  const lock = JSON.stringify({ pid: process.pid, kind: "bridge", startedAt: new Date().toISOString(), nonce: "held" });
  fs.writeFileSync(path.join(home, "maestro.lock"), lock);
  const r = await runMain(["--port", "0"], { MAESTRO_HOME: home });
  expect(r.code).toBe(1);
  expect(r.stderr.trim()).toBe(
    `maestro: another Maestro (pid ${process.pid}) uses ${home}. Stop it first, or start with another --data-dir.`,
  );
  expect(fs.readFileSync(path.join(home, "maestro.lock"), "utf8")).toBe(lock);
  // Refused before the database was opened: no migrations ran against the held data dir.
  expect(fs.existsSync(path.join(home, "maestro.db"))).toBe(false);
});

test("bridge.json appears as soon as /api answers (before Next), its instanceId is the one /api/health gives", async () => {
  const home = tempDir();
  dirs.push(home);
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", "--no-qr", "--dev", "--port", "0"], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, MAESTRO_HOME: home },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    const file = path.join(home, "bridge.json");
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const info = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    expect(Object.keys(info).sort()).toEqual(["host", "instanceId", "pid", "port", "startedAt", "url"]);
    expect(info.pid).toBe(child.pid);
    expect(info.url).toBe(`http://127.0.0.1:${info.port as number}`);
    expect(info.instanceId).toMatch(/^[0-9a-f-]{36}$/);
    const health = (await (await fetch(`${info.url as string}/api/health`)).json()) as Record<string, unknown>;
    expect(health).toEqual({ ok: true, instanceId: info.instanceId, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    // The CLI's token is in place (0600) by then, and the API takes it.
    const tokenFile = path.join(home, "cli-token");
    expect((fs.statSync(tokenFile).mode & 0o777).toString(8)).toBe("600");
    const { token } = JSON.parse(fs.readFileSync(tokenFile, "utf8")) as { token: string };
    const me = await fetch(`${info.url as string}/api/trpc/system.me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(JSON.parse(fs.readFileSync(path.join(home, "maestro.lock"), "utf8"))).toEqual(
      expect.objectContaining({ pid: child.pid, kind: "bridge" }),
    );
  } finally {
    // Next dev is still preparing (and may hold the event loop); the clean shutdown path is
    // covered by e2e/bridge-lifecycle.spec.ts.
    child.kill("SIGKILL");
    await exited;
  }
}, 40_000);
