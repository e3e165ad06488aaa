import { agentIdInput, byIdInput, renameInput } from "../../lib/schemas/common";
import { createTerminalInput } from "../../lib/schemas/terminals";
import { protectedProcedure, router } from "../trpc";

/** Command terminals of an agent. Their bytes go over `/ws/terminal`; this is the bookkeeping. */
export const terminalsRouter = router({
  list: protectedProcedure.input(agentIdInput).query(({ ctx, input }) => ctx.services.terminals.list(input.agentId)),
  create: protectedProcedure.input(createTerminalInput).mutation(({ ctx, input }) => ctx.services.terminals.create(input.agentId, input)),
  rename: protectedProcedure.input(renameInput).mutation(({ ctx, input }) => ctx.services.terminals.rename(input.id, input.name)),
  close: protectedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    await ctx.services.terminals.close(input.id);
    return { id: input.id };
  }),
});
