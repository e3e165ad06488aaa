import { removeFingerprint, removeWarnings, workAtRisk, type RemoveCheck } from "../../../lib/git/worktree-cleanup";
import { parseAgentSettings } from "../../../lib/schemas/agent-settings";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import { outsideAutorunFolder } from "../autorun/files";
import type { AgentRemovalOptions } from "../agents/removal";
import { agentsWithin } from "./folder-agents";
import { deleteBranch, folderSize, isDir, mergedInto, removeWorktreeFolder, uncommittedIn, unpushedIn } from "./worktree-inspect";
import { listWorktrees, type GitWorktree } from "./worktree-repo";

export type RemoveAgent = (id: string, opts?: AgentRemovalOptions) => Promise<void>;

export interface RemoveWorktreeInput {
  agentId: string;
  /** Also delete the worktree's branch (`git branch -d`, or `-D` with force). */
  deleteBranch?: boolean;
  /** Remove even when uncommitted or unpushed work would be lost (and delete an unmerged branch with `-D`). */
  force?: boolean;
  /** The check's `fingerprint` the person was shown: force applies only to that state. */
  seen?: string;
}

export interface RemoveWorktreeResult {
  agentId: string;
  path: string;
  branch: string | null;
  branchDeleted: boolean;
  /** Why the branch stayed when it was asked to go (the worktree and agent are gone regardless). */
  branchError: string | null;
}

/** How long the size walk of one Remove check may take. */
const SIZE_BUDGET_MS = 2_000;

/**
 * Removing a worktree agent: its worktree folder (through `git worktree remove`, run from the
 * main repository), optionally its branch, then the agent the way a delete removes it. Only a
 * folder git itself lists as a worktree of the repository, and never the main work tree.
 */
export function createWorktreeRemoval({ db, removeAgent }: { db: Db; removeAgent: RemoveAgent }) {
  /** The agent's worktree as git lists it, found from its own folder or, when that is gone, from its parent's. */
  async function locate(agentId: string) {
    const agent = await db.agent.findUnique({
      where: { id: agentId },
      select: { id: true, name: true, folder: true, parentId: true, settingsJson: true },
    });
    if (!agent) throw new AppError("NOT_FOUND", "That agent no longer exists.");
    const starts = [agent.folder];
    if (agent.parentId) {
      const parent = await db.agent.findUnique({ where: { id: agent.parentId }, select: { folder: true } });
      if (parent) starts.push(parent.folder);
    }
    for (const start of starts) {
      if (!(await isDir(start))) continue;
      const list: GitWorktree[] = await listWorktrees(start).catch(() => []);
      const w = list.find((x) => x.path === agent.folder);
      if (!w) continue;
      const main = list[0]!;
      if (w.main || w.bare)
        throw new AppError(
          "BAD_INPUT",
          `${agent.folder} is the repository's main work tree: Maestro never removes it. Delete the agent instead.`,
        );
      return { agent, w, mainRepo: main.path, mainBranch: main.branch };
    }
    throw new AppError("BAD_INPUT", `${agent.folder} is not a worktree git lists for its repository, so there is no worktree to remove.`);
  }

  async function check(agentId: string, { withSize = true } = {}): Promise<RemoveCheck> {
    const { agent, w, mainRepo, mainBranch } = await locate(agentId);
    const missing = w.prunable || !(await isDir(w.path));
    const [dirty, ahead, merged, size] = missing
      ? [
          { count: 0, first: [], excluded: 0 },
          { count: 0, upstream: null },
          await mergedInto(mainRepo, w.head, mainBranch),
          { bytes: 0, complete: true },
        ]
      : await Promise.all([
          outsideAutorunFolder(agent.folder, parseAgentSettings(agent.settingsJson), w.path).then((spec) => uncommittedIn(w.path, spec)),
          unpushedIn(w.path, mainBranch),
          mergedInto(mainRepo, w.head, mainBranch),
          withSize ? folderSize(w.path, Date.now() + SIZE_BUDGET_MS) : { bytes: 0, complete: false },
        ]);
    return {
      agentId: agent.id,
      path: w.path,
      mainRepo,
      mainBranch,
      branch: w.branch,
      uncommitted: dirty.count,
      uncommittedFiles: dirty.first,
      autorunFiles: dirty.excluded,
      unpushed: ahead.count,
      upstream: ahead.upstream,
      merged,
      missing,
      bytes: size.bytes,
      sizeComplete: size.complete,
      fingerprint: removeFingerprint({ head: w.head, uncommitted: dirty.count, unpushed: ahead.count, merged }),
    };
  }

  /** Throws when the removal may not go ahead on this state of the worktree. */
  function refuse(c: RemoveCheck, input: RemoveWorktreeInput): void {
    if (input.force) {
      if (input.seen !== c.fingerprint)
        throw new AppError("CONFLICT", "The worktree changed since you looked: check again.", {
          hint: `Now: ${removeWarnings(c).join(" ") || "nothing would be lost."}`,
          field: "force",
        });
      return;
    }
    if (workAtRisk(c))
      throw new AppError("CONFLICT", `Not removed: ${removeWarnings(c).join(" ")}`, {
        hint: "Commit or push first, or choose Remove anyway.",
        field: "force",
      });
    if (input.deleteBranch && c.branch && !c.merged && !c.upstream)
      throw new AppError("CONFLICT", `Not removed: the branch ${c.branch} is not merged into ${c.mainBranch ?? "the main branch"}.`, {
        hint: "Keep the branch, or choose Remove anyway to delete it unmerged.",
        field: "force",
      });
  }

  return {
    /** What removing the agent's worktree would lose: uncommitted files, unpushed commits, whether its branch is merged, its size. */
    removeCheck: (input: { agentId: string }) => check(input.agentId),

    /**
     * Removes the worktree, then the agent (its runs and processes end first, as a delete does),
     * then the branch when asked. Refused without `force` when work would be lost, and with
     * `force` when the worktree no longer matches the check the person saw (`seen`), looked at
     * again once the agent's turns and runs have stopped; the agent stays whenever the worktree
     * could not be removed.
     */
    async remove(input: RemoveWorktreeInput): Promise<RemoveWorktreeResult> {
      // The size is for the dialog; a removal need not wait for the walk.
      const c = await check(input.agentId, { withSize: false });
      refuse(c, input);
      const branch = input.deleteBranch ? c.branch : null;
      // Another agent in the folder or a subfolder of it would keep running in a deleted folder.
      const sharing = (await agentsWithin(db, c.path)).filter((a) => a.id !== c.agentId);
      if (sharing.length > 0)
        throw new AppError("CONFLICT", `${sharing.map((a) => a.name).join(", ")} also works in ${c.path}: delete it first.`);
      let last = c;
      await removeAgent(c.agentId, {
        // Its turns and runs have ended now: what they wrote since the check is looked at again.
        beforeRows: async () => {
          last = await check(input.agentId, { withSize: false });
          refuse(last, input);
          // Left-behind Auto Run copies alone make git refuse; they were never counted as work.
          await removeWorktreeFolder(c.mainRepo, c.path, !!input.force || (last.uncommitted === 0 && last.autorunFiles > 0));
        },
      });
      // `-D` only for a branch the person saw unmerged; a merged one goes with `-d`.
      const branchError = branch ? await deleteBranch(c.mainRepo, branch, !!input.force && !last.merged) : null;
      return { agentId: c.agentId, path: c.path, branch: c.branch, branchDeleted: !!branch && branchError === null, branchError };
    },
  };
}
