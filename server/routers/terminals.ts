import { z } from "zod";
import { byIdInput, idSchema, nameSchema, renameInput } from "../../lib/schemas/agents";
import { dimension } from "../../lib/terminal/protocol";
import { protectedProcedure, router } from "../trpc";

/** Command terminals of an agent. Their bytes go over `/ws/terminal`; this is the bookkeeping. */
export const terminalsRouter = router({
  list: protectedProcedure.input(z.object({ agentId: idSchema })).query(({ ctx, input }) => ctx.services.terminals.list(input.agentId)),
  create: protectedProcedure
    .input(z.object({ agentId: idSchema, name: nameSchema.optional(), cols: dimension.optional(), rows: dimension.optional() }))
    .mutation(({ ctx, input }) => ctx.services.terminals.create(input.agentId, input)),
  rename: protectedProcedure.input(renameInput).mutation(({ ctx, input }) => ctx.services.terminals.rename(input.id, input.name)),
  close: protectedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    await ctx.services.terminals.close(input.id);
    return { id: input.id };
  }),
});
