import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** Who drives a data dir: the bridge, or a headless `maestro` command. One at a time. */
export type LockKind = "bridge" | "headless";

export interface LockInfo {
  pid: number;
  kind: LockKind;
  startedAt: string;
  /** Random per acquisition: tells this holder's file from a later one with a reused pid. */
  nonce: string;
}

export type LockResult = { ok: true; lock: LockInfo } | { ok: false; holder: LockInfo };

export function lockFile(dataDir: string) {
  return path.join(dataDir, "maestro.lock");
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The locks this process holds (by nonce). A lock naming this process's own pid that it does not
 * hold is a previous life's: a container's bridge is pid 1 after every restart, and a reboot can
 * hand the old pid to this process; calling it alive would refuse every start after a crash.
 */
const heldHere = new Set<string>();

function holderAlive(lock: LockInfo): boolean {
  return lock.pid === process.pid ? heldHere.has(lock.nonce) : pidAlive(lock.pid);
}

function parseLock(text: string): LockInfo | null {
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.pid !== "number" || (v.kind !== "bridge" && v.kind !== "headless")) return null;
    return { pid: v.pid, kind: v.kind, startedAt: String(v.startedAt ?? ""), nonce: String(v.nonce ?? "") };
  } catch {
    return null;
  }
}

/**
 * A lock file this process may not read: someone else's (e.g. a `sudo maestro start` left a
 * root-owned 0600 lock). Its holder may be alive, so it is never taken over.
 */
export class LockUnreadableError extends Error {
  constructor(file: string, code: string) {
    super(`${file} is not readable (${code}; owned by another user?). Stop the Maestro that holds it, or run as its user.`);
    this.name = "LockUnreadableError";
  }
}

/**
 * A lock file's contents: null when there is none (ENOENT) or it is not a lock we wrote (parse
 * failure). Any other read error (EACCES, EPERM…) throws LockUnreadableError: "no lock" would
 * let a second Maestro move a live holder's lock aside.
 */
function readLockFile(file: string): LockInfo | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "EIO";
    if (code === "ENOENT") return null;
    throw new LockUnreadableError(file, code);
  }
  return parseLock(text);
}

/** The lock as written, or null when there is none (or it is not a lock we wrote). Throws LockUnreadableError. */
export function readLock(dataDir: string): LockInfo | null {
  return readLockFile(lockFile(dataDir));
}

const unique = () => `${process.pid}.${randomBytes(6).toString("hex")}`;

/**
 * Takes `<dataDir>/maestro.lock` for this process. The file is written whole under a temporary
 * name and then hard-linked into place: `link` fails with EEXIST when the lock exists, so of two
 * processes racing exactly one wins, and nobody ever reads a half-written lock.
 *
 * A lock whose pid is dead is stale and is taken over. "Read it, see a dead pid, unlink it" would
 * race: A and B both read the stale file, A unlinks it and links its own, then B unlinks A's live
 * lock and links its own, and both believe they hold it. Instead the taker renames the lock to a
 * name of its own and re-reads what it moved: only one rename of a given file can succeed, and if
 * what was moved is not the stale lock it read (someone took over in between), it is linked back
 * and the taker starts over, now seeing the live holder. What remains is a window of a few
 * syscalls between moving a live lock aside and linking it back, which only a third process that
 * starts exactly then could use.
 *
 * A lock this process cannot read (another user's) throws LockUnreadableError and stays in place.
 */
export function acquireLock(dataDir: string, kind: LockKind): LockResult {
  const file = lockFile(dataDir);
  const lock: LockInfo = { pid: process.pid, kind, startedAt: new Date().toISOString(), nonce: randomBytes(12).toString("hex") };
  const tmp = `${file}.${unique()}.tmp`;
  const fd = fs.openSync(tmp, "wx", 0o600);
  try {
    fs.writeFileSync(fd, JSON.stringify(lock));
  } finally {
    fs.closeSync(fd);
  }
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        fs.linkSync(tmp, file);
        heldHere.add(lock.nonce);
        return { ok: true, lock };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      const seen = readLock(dataDir);
      if (seen && holderAlive(seen)) return { ok: false, holder: seen };
      takeOverStale(file, seen);
    }
    const holder = readLock(dataDir);
    if (holder) return { ok: false, holder };
    throw new Error(`cannot take the lock ${file}; remove it if no Maestro is running.`);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Moves a stale lock out of the way, or puts back a live one that was moved by mistake (exported
 * so a test can play the interleaving where another process took over first).
 */
export function takeOverStale(file: string, seen: LockInfo | null) {
  const grave = `${file}.${unique()}.stale`;
  try {
    fs.renameSync(file, grave);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return; // someone else moved it: retry
    throw err;
  }
  let moved: LockInfo | null;
  try {
    moved = readLockFile(grave);
  } catch (err) {
    // Unreadable once moved (it changed hands to another user meanwhile): put it back, refuse.
    // If a lock took its place meanwhile, the moved one is left under its grave name, not deleted.
    try {
      fs.linkSync(grave, file);
      fs.rmSync(grave, { force: true });
    } catch {}
    throw err;
  }
  const sameStale = seen === null ? moved === null || !holderAlive(moved) : moved?.nonce === seen.nonce && moved.pid === seen.pid;
  if (!sameStale && moved && holderAlive(moved)) {
    try {
      fs.linkSync(grave, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  fs.rmSync(grave, { force: true });
}

/** Removes the lock if it is still this holder's (never someone else's). */
export function releaseLock(dataDir: string, lock: LockInfo): boolean {
  let current: LockInfo | null;
  try {
    current = readLock(dataDir);
  } catch {
    return false; // not ours: we could read the one we wrote
  }
  if (!current || current.nonce !== lock.nonce || current.pid !== lock.pid) return false;
  fs.rmSync(lockFile(dataDir), { force: true });
  heldHere.delete(lock.nonce);
  return true;
}

/** One line for a refused start: who holds the data dir. */
export function lockHeldMessage(holder: LockInfo, dataDir: string): string {
  return holder.kind === "bridge"
    ? `another Maestro (pid ${holder.pid}) uses ${dataDir}. Stop it first, or start with another --data-dir.`
    : `a headless maestro (pid ${holder.pid}) is running in ${dataDir}; wait for it or stop it.`;
}
