import { DEFAULT_STALE_DAYS, MAX_STALE_DAYS, staleReasons, type StaleReason } from "../../../lib/git/worktree-cleanup";
import { parseAgentSettings } from "../../../lib/schemas/agent-settings";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import { outsideAutorunFolder } from "../autorun/files";
import type { SettingsService } from "../settings";
import { runGit } from "./run-git";
import {
  commitsOnNoRef,
  deleteBranch,
  folderSize,
  hadOwnCommits,
  isDir,
  lastActivity,
  localBranches,
  mergedInto,
  removeWorktreeFolder,
  uncommittedIn,
} from "./worktree-inspect";
import { isWithin } from "./folder-agents";
import { listWorktrees, type GitWorktree } from "./worktree-repo";
import type { RemoveAgent } from "./worktree-remove";

export const STALE_DAYS_SETTING = "worktrees.staleDays";

/** How long all size walks of one listing may take together (each worktree gets what is left). */
const SIZE_BUDGET_MS = 4_000;

export interface StaleWorktree {
  path: string;
  branch: string | null;
  reasons: StaleReason[];
  bytes: number;
  sizeComplete: boolean;
  uncommitted: number;
  /** On a detached HEAD: commits on no branch, remote branch or tag (lost on removal). 0 on a branch. */
  detachedCommits: number;
  locked: boolean;
  agents: { id: string; name: string }[];
}

export interface StaleRepo {
  mainRepo: string;
  mainBranch: string | null;
  worktrees: StaleWorktree[];
  /** Non-main worktrees with no reason to go. */
  healthy: number;
  /** Entries git would prune (their folder is gone). */
  dangling: number;
}

export interface CleanupResult {
  path: string;
  ok: boolean;
  error: string | null;
  agentsRemoved: number;
  branch: string | null;
  branchDeleted: boolean;
}

interface Repo {
  mainRepo: string;
  mainBranch: string | null;
  list: GitWorktree[];
}

