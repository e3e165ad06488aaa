import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gitOk, runGit } from "./run-git";

/** A snapshot must never hold a turn up for long: a slow repository simply goes unrecorded. */
const SNAPSHOT_TIMEOUT_MS = 10_000;

/** A work tree's top folder (git paths are relative to it) and its index file. */
export interface RepoPaths {
  top: string;
  index: string;
}

/**
 * The top of the work tree `folder` is in, or null when it is not in one. Cached per folder: a
 * turn in a plain folder pays for one `rev-parse` in the bridge's life, not one per turn.
 * (A folder that later gets `git init` is picked up after a restart.)
 */
export function createRepoCache() {
  const tops = new Map<string, Promise<RepoPaths | null>>();
  return (folder: string): Promise<RepoPaths | null> => {
    let top = tops.get(folder);
    if (!top) {
      top = runGit(["rev-parse", "--is-inside-work-tree", "--path-format=absolute", "--show-toplevel", "--git-path", "index"], {
        cwd: folder,
      }).then(
        (r) => {
          const [inside, dir, index] = r.stdout.split("\n");
          return r.code === 0 && inside === "true" && dir && index ? { top: dir, index } : null;
        },
        () => null,
      );
      tops.set(folder, top);
    }
    return top;
  };
}

/**
 * The working tree of the repository at `top` as a tree object: HEAD plus every uncommitted and
 * untracked (not ignored) change. It is built in a temporary index (a copy of the real one, so
 * git's stat cache spares rehashing unchanged files); the user's index and files are never
 * written. The blobs it adds are ordinary loose objects, pruned by `git gc` only once unreachable
 * for its grace period (two weeks by default).
 */
export async function workTreeSnapshot({ top, index }: RepoPaths): Promise<string> {
  const tmp = path.join(os.tmpdir(), `maestro-index-${crypto.randomUUID()}`);
  const opts = { cwd: top, timeoutMs: SNAPSHOT_TIMEOUT_MS, env: { GIT_INDEX_FILE: tmp } };
  try {
    if (fs.existsSync(index)) fs.copyFileSync(index, tmp);
    else await gitOk(["read-tree", "--empty"], opts);
    await gitOk(["add", "-A", "--", "."], opts);
    return (await gitOk(["write-tree"], opts)).trim();
  } finally {
    fs.rmSync(tmp, { force: true });
    fs.rmSync(`${tmp}.lock`, { force: true });
  }
}

/** How many files differ between two trees. */
export async function treesChanged(top: string, before: string, after: string): Promise<number> {
  if (before === after) return 0;
  const out = await gitOk(["diff-tree", "-r", "--name-only", "-z", "--find-renames", before, after], { cwd: top });
  return out.split("\0").filter(Boolean).length;
}
