import { agentIdInput } from "../../lib/schemas/common";
import { adoptWorktreeInput, createWorktreeInput, worktreeSetupInput } from "../../lib/schemas/worktrees";
import { protectedProcedure, router } from "../trpc";

/** Worktree agents (owner-only): new child agents in their own `git worktree`, and adopting existing ones. */
export const worktreesRouter = router({
  /** Whether the agent's folder is a git work tree, its current branch, where worktrees go. */
  info: protectedProcedure.input(agentIdInput).query(({ ctx, input }) => ctx.services.worktrees.info(input.agentId)),
  list: protectedProcedure.input(agentIdInput).query(({ ctx, input }) => ctx.services.worktrees.list(input.agentId)),
  create: protectedProcedure.input(createWorktreeInput).mutation(({ ctx, input }) => ctx.services.worktrees.create(input)),
  adopt: protectedProcedure.input(adoptWorktreeInput).mutation(({ ctx, input }) => ctx.services.worktrees.adopt(input)),
  /** The setup script's state and output so far (null when none ran since the bridge started). */
  setup: protectedProcedure.input(worktreeSetupInput).query(({ ctx, input }) => ctx.services.worktrees.setupState(input.agentId)),
  /** The setup script's output as it comes, then its end. */
  onSetup: protectedProcedure.input(worktreeSetupInput).subscription(async function* ({ ctx, input, signal }) {
    const events = ctx.services.bus.stream("worktrees.setup", { signal, filter: (e) => e.agentId === input.agentId });
    for await (const e of events) yield e;
  }),
});
