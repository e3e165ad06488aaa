import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { readLock } from "../server/data-lock";
import { buildApp, needsBuild } from "../server/next-build";
import { BIN, dataDirFor, maestro, ROOT } from "./testing/fake-bridge";

/**
 * `maestro start` and `npm start` with real processes: the bridge stops once and cleanly however
 * it is asked to (Ctrl-C to the terminal's group, a hang-up, SIGTERM), never outlives its
 * `maestro` parent (SIGKILL), and leaves no lock or bridge.json behind.
 */
const home = dataDirFor();
const homes = [home];
/** Every bridge a test saw, so a failing test leaves none running. */
const bridges = new Set<number>();
beforeAll(() => {
  if (needsBuild()) buildApp();
}, 300_000);
afterAll(() => {
  for (const pid of bridges) if (alive(pid)) process.kill(pid, "SIGKILL");
  homes.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});
/** A data dir of its own, for a test that leaves a killed bridge's remains behind or must see a fresh start. */
function fresh() {
  const dir = dataDirFor();
  homes.push(dir);
  return dir;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const ENV = { MAESTRO_HOME: "", MAESTRO_SIM_HOME: path.join(home, "simulator"), NEXT_TELEMETRY_DISABLED: "1" };
const bridgeFile = (dir = home) => path.join(dir, "bridge.json");
function bridgePid(dir = home) {
  const pid = JSON.parse(fs.readFileSync(bridgeFile(dir), "utf8")).pid as number;
  bridges.add(pid);
  return pid;
}
/** Nothing of a bridge is left in the data dir: no lock, no bridge.json. */
const leftovers = (dir = home) => fs.readdirSync(dir).filter((f) => f === "maestro.lock" || f === "bridge.json");

/** Spawns a command in a process group of its own (like a shell's foreground job), collecting its output. */
function launch(command: string, args: string[], opts: { env?: Record<string, string>; detached?: boolean } = {}) {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...ENV, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: opts.detached ?? true,
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once("exit", (code, signal) => r({ code, signal })),
  );
  const ready = () => expect.poll(() => output, { timeout: 120_000, interval: 200 }).toMatch(/Pair a device/);
  return { child, exited, ready, output: () => output };
}

const startMaestro = (opts: { detached?: boolean; dir?: string } = {}) =>
  launch(process.execPath, [BIN, "--data-dir", opts.dir ?? home, "start", "--port", "0", "--no-qr"], opts);

test("Ctrl-C in the terminal (SIGINT to the whole group, bridge included, and passed on by maestro) stops the bridge once, cleanly", async () => {
  const m = startMaestro();
  await m.ready();
  const pid = bridgePid();
  process.kill(-m.child.pid!, "SIGINT");
  expect((await m.exited).code, m.output()).toBe(0);
  expect(m.output().match(/Stopping \(SIGINT\)/g)).toHaveLength(1);
  expect(m.output()).not.toContain("again, exiting now");
  expect(alive(pid)).toBe(false);
  expect(leftovers()).toEqual([]);
}, 180_000);

test("a hang-up of maestro alone (terminal closed) stops the bridge too", async () => {
  const m = startMaestro();
  await m.ready();
  const pid = bridgePid();
  m.child.kill("SIGHUP");
  await m.exited;
  await expect.poll(() => alive(pid), { timeout: 15_000, interval: 100 }).toBe(false);
  expect(m.output()).toContain("Stopping (SIGTERM)");
  expect(leftovers()).toEqual([]);
}, 180_000);

test("maestro start runs the bridge for --data-dir; SIGTERM to maestro stops the bridge", async () => {
  const m = startMaestro({ detached: false });
  await m.ready();
  const status = await maestro(["--data-dir", home, "status", "--json"]);
  expect(status.code, status.stderr).toBe(0);
  expect(JSON.parse(status.stdout)).toMatchObject({ running: true, mode: "bridge", dataDir: home, agents: 0 });
  const pid = bridgePid();
  expect(pid).not.toBe(m.child.pid);
  m.child.kill("SIGTERM");
  expect((await m.exited).code).toBe(0);
  expect(alive(pid)).toBe(false);
  expect((await maestro(["--data-dir", home, "status"])).code).toBe(3);
}, 180_000);