/** The stale-worktree cleanup across every repository an agent works in (each repository once). */
export function createWorktreeCleanup({
  db,
  settings,
  removeAgent,
  now = () => Date.now(),
}: {
  db: Db;
  settings: SettingsService;
  removeAgent: RemoveAgent;
  now?: () => number;
}) {
  async function repos(): Promise<Repo[]> {
    const agents = await db.agent.findMany({ select: { folder: true }, orderBy: [{ sortOrder: "asc" }, { createdAt: "asc" }] });
    const seen = new Set<string>();
    const out: Repo[] = [];
    for (const { folder } of agents) {
      if (seen.has(folder) || !(await isDir(folder))) continue;
      seen.add(folder);
      const list = await listWorktrees(folder).catch(() => [] as GitWorktree[]);
      const main = list[0];
      if (!main || main.bare) continue;
      for (const w of list) seen.add(w.path);
      if (!out.some((r) => r.mainRepo === main.path)) out.push({ mainRepo: main.path, mainBranch: main.branch, list });
    }
    return out;
  }

  /** The agents working in any of `paths` or in a folder inside one (a subfolder of a worktree goes with it). */
  async function agentsIn(paths: string[]) {
    const all = await db.agent.findMany({
      select: { id: true, name: true, folder: true, settingsJson: true },
      orderBy: { createdAt: "asc" },
    });
    return all.filter((a) => paths.some((p) => isWithin(p, a.folder)));
  }

  /**
   * Uncommitted files in a worktree, its Auto Run folder left out (a worktree run's checklist
   * copies; the default folder when no agent works there). `excluded` of them git still sees.
   */
  async function dirtyIn(worktree: string, agents: { folder: string; settingsJson: string }[]) {
    const agent = agents.find((a) => a.folder === worktree);
    return uncommittedIn(worktree, await outsideAutorunFolder(worktree, parseAgentSettings(agent?.settingsJson ?? "{}"), worktree));
  }

  async function staleDays(): Promise<number> {
    const n = Number(await settings.get(STALE_DAYS_SETTING));
    return Number.isInteger(n) && n >= 1 && n <= MAX_STALE_DAYS ? n : DEFAULT_STALE_DAYS;
  }

  return {
    staleDays,
    async setStaleDays(days: number): Promise<number> {
      if (!Number.isInteger(days) || days < 1 || days > MAX_STALE_DAYS)
        throw new AppError("BAD_INPUT", `Pick a whole number of days from 1 to ${MAX_STALE_DAYS}.`, { field: "days" });
      await settings.set(STALE_DAYS_SETTING, String(days));
      return days;
    },

    /** Every non-main worktree with a reason to go (merged, branch gone, folder missing, older than N days), by repository. */
    async staleWorktrees(input: { olderThanDays?: number | null } = {}): Promise<{ olderThanDays: number; repos: StaleRepo[] }> {
      const olderThanDays = input.olderThanDays ?? (await staleDays());
      // The budget is the size walks' own: it starts at the first walk, not before the git
      // commands that list the worktrees (on a busy machine they ate it, and sizes read 0).
      let deadline: number | null = null;
      const sizeDeadline = () => (deadline ??= now() + SIZE_BUDGET_MS);
      const found: StaleRepo[] = [];
      for (const repo of await repos()) {
        const branches = await localBranches(repo.mainRepo);
        const others = repo.list.filter((w) => !w.main && !w.bare);
        const agents = await agentsIn(others.map((w) => w.path));
        const entry: StaleRepo = { mainRepo: repo.mainRepo, mainBranch: repo.mainBranch, worktrees: [], healthy: 0, dangling: 0 };
        for (const w of others) {
          if (w.prunable) entry.dangling++;
          const known = w.branch ? branches.get(w.branch) : undefined;
          const merged = !w.prunable && (await mergedInto(repo.mainRepo, w.head, repo.mainBranch));
          const reasons = staleReasons(
            {
              prunable: w.prunable,
              branch: w.branch,
              branchExists: !!known,
              upstreamGone: !!known?.upstreamGone,
              mergedIntoMain: merged,
              hadOwnCommits: merged && !!w.branch && (await hadOwnCommits(repo.mainRepo, w.branch)),
              lastActivityMs: w.prunable ? null : await lastActivity(repo.mainRepo, w.path, w.head),
            },
            { nowMs: now(), olderThanDays },
          );
          if (reasons.length === 0) {
            entry.healthy++;
            continue;
          }
          const size = w.prunable ? { bytes: 0, complete: true } : await folderSize(w.path, sizeDeadline());
          entry.worktrees.push({
            path: w.path,
            branch: w.branch,
            reasons,
            bytes: size.bytes,
            sizeComplete: size.complete,
            uncommitted: w.prunable ? 0 : (await dirtyIn(w.path, agents)).count,
            detachedCommits: w.branch ? 0 : await commitsOnNoRef(repo.mainRepo, w.head),
            locked: w.locked,
            agents: agents.filter((a) => isWithin(w.path, a.folder)).map((a) => ({ id: a.id, name: a.name })),
          });
        }
        if (others.length > 0) found.push(entry);
      }
      return { olderThanDays, repos: found };
    },

    /**
     * Removes the chosen worktrees in one action: each folder (`git worktree remove`, `--force`
     * only for a path in `forcePaths`: one the person saw at risk), the agents working in it or
     * inside it, and with `deleteBranches` its branch when git finds it merged (`-d`). Nothing
     * else is pruned: a missing folder's entry goes with its own `git worktree remove`, and Prune
     * is its own button. One failure does not stop the others; a worktree that could not be
     * removed keeps its agents.
     */
    async cleanup(input: { paths: string[]; deleteBranches?: boolean; forcePaths?: string[] }): Promise<CleanupResult[]> {
      const all = await repos();
      const forced = new Set(input.forcePaths ?? []);
      const results: CleanupResult[] = [];
      for (const p of [...new Set(input.paths)]) {
        const result: CleanupResult = { path: p, ok: false, error: null, agentsRemoved: 0, branch: null, branchDeleted: false };
        results.push(result);
        try {
          const repo = all.find((r) => r.list.some((w) => w.path === p));
          const w = repo?.list.find((x) => x.path === p);
          if (!repo || !w) throw new AppError("BAD_INPUT", `${p} is not a worktree git lists for any agent's repository.`);
          if (w.main || w.bare) throw new AppError("BAD_INPUT", `${p} is a repository's main work tree: Maestro never removes it.`);
          if (w.locked) throw new AppError("CONFLICT", `${p} is locked (git worktree unlock it first).`);
          result.branch = w.branch;
          const force = forced.has(p);
          if (!force && !w.prunable) {
            const dirty = await dirtyIn(p, await agentsIn([p]));
            if (dirty.count > 0)
              throw new AppError("CONFLICT", `${p} has ${dirty.count} uncommitted file${dirty.count === 1 ? "" : "s"}: not removed.`);
          }
          // `git worktree remove` takes a detached worktree without a word; its own commits would go with it.
          const orphans = !force && !w.branch ? await commitsOnNoRef(repo.mainRepo, w.head) : 0;
          if (orphans > 0)
            throw new AppError(
              "CONFLICT",
              `${p} is on a detached HEAD with ${orphans} commit${orphans === 1 ? "" : "s"} on no branch: not removed.`,
            );
          const agents = await agentsIn([p]);
          // Auto Run's left-behind copies alone would make git refuse; they were never counted as work.
          const onlyCopies = !force && !w.prunable && (await dirtyIn(p, agents)).excluded > 0;
          const removeFolder = () => removeWorktreeFolder(repo.mainRepo, p, force || onlyCopies);
          // Each agent's removal wraps the next one's, the folder innermost: every agent's turns and
          // runs have stopped before the folder goes, and when git refuses, every agent stays.
          const removeAll = agents.reduceRight<() => Promise<void>>(
            (inner, a) => async () => {
              await removeAgent(a.id, { beforeRows: inner });
              result.agentsRemoved++;
            },
            removeFolder,
          );
          await removeAll();
          result.ok = true;
          if (input.deleteBranches && w.branch) {
            const err = await deleteBranch(repo.mainRepo, w.branch, false);
            result.branchDeleted = err === null;
            if (err) result.error = `Branch kept: ${err}`;
          }
        } catch (err) {
          result.error = err instanceof Error ? err.message : String(err);
        }
      }
      return results;
    },

    /** `git worktree prune` in every agent's repository: forgets worktrees whose folder is gone (their agents stay). */
    async prune(): Promise<{ pruned: number }> {
      let pruned = 0;
      for (const repo of await repos()) {
        const dangling = repo.list.filter((w) => w.prunable).length;
        if (dangling === 0) continue;
        const r = await runGit(["worktree", "prune"], { cwd: repo.mainRepo });
        if (r.code === 0) pruned += dangling;
      }
      return { pruned };
    },
  };
}

export type WorktreeCleanupService = ReturnType<typeof createWorktreeCleanup>;
