import { agentIdInput } from "../../lib/schemas/common";
import { cleanupWorktreesInput, removeWorktreeInput, staleDaysInput, staleWorktreesInput } from "../../lib/schemas/worktree-cleanup";
import { protectedProcedure, router } from "../trpc";

/** Removing worktree agents with their worktree, and the stale-worktree cleanup screen (owner-only). */
export const worktreeCleanupRouter = router({
  /** What removing the agent's worktree would lose (uncommitted files, unpushed commits), whether its branch is merged, its size. */
  check: protectedProcedure.input(agentIdInput).query(({ ctx, input }) => ctx.services.worktreeCleanup.removeCheck(input)),
  /** Removes the worktree and the agent (and the branch when asked); refused without `force` when work would be lost. */
  remove: protectedProcedure.input(removeWorktreeInput).mutation(({ ctx, input }) => ctx.services.worktreeCleanup.remove(input)),
  /** Stale worktrees of every agent's repository, with their reasons, size and agents. */
  stale: protectedProcedure.input(staleWorktreesInput).query(({ ctx, input }) => ctx.services.worktreeCleanup.staleWorktrees(input ?? {})),
  /** Removes the chosen worktrees in one action; one result per path. */
  cleanup: protectedProcedure.input(cleanupWorktreesInput).mutation(({ ctx, input }) => ctx.services.worktreeCleanup.cleanup(input)),
  /** `git worktree prune` in every agent's repository. */
  prune: protectedProcedure.mutation(({ ctx }) => ctx.services.worktreeCleanup.prune()),
  staleDays: protectedProcedure.query(({ ctx }) => ctx.services.worktreeCleanup.staleDays()),
  setStaleDays: protectedProcedure
    .input(staleDaysInput)
    .mutation(({ ctx, input }) => ctx.services.worktreeCleanup.setStaleDays(input.days)),
});