test("SIGKILL of maestro (a supervisor, `timeout -s KILL`) does not orphan the bridge: it stops cleanly on its own", async () => {
  const m = startMaestro();
  await m.ready();
  const pid = bridgePid();
  m.child.kill("SIGKILL");
  await m.exited;
  await expect.poll(() => alive(pid), { timeout: 15_000, interval: 100 }).toBe(false);
  expect(m.output()).toContain("Stopping (its maestro parent exited)");
  expect(leftovers()).toEqual([]);
}, 180_000);

test("a bridge killed by a signal makes maestro exit 128 + n, as a shell reports it", async () => {
  const dir = fresh();
  const m = startMaestro({ dir });
  await m.ready();
  process.kill(bridgePid(dir), "SIGKILL");
  expect(await m.exited).toEqual({ code: 137, signal: null });
}, 180_000);

test("SIGTERM while Next is still starting stops cleanly: no lock, no bridge.json left", async () => {
  const dir = fresh();
  const m = startMaestro({ dir });
  // The lock is the bridge's first act; Next starts loading right after it (beside the database's
  // open and recovery), so the signal arrives while Next is starting, whatever the machine's speed.
  await expect.poll(() => readLock(dir)?.pid, { timeout: 120_000, interval: 5 }).toBeGreaterThan(0);
  const pid = readLock(dir)!.pid;
  bridges.add(pid);
  process.kill(pid, "SIGTERM");
  const { code } = await m.exited;
  // Honest only if Next was not up yet when the signal went out.
  expect(m.output()).not.toContain("Maestro is running at");
  expect(code, m.output()).toBe(0);
  expect(m.output()).toContain("Stopping (SIGTERM)");
  expect(alive(pid)).toBe(false);
  expect(leftovers(dir)).toEqual([]);
}, 180_000);

test("MAESTRO_SUPERVISED=1 without an IPC channel: the bridge stops when its parent dies (parent pid watch)", async () => {
  const dir = fresh();
  // A plain supervisor: spawns the bridge with the flag and no channel, then waits forever.
  const supervisor = `require("node:child_process").spawn(process.execPath, ["--import", "tsx", "server/main.ts", "--port", "0", "--no-qr"], { stdio: "inherit", env: { ...process.env, MAESTRO_HOME: ${JSON.stringify(dir)}, MAESTRO_SUPERVISED: "1" } }); setInterval(() => {}, 1e9);`;
  const s = launch(process.execPath, ["-e", supervisor]);
  await s.ready();
  const pid = bridgePid(dir);
  s.child.kill("SIGKILL");
  await expect.poll(() => alive(pid), { timeout: 15_000, interval: 100 }).toBe(false);
  expect(s.output()).toContain("Stopping (its maestro parent exited)");
  expect(leftovers(dir)).toEqual([]);
}, 180_000);

test("`npm start -- --port 0` runs `maestro start`; Ctrl-C through npm stops everything once", async () => {
  const n = launch("npm", ["start", "--", "--data-dir", home, "--port", "0", "--no-qr"]);
  await n.ready();
  const pid = bridgePid();
  // The bridge's parent is the maestro CLI, not tsx under npm.
  const parent = Number(fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
  expect(fs.readFileSync(`/proc/${parent}/cmdline`, "utf8").split("\0")).toEqual(expect.arrayContaining(["bin/maestro.mjs", "start"]));
  process.kill(-n.child.pid!, "SIGINT");
  await n.exited;
  await expect.poll(() => alive(pid), { timeout: 15_000, interval: 100 }).toBe(false);
  expect(n.output().match(/Stopping \(SIGINT\)/g)).toHaveLength(1);
  expect(n.output()).not.toContain("again, exiting now");
  expect(leftovers()).toEqual([]);
}, 180_000);
