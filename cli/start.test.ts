import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildApp, needsBuild } from "../server/next-build";
import { BIN, dataDirFor, maestro, ROOT } from "./testing/fake-bridge";

const home = dataDirFor();
beforeAll(() => {
  if (needsBuild()) buildApp();
}, 300_000);
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starts `maestro start` in a process group of its own (like a shell's foreground job). */
function startMaestro() {
  const child = spawn(process.execPath, [BIN, "--data-dir", home, "start", "--port", "0", "--no-qr"], {
    cwd: ROOT,
    env: { ...process.env, MAESTRO_HOME: "", MAESTRO_SIM_HOME: path.join(home, "simulator"), NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return { child, exited, output: () => output };
}

test("Ctrl-C in the terminal (SIGINT to the foreground group) stops the bridge once, cleanly", async () => {
  const m = startMaestro();
  await expect.poll(m.output, { timeout: 120_000, interval: 200 }).toMatch(/Pair a device/); // the bridge handles signals once it is up
  const bridgePid = JSON.parse(fs.readFileSync(path.join(home, "bridge.json"), "utf8")).pid as number;
  process.kill(-m.child.pid!, "SIGINT");
  expect(await m.exited, m.output()).toBe(0);
  expect(m.output()).toContain("Stopping (SIGINT)");
  expect(m.output()).not.toContain("again, exiting now");
  expect(alive(bridgePid)).toBe(false);
  // A clean stop removes bridge.json.
  expect(fs.existsSync(path.join(home, "bridge.json"))).toBe(false);
}, 180_000);

test("a hang-up (terminal closed) stops the bridge too", async () => {
  const m = startMaestro();
  await expect.poll(m.output, { timeout: 120_000, interval: 200 }).toMatch(/Pair a device/);
  const bridgePid = JSON.parse(fs.readFileSync(path.join(home, "bridge.json"), "utf8")).pid as number;
  m.child.kill("SIGHUP");
  await m.exited;
  await expect.poll(() => alive(bridgePid), { timeout: 15_000, interval: 100 }).toBe(false);
  expect(m.output()).toContain("Stopping (SIGTERM)");
}, 180_000);

test("maestro start runs the bridge for --data-dir; SIGTERM to maestro stops the bridge", async () => {
  const child = spawn(process.execPath, [BIN, "--data-dir", home, "start", "--port", "0", "--no-qr"], {
    cwd: ROOT,
    env: { ...process.env, MAESTRO_HOME: "", MAESTRO_SIM_HOME: path.join(home, "simulator"), NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  await expect.poll(() => output, { timeout: 120_000, interval: 200 }).toMatch(/Pair a device/); // the bridge handles signals once it is up

  const status = await maestro(["--data-dir", home, "status", "--json"]);
  expect(status.code, status.stderr).toBe(0);
  expect(JSON.parse(status.stdout)).toMatchObject({ running: true, mode: "bridge", dataDir: home, agents: 0 });
  const bridgePid = JSON.parse(fs.readFileSync(path.join(home, "bridge.json"), "utf8")).pid as number;
  expect(bridgePid).not.toBe(child.pid);

  child.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(alive(bridgePid)).toBe(false);
  expect((await maestro(["--data-dir", home, "status"])).code).toBe(3);
}, 180_000);
