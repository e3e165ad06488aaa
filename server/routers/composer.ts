import { z } from "zod";
import { idSchema } from "../../lib/schemas/agents";
import { protectedProcedure, router } from "../trpc";

const commandName = z.string().regex(/^[A-Za-z0-9][\w:-]{0,40}$/, "Letters, digits, - _ : (up to 40).");

/** What the composer completes: `@` file mentions and `/` commands. */
export const composerRouter = router({
  mentions: protectedProcedure
    .meta({ share: "control" })
    .input(z.object({ agentId: idSchema, query: z.string().max(300) }))
    .query(async ({ ctx, input }) => {
      const agent = await ctx.services.agents.byId(input.agentId);
      return ctx.services.files.search(agent.folder, input.query);
    }),
  commands: protectedProcedure.meta({ share: "control" }).input(z.object({ agentId: idSchema })).query(({ ctx, input }) => ctx.services.commands.forAgent(input.agentId)),
  userCommands: protectedProcedure.query(({ ctx }) => ctx.services.commands.listUser()),
  saveCommand: protectedProcedure
    .input(z.object({ id: idSchema.optional(), name: commandName, description: z.string().max(200).default(""), template: z.string().min(1).max(50_000) }))
    .mutation(({ ctx, input }) => ctx.services.commands.save(input)),
  removeCommand: protectedProcedure.input(z.object({ id: idSchema })).mutation(async ({ ctx, input }) => {
    await ctx.services.commands.remove(input.id);
    return { id: input.id };
  }),
});
