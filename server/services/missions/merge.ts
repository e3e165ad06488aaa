import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../errors";
import { runGit } from "../git/run-git";

// A feature's work is committed by Maestro under the person's own git identity; only what git has
// no value for is Maestro's (as Auto Run does, server/services/autorun/worktree-run.ts).
const FALLBACK = { name: "Maestro Missions", email: "missions@maestro.invalid" };

const firstLine = (s: string) => s.trim().split("\n")[0] ?? "";

/** The GIT_AUTHOR_/GIT_COMMITTER_ name and email git would lack in `cwd` (git var answers as git commit would). */
export async function identityEnv(cwd: string): Promise<Record<string, string> | undefined> {
  const known = identities.get(cwd);
  if (known && known.at > Date.now() - IDENTITY_TTL_MS) return known.env;
  const env = await probeIdentity(cwd);
  identities.set(cwd, { env, at: Date.now() });
  if (identities.size > 500) identities.delete(identities.keys().next().value!);
  return env;
}

// A mission commits and merges in the same folders many times a minute: git's answer is kept a
// little while (a person fixing their identity mid-mission is heard within the minute).
const IDENTITY_TTL_MS = 60_000;
const identities = new Map<string, { env: Record<string, string> | undefined; at: number }>();

async function probeIdentity(cwd: string): Promise<Record<string, string> | undefined> {
  const env: Record<string, string> = {};
  for (const role of ["AUTHOR", "COMMITTER"] as const) {
    const probe = await runGit(["var", `GIT_${role}_IDENT`], { cwd });
    const ident = probe.code === 0 ? /^(.*?) ?<([^>]*)>/.exec(probe.stdout.trim()) : null;
    if (!ident?.[1]?.trim()) env[`GIT_${role}_NAME`] = FALLBACK.name;
    if (!ident?.[2]?.trim()) env[`GIT_${role}_EMAIL`] = FALLBACK.email;
  }
  return Object.keys(env).length ? env : undefined;
}

/** Commits everything changed in the worktree; false when there was nothing to commit. */
export async function commitWorktree(cwd: string, message: string): Promise<boolean> {
  const add = await runGit(["add", "-A"], { cwd, timeoutMs: 60_000 });
  if (add.code !== 0) throw new AppError("BAD_INPUT", `git add failed: ${firstLine(add.stderr)}`);
  // git commit itself says when there is nothing to commit (one command, not three: a mission
  // commits in every feature). A merge of the mission branch (a retry's, its conflicts resolved)
  // is committed by git even when the resolution leaves the tree as it was: it is what makes the
  // feature's branch contain the mission's.
  const commit = await runGit(["commit", "--quiet", "-m", message], { cwd, timeoutMs: 120_000, env: await identityEnv(cwd) });
  if (commit.code === 0) return true;
  if (/^(nothing to commit|nothing added to commit|no changes added to commit)/m.test(commit.stdout)) return false;
  throw new AppError("BAD_INPUT", `git commit failed: ${firstLine(commit.stderr || commit.stdout)}`);
}

/** The files the feature's branch changed since it left the mission branch. */
export async function touchedFiles(cwd: string, missionBranch: string): Promise<string[]> {
  const r = await runGit(["diff", "--name-only", "-z", `refs/heads/${missionBranch}...HEAD`, "--"], { cwd });
  return r.code === 0 ? r.stdout.split("\0").filter(Boolean) : [];
}

/**
 * Brings a kept feature worktree up to the mission branch, so the dependencies merged since are
 * in it. With no commit of its own (made ahead of time, or an attempt that failed before its
 * commit) it is fast-forwarded, else reset to the mission branch's tip; with commits of its own
 * (an earlier attempt's work: a retry) the mission branch is merged into it, and the files that
 * conflict are returned, their markers left for the worker to resolve. Throws with the reason
 * when the worktree cannot be brought up to date.
 */
export async function catchUpFeature(cwd: string, missionBranch: string): Promise<{ conflicts: string[] }> {
  const mission = `refs/heads/${missionBranch}`;
  // The usual case (made ahead, nothing of its own) is one fast-forward; only when git refuses it
  // is the worktree looked at.
  const ff = await runGit(["merge", "--ff-only", "--quiet", "--end-of-options", mission], { cwd, timeoutMs: 60_000 });
  if (ff.code === 0) return { conflicts: [] };
  const ahead = await runGit(["rev-list", "--count", `${mission}..HEAD`, "--"], { cwd });
  if (ahead.code !== 0) throw new AppError("BAD_INPUT", `The feature's worktree cannot be read: ${firstLine(ahead.stderr)}`);
  if (Number(ahead.stdout.trim()) === 0) {
    const reset = await runGit(["reset", "--hard", "--quiet", mission, "--"], { cwd, timeoutMs: 60_000 });
    if (reset.code !== 0)
      throw new AppError(
        "BAD_INPUT",
        `The feature's worktree could not be brought up to ${missionBranch} (${firstLine(ff.stderr || ff.stdout)}; reset: ${firstLine(reset.stderr)}).`,
      );
    return { conflicts: [] };
  }
  const m = await runGit(["merge", "--no-ff", "-m", `Merge ${missionBranch} into the feature's branch`, "--end-of-options", mission], {
    cwd,
    timeoutMs: 120_000,
    env: await identityEnv(cwd),
  });
  if (m.code === 0) return { conflicts: [] };
  const conflicts = await unmergedPaths(cwd);
  if (conflicts.length) return { conflicts };
  await runGit(["merge", "--abort"], { cwd }).catch(() => null);
  throw new AppError("BAD_INPUT", `Merging ${missionBranch} into the feature's branch failed: ${firstLine(m.stderr || m.stdout)}`);
}

