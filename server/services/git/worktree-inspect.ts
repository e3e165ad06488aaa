import fs from "node:fs/promises";
import path from "node:path";
import { parsePorcelainPaths } from "../../../lib/git/worktree-cleanup";
import { AppError } from "../../errors";
import { oneWorktreeChangeAtATime } from "./repo-lock";
import { runGit } from "./run-git";

/** How many uncommitted file names a check carries (the warning shows a few, then "and N more"). */
export const FIRST_FILES = 5;

/**
 * A folder's size in bytes, walked with fs (no `du`: not on every machine), symlinks not
 * followed, stopped at `deadline` (ms since epoch): then `complete` is false and `bytes` a lower
 * bound. A `node_modules` of 100k files must not hold a request for minutes.
 */
export async function folderSize(root: string, deadline: number): Promise<{ bytes: number; complete: boolean }> {
  let bytes = 0;
  const stack = [root];
  while (stack.length > 0) {
    if (Date.now() > deadline) return { bytes, complete: false };
    const dir = stack.pop()!;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile())
        bytes += await fs.lstat(p).then(
          (s) => s.size,
          () => 0,
        );
    }
  }
  return { bytes, complete: true };
}

export async function isDir(p: string): Promise<boolean> {
  return fs.stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/**
 * Files with changes or new and not ignored in the worktree: what `git worktree remove` would
 * lose. `spec` (from `--` on) narrows what counts (the Auto Run folder is left out); `excluded`
 * is how many changed files it left out, which git itself still sees as a reason to refuse.
 */
export async function uncommittedIn(worktree: string, spec: string[] = []): Promise<{ count: number; first: string[]; excluded: number }> {
  const status = (extra: string[]) =>
    runGit(["status", "--porcelain=v1", "-z", "--untracked-files=all", ...extra], { cwd: worktree, timeoutMs: 30_000 });
  const r = await status(spec);
  if (r.code !== 0) return { count: 0, first: [], excluded: 0 };
  const paths = parsePorcelainPaths(r.stdout);
  const all = spec.length > 2 ? await status([]) : r;
  const total = all.code === 0 ? parsePorcelainPaths(all.stdout).length : paths.length;
  return { count: paths.length, first: paths.slice(0, FIRST_FILES), excluded: Math.max(0, total - paths.length) };
}

/**
 * Commits on the worktree's HEAD found nowhere else: not on its upstream when it has one, else
 * not on any remote-tracking branch nor on the main branch (a local-only repository's merged
 * work is safe in main). A HEAD without commits has none.
 */
export async function unpushedIn(worktree: string, mainBranch: string | null): Promise<{ count: number; upstream: string | null }> {
  const up = await runGit(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"], { cwd: worktree });
  const upstream = up.code === 0 && up.stdout.trim() ? up.stdout.trim() : null;
  const args = upstream
    ? ["rev-list", "--count", "@{upstream}..HEAD"]
    : ["rev-list", "--count", "HEAD", "--not", "--remotes", ...(mainBranch ? [`refs/heads/${mainBranch}`] : [])];
  const r = await runGit(args, { cwd: worktree, timeoutMs: 30_000 });
  return { count: r.code === 0 ? Number(r.stdout.trim()) || 0 : 0, upstream };
}

/**
 * Commits reachable from `head` and from no branch, remote-tracking branch or tag: what a
 * detached worktree holds that nothing else does (removing it leaves them to garbage collection).
 */
export async function commitsOnNoRef(mainRepo: string, head: string | null): Promise<number> {
  if (!head || !/^[0-9a-f]{40,64}$/.test(head)) return 0;
  const r = await runGit(["rev-list", "--count", head, "--not", "--branches", "--remotes", "--tags"], { cwd: mainRepo, timeoutMs: 30_000 });
  return r.code === 0 ? Number(r.stdout.trim()) || 0 : 0;
}

/** Whether `commit` is reachable from the main branch (run in the main repository). */
export async function mergedInto(mainRepo: string, commit: string | null, mainBranch: string | null): Promise<boolean> {
  if (!commit || !mainBranch || !/^[0-9a-f]{40,64}$/.test(commit)) return false;
  const r = await runGit(["merge-base", "--is-ancestor", commit, `refs/heads/${mainBranch}`], { cwd: mainRepo });
  return r.code === 0;
}

/** Local branches with their upstream's state (`[gone]` when the remote branch was deleted). */
export async function localBranches(mainRepo: string): Promise<Map<string, { upstreamGone: boolean }>> {
  const r = await runGit(["for-each-ref", "--format=%(refname)%00%(upstream:track)", "refs/heads/"], { cwd: mainRepo });
  const map = new Map<string, { upstreamGone: boolean }>();
  for (const line of r.stdout.split("\n")) {
    const [ref, track] = line.split("\0");
    if (ref?.startsWith("refs/heads/")) map.set(ref.slice("refs/heads/".length), { upstreamGone: track === "[gone]" });
  }
  return map;
}

/** Whether the branch's reflog records more than its creation (a commit, a merge, a reset…). */
export async function hadOwnCommits(mainRepo: string, branch: string): Promise<boolean> {
  const r = await runGit(["rev-list", "--walk-reflogs", "--count", `refs/heads/${branch}`], { cwd: mainRepo });
  // No reflog (logAllRefUpdates off): ancestry alone has to do.
  return r.code !== 0 || Number(r.stdout.trim()) > 1;
}

/** The newest of HEAD's commit time and the folder's mtime, in ms; null when neither can be read. */
export async function lastActivity(mainRepo: string, worktree: string, head: string | null): Promise<number | null> {
  let newest: number | null = null;
  if (head && /^[0-9a-f]{40,64}$/.test(head)) {
    const r = await runGit(["log", "-1", "--format=%ct", head], { cwd: mainRepo });
    const t = Number(r.stdout.trim()) * 1000;
    if (r.code === 0 && t > 0) newest = t;
  }
  const st = await fs.stat(worktree).catch(() => null);
  if (st && (newest === null || st.mtimeMs > newest)) newest = st.mtimeMs;
  return newest;
}

/**
 * `git worktree remove [--force] -- <path>` from the main repository; a folder already gone is
 * forgotten the same way. A branch never reaches this argv: only git's own listed path, after `--`.
 */
export async function removeWorktreeFolder(mainRepo: string, worktree: string, force: boolean): Promise<void> {
  const r = await oneWorktreeChangeAtATime(mainRepo, () =>
    runGit(["worktree", "remove", ...(force ? ["--force"] : []), "--", worktree], { cwd: mainRepo, timeoutMs: 120_000 }),
  );
  if (r.code === 0) return;
  const line =
    (r.stderr || r.stdout)
      .trim()
      .split("\n")[0]
      ?.replace(/^(fatal|error): /, "") ?? `exit status ${r.code}`;
  throw new AppError("CONFLICT", `git could not remove ${worktree}: ${line}`);
}

/** Deletes a local branch: `-d` (git refuses an unmerged one) or `-D`; the name is its own word after `--`. */
export async function deleteBranch(mainRepo: string, branch: string, force: boolean): Promise<string | null> {
  if (branch.startsWith("-")) return `Refused to delete a branch named ${branch}.`;
  const r = await runGit(["branch", force ? "-D" : "-d", "--", branch], { cwd: mainRepo });
  if (r.code === 0) return null;
  return (
    (r.stderr || r.stdout)
      .trim()
      .split("\n")[0]
      ?.replace(/^(fatal|error): /, "") || `git branch exited with ${r.code}`
  );
}
