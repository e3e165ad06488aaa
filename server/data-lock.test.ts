import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { afterAll, expect, test } from "vitest";
import { acquireLock, lockFile, lockHeldMessage, readLock, releaseLock, takeOverStale } from "./data-lock";
import { tempDir } from "./testing/harness";
import { PROJECT_ROOT } from "./version";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function dir() {
  const d = tempDir();
  dirs.push(d);
  return d;
}

/** A pid that certainly belonged to a process and is now gone. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(r.stdout.toString());
}

function child(dataDir: string, holdMs: number, as?: { uid: number; gid: number }) {
  return new Promise<{ ok: boolean; pid?: number; holder?: number; error?: string }>((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", "server/testing/lock-child.ts", dataDir, String(holdMs)], {
      cwd: PROJECT_ROOT,
      stdio: ["ignore", "pipe", "inherit"],
      ...(as ? { ...as, env: { ...process.env, HOME: dataDir } } : {}),
    });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.on("error", reject);
    p.on("exit", () => resolve(JSON.parse(out.trim()) as { ok: boolean }));
  });
}

test("two real processes racing for one data dir: exactly one gets it, the other is told its pid", async () => {
  const d = dir();
  const results = await Promise.all([child(d, 1500), child(d, 1500), child(d, 1500)]);
  const winners = results.filter((r) => r.ok);
  expect(winners).toHaveLength(1);
  for (const loser of results.filter((r) => !r.ok)) expect(loser.holder).toBe(winners[0]!.pid);
  // Each winner released on its way out: the lock is gone and no temporary file is left behind.
  expect(fs.readdirSync(d)).toEqual([]);
}, 30_000);

test("real processes racing to take over one stale lock: exactly one wins, the others see it", async () => {
  const d = dir();
  fs.writeFileSync(lockFile(d), JSON.stringify({ pid: deadPid(), kind: "bridge", startedAt: "2026-01-01T00:00:00.000Z", nonce: "old" }));
  const results = await Promise.all([child(d, 1500), child(d, 1500), child(d, 1500)]);
  const winners = results.filter((r) => r.ok);
  expect(winners).toHaveLength(1);
  for (const loser of results.filter((r) => !r.ok)) expect(loser.holder).toBe(winners[0]!.pid);
  expect(fs.readdirSync(d)).toEqual([]);
}, 30_000);

test("a held lock refuses a second taker with the holder's pid and kind", () => {
  const d = dir();
  const first = acquireLock(d, "bridge");
  expect(first.ok).toBe(true);
  const second = acquireLock(d, "headless");
  expect(second).toEqual({ ok: false, holder: expect.objectContaining({ pid: process.pid, kind: "bridge" }) });
  if (!second.ok)
    expect(lockHeldMessage(second.holder, d)).toBe(
      `another Maestro (pid ${process.pid}) uses ${d}. Stop it first, or start with another --data-dir.`,
    );
  expect((fs.statSync(lockFile(d)).mode & 0o777).toString(8)).toBe("600");
});

test("a stale lock (dead pid) is taken over, and only its remains are removed", () => {
  const d = dir();
  const pid = deadPid();
  fs.writeFileSync(lockFile(d), JSON.stringify({ pid, kind: "bridge", startedAt: "2026-01-01T00:00:00.000Z", nonce: "old" }));
  const r = acquireLock(d, "bridge");
  expect(r.ok).toBe(true);
  expect(readLock(d)).toEqual(expect.objectContaining({ pid: process.pid, kind: "bridge" }));
  expect(readLock(d)?.nonce).not.toBe("old");
  expect(fs.readdirSync(d)).toEqual(["maestro.lock"]);
});

test("a lock naming this process's own pid that it does not hold is a previous life's (a container's pid 1 after a crash): taken over", () => {
  const d = dir();
  fs.writeFileSync(
    lockFile(d),
    JSON.stringify({ pid: process.pid, kind: "bridge", startedAt: "2026-01-01T00:00:00.000Z", nonce: "before-crash" }),
  );
  const r = acquireLock(d, "bridge");
  expect(r.ok).toBe(true);
  expect(readLock(d)?.nonce).not.toBe("before-crash");
  // Held here now: a second taker in this process is refused, and after release it can be taken again.
  expect(acquireLock(d, "headless").ok).toBe(false);
  if (r.ok) expect(releaseLock(d, r.lock)).toBe(true);
  expect(acquireLock(d, "headless").ok).toBe(true);
});

test("a lock another user owns (unreadable, EACCES) is refused with a clear message and left in place", async () => {
  const d = dir();
  const live = JSON.stringify({ pid: process.pid, kind: "bridge", startedAt: new Date().toISOString(), nonce: "root-owned" });
  fs.writeFileSync(lockFile(d), live, { mode: 0o600 });
  const expected = `${lockFile(d)} is not readable (EACCES; owned by another user?)`;
  if (process.getuid?.() === 0) {
    // Root reads every file: play the other user with a real child running as nobody, in a
    // data dir it owns (it could rename the lock away, which is the bug this guards against).
    const nobody = { uid: 65534, gid: 65534 };
    fs.chownSync(d, nobody.uid, nobody.gid);
    const r = await child(d, 0, nobody);
    expect(r.ok).toBe(false);
    expect(r.error).toContain(expected);
  } else {
    fs.chmodSync(lockFile(d), 0o000);
    expect(() => acquireLock(d, "headless")).toThrow(expected);
    fs.chmodSync(lockFile(d), 0o600);
  }
  expect(fs.readFileSync(lockFile(d), "utf8")).toBe(live);
  expect(fs.readdirSync(d)).toEqual(["maestro.lock"]);
}, 30_000);

test("a lock that is not one of ours (unparseable) counts as stale and is taken over", () => {
  const d = dir();
  fs.writeFileSync(lockFile(d), "garbage");
  const r = acquireLock(d, "bridge");
  expect(r.ok).toBe(true);
  expect(readLock(d)?.pid).toBe(process.pid);
});

test("release removes only this holder's lock; afterwards it can be taken again", () => {
  const d = dir();
  const r = acquireLock(d, "headless");
  if (!r.ok) throw new Error("expected the lock");
  // A lock with the same pid but another nonce (a later holder) is not ours to remove.
  expect(releaseLock(d, { ...r.lock, nonce: "someone-else" })).toBe(false);
  expect(readLock(d)?.nonce).toBe(r.lock.nonce);
  expect(releaseLock(d, r.lock)).toBe(true);
  expect(fs.existsSync(lockFile(d))).toBe(false);
  expect(acquireLock(d, "bridge").ok).toBe(true);
});

test("the takeover moves only the stale lock it read: a live lock that replaced it meanwhile is put back", () => {
  const d = dir();
  const stale = { pid: deadPid(), kind: "bridge" as const, startedAt: "2026-01-01T00:00:00.000Z", nonce: "old" };
  // Another process took the stale lock over between this one's read and its rename.
  // (The test runner's parent process plays the live holder: alive, and not this process.)
  const live = JSON.stringify({ pid: process.ppid, kind: "headless", startedAt: new Date().toISOString(), nonce: "live" });
  fs.writeFileSync(lockFile(d), live);
  takeOverStale(lockFile(d), stale);
  expect(fs.readFileSync(lockFile(d), "utf8")).toBe(live);
  expect(fs.readdirSync(d)).toEqual(["maestro.lock"]);
  // The stale lock it did read is removed.
  fs.writeFileSync(lockFile(d), JSON.stringify(stale));
  takeOverStale(lockFile(d), stale);
  expect(fs.readdirSync(d)).toEqual([]);
});
