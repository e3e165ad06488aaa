/** How many days without a commit or a change to its folder make a worktree "old" unless Settings say otherwise. */
export const DEFAULT_STALE_DAYS = 14;
export const MAX_STALE_DAYS = 3650;

/** Why a worktree is listed on the cleanup screen. */
export type StaleReason = "merged" | "gone" | "missing" | "old";

export const STALE_REASON_LABEL: Record<StaleReason, string> = {
  merged: "Branch merged into the main branch",
  gone: "Branch gone",
  missing: "Folder missing",
  old: "Not touched for a while",
};

/** What the bridge found out about one worktree; the rule below turns it into reasons. */
export interface StaleFacts {
  /** Git marks the worktree prunable: its folder (or its `.git` file) is gone. */
  prunable: boolean;
  /** The branch checked out there; null when detached. */
  branch: string | null;
  /** Whether that branch still exists as a local branch. */
  branchExists: boolean;
  /** The branch has an upstream configured whose remote branch was deleted (`[gone]`). */
  upstreamGone: boolean;
  /** The branch's tip is reachable from the main branch. */
  mergedIntoMain: boolean;
  /**
   * The branch ever had a commit of its own (its reflog has more than its creation). A branch
   * just made from main is "merged" by ancestry, but it is a fresh start, not finished work.
   */
  hadOwnCommits: boolean;
  /** The newest of the last commit's time and the folder's mtime (ms); null when unknown. */
  lastActivityMs: number | null;
}

/** The reasons a worktree is stale, in the order the screen shows them; empty when it is not. */
export function staleReasons(f: StaleFacts, opts: { nowMs: number; olderThanDays: number }): StaleReason[] {
  const reasons: StaleReason[] = [];
  if (f.prunable) reasons.push("missing");
  if (f.branch && f.branchExists && f.mergedIntoMain && f.hadOwnCommits) reasons.push("merged");
  if (f.branch && (!f.branchExists || f.upstreamGone)) reasons.push("gone");
  if (!f.prunable && f.lastActivityMs !== null && opts.nowMs - f.lastActivityMs > opts.olderThanDays * 86_400_000) reasons.push("old");
  return reasons;
}

/** What removing one worktree would lose, as `worktreeCleanup.check` reports it. */
export interface RemoveCheck {
  agentId: string;
  path: string;
  mainRepo: string;
  /** The main work tree's branch (what "merged" is measured against); null when detached. */
  mainBranch: string | null;
  branch: string | null;
  /** Files with changes or untracked (not ignored): lost on removal. */
  uncommitted: number;
  /** The first few of them, for the warning. */
  uncommittedFiles: string[];
  /** Changed files in the agent's Auto Run folder (checklist copies a worktree run left): not counted above, not work. */
  autorunFiles: number;
  /** Commits on the branch found nowhere else: not on its upstream (or any remote branch), nor on the main branch. */
  unpushed: number;
  /** The upstream they were counted against; null when none is set. */
  upstream: string | null;
  /** The branch's tip is reachable from the main branch (so `git branch -d` would take it). */
  merged: boolean;
  /** The worktree's folder is gone (git lists it as prunable). */
  missing: boolean;
  /** The folder's size in bytes, and whether the walk finished in time (else it is a lower bound). */
  bytes: number;
  sizeComplete: boolean;
  /** HEAD, uncommitted and unpushed counts as one token: a forced removal must send back the one it was shown. */
  fingerprint: string;
}

/** The state a "Remove anyway" was agreed to; the bridge refuses force when the worktree no longer matches it. */
export function removeFingerprint(c: { head: string | null; uncommitted: number; unpushed: number; merged: boolean }): string {
  return `${c.head ?? "none"}:${c.uncommitted}:${c.unpushed}:${c.merged ? "merged" : "unmerged"}`;
}

/** Whether a removal would lose work nobody could get back from git afterwards. */
export function workAtRisk(c: Pick<RemoveCheck, "uncommitted" | "unpushed">): boolean {
  return c.uncommitted > 0 || c.unpushed > 0;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What removing a listed stale worktree would lose, as the cleanup screen says it; empty when nothing. */
export function staleLosses(w: { uncommitted: number; detachedCommits: number }): string[] {
  const out: string[] = [];
  if (w.uncommitted > 0) out.push(plural(w.uncommitted, "uncommitted file"));
  if (w.detachedCommits > 0) out.push(`${plural(w.detachedCommits, "commit")} on no branch (detached HEAD)`);
  return out;
}

/** The warning lines the Remove dialog shows (and the refusal's message is built from). */
export function removeWarnings(c: Pick<RemoveCheck, "uncommitted" | "unpushed" | "upstream" | "missing">): string[] {
  const out: string[] = [];
  if (c.missing) out.push("Its folder is already gone; only git's record of it is left.");
  if (c.uncommitted > 0) out.push(`${plural(c.uncommitted, "uncommitted file")} will be lost.`);
  if (c.unpushed > 0)
    out.push(
      c.upstream
        ? `${plural(c.unpushed, "commit")} not pushed to ${c.upstream}.`
        : `${plural(c.unpushed, "commit")} not on any remote branch or the main branch.`,
    );
  return out;
}

/**
 * The paths in `git status --porcelain=v1 -z --untracked-files=all`: "XY path" records ended by
 * NUL, a rename or copy followed by one more field (its original path), which is skipped.
 */
export function parsePorcelainPaths(out: string): string[] {
  const fields = out.split("\0");
  const paths: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const rec = fields[i]!;
    if (rec.length < 4) continue;
    paths.push(rec.slice(3));
    if (rec[0] === "R" || rec[0] === "C") i++;
  }
  return paths;
}

/** Bytes as a person reads them: 0 B, 12.3 KB, 4.5 MB, 1.2 GB. */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let n = bytes;
  let u = -1;
  while (n >= 1000 && u < units.length - 1) {
    n /= 1000;
    u++;
  }
  return `${n < 10 ? n.toFixed(1) : Math.round(n)} ${units[u]}`;
}
