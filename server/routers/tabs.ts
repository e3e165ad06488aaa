import { z } from "zod";
import { byIdInput, idSchema, nameSchema, renameInput } from "../../lib/schemas/agents";
import { protectedProcedure, router } from "../trpc";

export const tabsRouter = router({
  list: protectedProcedure.meta({ share: "read" }).input(z.object({ agentId: idSchema })).query(({ ctx, input }) => ctx.services.tabs.list(input.agentId)),
  create: protectedProcedure
    .input(z.object({ agentId: idSchema, name: nameSchema.optional(), providerSessionId: z.string().max(200).nullish() }))
    .mutation(({ ctx, input }) => ctx.services.tabs.create(input.agentId, input.name, input.providerSessionId)),
  rename: protectedProcedure.input(renameInput).mutation(({ ctx, input }) => ctx.services.tabs.rename(input.id, input.name)),
  star: protectedProcedure
    .input(z.object({ id: idSchema, starred: z.boolean() }))
    .mutation(({ ctx, input }) => ctx.services.tabs.star(input.id, input.starred)),
  reorder: protectedProcedure
    .input(z.object({ agentId: idSchema, ids: z.array(idSchema).max(500) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.tabs.reorder(input.agentId, input.ids);
      return { ok: true };
    }),
  close: protectedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    // A running turn is stopped first so no process outlives its tab.
    if (await ctx.services.turns.stop(input.id)) await ctx.services.turns.settled(input.id);
    await ctx.services.tabs.close(input.id);
    return { id: input.id };
  }),
});
