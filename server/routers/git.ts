import { gitChangesInput, gitStatusInput } from "../../lib/schemas/git";
import { protectedProcedure, router } from "../trpc";

/** Git status of agents' folders (branch, ahead/behind, changed files). Owner-only. */
export const gitRouter = router({
  /** Null when the agent's folder is not a git repository. */
  status: protectedProcedure.input(gitStatusInput).query(({ ctx, input }) => ctx.services.git.status(input.agentId)),
  /** Every agent's status by agent id, in one call (the dashboard). */
  statuses: protectedProcedure.query(({ ctx }) => ctx.services.git.statuses()),
  /**
   * An agent's status changed: the client refetches. Given an agent, its folder is watched while
   * this is open, so edits from other tools show up too; otherwise turn ends drive the refreshes.
   */
  onChange: protectedProcedure.input(gitChangesInput).subscription(async function* ({ ctx, input, signal }) {
    const agentId = input?.agentId;
    const release = agentId ? await ctx.services.git.watch(agentId) : () => {};
    try {
      for await (const e of ctx.services.bus.stream("git.changed", { signal, filter: (e) => !agentId || e.agentId === agentId }))
        yield { agentId: e.agentId };
    } finally {
      release();
    }
  }),
});
