import fs from "node:fs/promises";
import path from "node:path";
import { gitOk } from "./run-git";

/** Per repository, the end of its queue of worktree changes. */
const tails = new Map<string, Promise<void>>();

/**
 * What makes two folders the same repository: the real path of their common git dir. Every
 * worktree of a repository, and every path that reaches it (a link, a subfolder), gives the same one.
 */
export async function repositoryKey(folder: string): Promise<string> {
  const out = await gitOk(["rev-parse", "--path-format=absolute", "--git-common-dir"], { cwd: folder });
  return fs.realpath(out.trim());
}

/**
 * Runs `fn` once every earlier call for the same repository has settled, whatever their outcome.
 * Git's `worktree add` and `worktree remove` are not safe side by side: one reads the others'
 * half-written `.git/worktrees/<name>/` ("failed to read …/commondir") and fails.
 */
export async function oneWorktreeChangeAtATime<T>(folder: string, fn: () => Promise<T>): Promise<T> {
  // Not a repository (any more): nothing to share a queue with, and `fn` says what is wrong.
  const key = await repositoryKey(folder).catch(() => path.resolve(folder));
  const before = tails.get(key) ?? Promise.resolve();
  const run = before.then(fn);
  const tail = run.then(
    () => {},
    () => {},
  );
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}
