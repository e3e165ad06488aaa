import { agentIdInput } from "../../lib/schemas/common";
import { commitInput, createPrInput, mergeBackInput } from "../../lib/schemas/finish";
import { protectedProcedure, router } from "../trpc";

/** Finishing a worktree agent's work (owner-only): commit, push, pull request, merge back. */
export const finishRouter = router({
  /** Branch, base, ahead/behind, remote kind and gh's state: which buttons make sense. */
  info: protectedProcedure.input(agentIdInput).query(({ ctx, input }) => ctx.services.finish.finishInfo(input)),
  /** The agent drafts a commit message for the pending changes (read-only, nothing stored). */
  draftMessage: protectedProcedure.input(agentIdInput).mutation(({ ctx, input }) => ctx.services.finish.draftCommitMessage(input)),
  commit: protectedProcedure.input(commitInput).mutation(({ ctx, input }) => ctx.services.finish.commit(input)),
  push: protectedProcedure.input(agentIdInput).mutation(({ ctx, input }) => ctx.services.finish.push(input)),
  createPr: protectedProcedure.input(createPrInput).mutation(({ ctx, input }) => ctx.services.finish.createPr(input)),
  mergeBack: protectedProcedure.input(mergeBackInput).mutation(({ ctx, input }) => ctx.services.finish.mergeBack(input)),
});
