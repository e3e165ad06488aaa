import { agentIdInput, byIdInput } from "../../lib/schemas/common";
import { commandsOutput, mentionsInput, mentionsOutput, saveCommandInput } from "../../lib/schemas/composer";
import { protectedProcedure, router } from "../trpc";

/** What the composer completes: `@` file mentions and `/` commands. */
export const composerRouter = router({
  mentions: protectedProcedure
    .meta({ share: "control" })
    .input(mentionsInput)
    .output(mentionsOutput)
    .query(async ({ ctx, input }) => {
      const agent = await ctx.services.agents.byId(input.agentId);
      return ctx.services.files.search(agent.folder, input.query);
    }),
  commands: protectedProcedure
    .meta({ share: "control" })
    .input(agentIdInput)
    .output(commandsOutput)
    .query(({ ctx, input }) => ctx.services.commands.forAgent(input.agentId)),
  userCommands: protectedProcedure.query(({ ctx }) => ctx.services.commands.listUser()),
  saveCommand: protectedProcedure.input(saveCommandInput).mutation(({ ctx, input }) => ctx.services.commands.save(input)),
  removeCommand: protectedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    await ctx.services.commands.remove(input.id);
    return { id: input.id };
  }),
});