/** The files git holds unmerged in `cwd` (a merge's conflicts not yet added). */
export async function unmergedPaths(cwd: string): Promise<string[]> {
  const r = await runGit(["diff", "--name-only", "--diff-filter=U", "-z"], { cwd });
  return r.code === 0 ? r.stdout.split("\0").filter(Boolean) : [];
}

/** The files among `files` (relative to `cwd`) that still hold a conflict marker line. */
export async function unresolved(cwd: string, files: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of files) {
    const text = await fs.readFile(path.join(cwd, f), "utf8").catch(() => "");
    if (/^(<{7}|>{7})(?: |$)/m.test(text)) out.push(f);
  }
  return out;
}

export type MergeResult = { ok: true; sha: string } | { ok: false; conflicts: string[]; message: string };

/**
 * Merges a feature's branch into the mission branch checked out in `missionFolder` (`--no-ff`,
 * so every feature is one merge commit whose second parent is the feature's tip). A conflict or
 * any failure puts the mission worktree back exactly as it was and names the conflicting files.
 */
export async function mergeFeature(missionFolder: string, featureBranch: string, message: string): Promise<MergeResult> {
  const cwd = missionFolder;
  const head = await runGit(["rev-parse", "--verify", "HEAD"], { cwd });
  if (head.code !== 0) return { ok: false, conflicts: [], message: `The mission's worktree cannot be read: ${firstLine(head.stderr)}` };
  const before = head.stdout.trim();
  /**
   * Puts the mission's worktree back as it was before the merge (as services/git/finish.ts does):
   * a merge in progress aborted, then HEAD, index and work tree reset to `before` (a merge killed
   * by the timeout, or stopped by a hook, may have staged without MERGE_HEAD). The reason it
   * could not, else null: every later merge would fail on what is left.
   */
  const undo = async (): Promise<string | null> => {
    try {
      if ((await runGit(["rev-parse", "-q", "--verify", "MERGE_HEAD"], { cwd })).code === 0) await runGit(["merge", "--abort"], { cwd });
      const reset = await runGit(["reset", "--merge", before], { cwd, timeoutMs: 60_000 });
      if (reset.code !== 0) return firstLine(reset.stderr || reset.stdout) || `git reset exited ${reset.code}`;
      const left = await runGit(["status", "--porcelain", "--untracked-files=no"], { cwd });
      if (left.code !== 0 || left.stdout.trim()) return `changes are left: ${firstLine(left.stdout || left.stderr)}`;
      return null;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  };
  const failed = async (conflicts: string[], message: string): Promise<MergeResult> => {
    const why = await undo();
    const tail = why
      ? ` Putting the mission's worktree back failed too (${why}): later merges fail until ${cwd} is cleaned up (git merge --abort, git reset --merge).`
      : "";
    return { ok: false, conflicts, message: `${message}${tail}` };
  };
  let r;
  try {
    r = await runGit(["merge", "--no-ff", "-m", message, "--end-of-options", `refs/heads/${featureBranch}`], {
      cwd,
      timeoutMs: 120_000,
      env: await identityEnv(cwd),
    });
  } catch (err) {
    return failed([], `The merge failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (r.code !== 0) {
    const conflicts = await unmergedPaths(cwd);
    return conflicts.length
      ? failed(conflicts, `Merging into the mission branch conflicts in ${conflicts.join(", ")}; nothing was merged.`)
      : failed([], `The merge failed: ${firstLine(r.stderr || r.stdout)}`);
  }
  return { ok: true, sha: (await runGit(["rev-parse", "HEAD"], { cwd })).stdout.trim() };
}

/**
 * The merge commit on the mission branch that brought `featureBranch` in (its second parent is
 * the feature's tip), or null: after a restart, a feature cut off between its merge and its
 * "done" is found merged, not done twice.
 */
export async function mergedCommitOf(repoFolder: string, missionBranch: string, featureBranch: string): Promise<string | null> {
  const tip = await runGit(["rev-parse", "--verify", "--quiet", `refs/heads/${featureBranch}^{commit}`], { cwd: repoFolder });
  if (tip.code !== 0) return null;
  const log = await runGit(["rev-list", "--merges", "--parents", `refs/heads/${missionBranch}`, "--"], {
    cwd: repoFolder,
    timeoutMs: 60_000,
  });
  if (log.code !== 0) return null;
  for (const line of log.stdout.split("\n")) {
    const [sha, , second] = line.trim().split(" ");
    if (sha && second === tip.stdout.trim()) return sha;
  }
  return null;
}
