import type { MissionView } from "../../../lib/missions/types";
import type { RemoveCheck } from "../../../lib/git/worktree-cleanup";
import { runGit } from "../git/run-git";
import type { RemoveWorktreeInput, RemoveWorktreeResult } from "../git/worktree-remove";
import type { ExecCtx } from "./executor";

/** Removing a worktree agent with its folder and branch (`services.worktreeCleanup`). */
export interface WorktreeRemover {
  removeCheck(input: { agentId: string }): Promise<RemoveCheck>;
  remove(input: RemoveWorktreeInput): Promise<RemoveWorktreeResult>;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Whether `branch`'s tip is in `into` (a feature merged, or a worktree made ahead with no commit of its own). */
async function contained(repo: string, branch: string, into: string): Promise<boolean> {
  const r = await runGit(["merge-base", "--is-ancestor", `refs/heads/${branch}`, `refs/heads/${into}`], { cwd: repo });
  return r.code === 0;
}

/**
 * Removes a feature's worktree agent, its folder and its branch, only when nothing is lost: its
 * branch is in the mission branch and no file in it is changed or untracked. Null when removed,
 * else why it stays. The branch goes with `-D` (git's `-d` measures against the project's
 * checked-out branch, which the mission branch may not be merged into yet).
 */
async function removeIfSafe(ctx: ExecCtx, view: MissionView, agentId: string, before?: () => Promise<void>): Promise<string | null> {
  const remover = ctx.deps.worktreeRemoval;
  if (!remover || !view.branch) return "no worktree removal on this bridge";
  const agent = await ctx.deps.db.agent.findUnique({ where: { id: agentId }, select: { worktreeBranch: true } });
  if (!agent) return null;
  if (!agent.worktreeBranch || !(await contained(view.folder, agent.worktreeBranch, view.branch)))
    return `its branch is not in ${view.branch}`;
  const check = await remover.removeCheck({ agentId });
  if (check.uncommitted > 0) return `${check.uncommitted} changed or untracked file${check.uncommitted === 1 ? "" : "s"} in it`;
  await before?.();
  await remover.remove({ agentId, deleteBranch: true, force: true, seen: check.fingerprint });
  return null;
}

/**
 * A worktree kept for the feature but for another agent than the one now doing it (made ahead
 * for a pool agent since deleted or taken out of the pool, or a reassignment): when it holds no
 * work of its own it is removed, so the feature's new worktree takes its place (and its branch
 * name) and no stale worktree is left. One with work stays, as before.
 */
export async function dropUnusedWorktree(ctx: ExecCtx, view: MissionView, agentId: string): Promise<boolean> {
  try {
    return (await removeIfSafe(ctx, view, agentId)) === null;
  } catch (err) {
    ctx.deps.logger.error(`mission ${view.id}: removing an unused feature worktree: ${messageOf(err)}`);
    return false;
  }
}

/**
 * The mission is complete: every feature's worktree whose branch is in the mission branch goes
 * (folder, agent, branch). The worker's tab (its conversation) moves to the mission's own agent
 * first, so Mission Control still opens it; the feature's worktree is forgotten (a checkpoint
 * restored later makes a new one).
 */
export async function tidyFeatureWorktrees(ctx: ExecCtx, view: MissionView): Promise<void> {
  const { db } = ctx.deps;
  const missionAgentId = view.missionAgentId;
  if (!ctx.deps.worktreeRemoval || !missionAgentId) return;
  const removed: string[] = [];
  const kept: string[] = [];
  for (const f of view.features) {
    const agentId = f.worktreeAgentId;
    if (!agentId || agentId === missionAgentId) continue;
    const moveTab = async () => {
      if (!f.tabId) return;
      await db.$transaction([
        db.tab.updateMany({ where: { id: f.tabId, agentId }, data: { agentId: missionAgentId } }),
        db.turn.updateMany({ where: { tabId: f.tabId, agentId }, data: { agentId: missionAgentId } }),
        db.historyEntry.updateMany({ where: { tabId: f.tabId, agentId }, data: { agentId: missionAgentId } }),
      ]);
    };
    const why = await removeIfSafe(ctx, view, agentId, moveTab).catch((err: unknown) => messageOf(err));
    if (why) {
      kept.push(`${f.title} (${why})`);
      continue;
    }
    removed.push(f.title);
    await ctx.update(view.id, f.key, { worktreeAgentId: null }, []);
  }
  if (!removed.length && !kept.length) return;
  const text = [
    removed.length
      ? `Removed the worktree${removed.length === 1 ? "" : "s"} of ${removed.join(", ")} (merged into ${view.branch}): folders, agents and branches; their workers' conversations are on the mission's agent.`
      : "",
    kept.length ? `Kept the worktree${kept.length === 1 ? "" : "s"} of ${kept.join(", ")}.` : "",
  ]
    .filter(Boolean)
    .join(" ");
  await ctx.recorder.commit(view.id, async () => {}, [{ type: "worktrees-tidied", text }]);
}
