import fs from "node:fs";
import { beforeAll, expect, test } from "vitest";
import { execThread } from "./exec-thread";
import { prepareSpawnThread, spawnChild, spawnThreadReady, type SpawnedChild } from "./spawn-thread";

interface Ran {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  error: NodeJS.ErrnoException | null;
  pidAtSpawn: number | undefined;
}

function run(child: SpawnedChild): Promise<Ran> {
  const r: Ran = { code: null, signal: null, stdout: "", stderr: "", error: null, pidAtSpawn: undefined };
  child.stdout?.on("data", (d: Buffer) => (r.stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (r.stderr += d.toString()));
  child.on("error", (err) => (r.error = err));
  child.once("spawn", () => (r.pidAtSpawn = child.pid));
  return new Promise((resolve) =>
    child.on("close", (code, signal) => {
      r.code = code;
      r.signal = signal;
      resolve(r);
    }),
  );
}

const node = (source: string, stdin = true) =>
  spawnChild(process.execPath, ["-e", source], { cwd: process.cwd(), env: { SPAWN_TEST: "yes" }, stdin, detached: true, niceness: 0 });

/** Running (a zombie, ended but not reaped by the dead thread, is not). */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
};

beforeAll(async () => {
  prepareSpawnThread();
  for (let i = 0; i < 200 && !spawnThreadReady(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(spawnThreadReady()).toBe(true);
});

test("a child started on the thread gets its input, and its output, exit status and pid come back", async () => {
  const served = execThread.served();
  const child = node(
    `let got = ""; process.stdin.on("data", (d) => (got += d)); process.stdin.on("end", () => { console.log("got " + got.trim() + " " + process.env.SPAWN_TEST); console.error("to stderr"); process.exit(7); });`,
  );
  // Written before the child exists: the socket queues it, and nothing on this side reads it first.
  child.stdin!.write("first ");
  child.stdin!.end("second\n");
  const r = await run(child);
  expect(r).toMatchObject({ code: 7, signal: null, stdout: "got first second yes\n", stderr: "to stderr\n", error: null });
  expect(r.pidAtSpawn).toBeGreaterThan(0);
  // It went through the thread (a spawn is answered when its child exits).
  expect(execThread.served()).toBe(served + 1);
});

test("children started together each get their own streams", async () => {
  const runs = await Promise.all(
    Array.from({ length: 8 }, (_, i) => {
      const child = node(
        `process.stdin.on("data", (d) => process.stdout.write("child ${i}: " + d)); process.stdin.on("end", () => process.exit(${i}));`,
      );
      child.stdin!.end(`input ${i}\n`);
      return run(child);
    }),
  );
  runs.forEach((r, i) => expect(r).toMatchObject({ code: i, stdout: `child ${i}: input ${i}\n` }));
});

test("a command that does not exist is an ENOENT error, then a close", async () => {
  const r = await run(
    spawnChild("/nonexistent/maestro-cli", [], { cwd: process.cwd(), env: {}, stdin: false, detached: true, niceness: 0 }),
  );
  expect(r.error?.code).toBe("ENOENT");
  expect(r.pidAtSpawn).toBeUndefined();
  expect(r.code).toBe(-2);
});

test("a signal to the child's group ends it with that signal; its output up to then is kept", async () => {
  const child = node(`console.log("up"); setInterval(() => {}, 1000);`, false);
  const ran = run(child);
  await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
  process.kill(-child.pid!, "SIGTERM");
  expect(await ran).toMatchObject({ code: null, signal: "SIGTERM", stdout: "up\n" });
});

test("if the thread dies, its children are ended (nobody would reap them) and closed as killed", async () => {
  const child = node(`console.log("up"); setInterval(() => {}, 1000);`, false);
  const ran = run(child);
  await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
  const pid = child.pid!;
  await execThread.kill();
  expect(await ran).toMatchObject({ signal: "SIGKILL" });
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  expect(alive(pid)).toBe(false);
  // And the next child gets a new thread.
  const next = node(`console.log("again")`, false);
  expect(await run(next)).toMatchObject({ code: 0, stdout: "again\n" });
});
