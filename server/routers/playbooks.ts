import { z } from "zod";
import { runConfigSchema } from "../../lib/autorun/run-config";
import { idSchema, nameSchema } from "../../lib/schemas/agents";
import { protectedProcedure, router } from "../trpc";

const byId = z.object({ id: idSchema });

export const playbooksRouter = router({
  list: protectedProcedure.input(z.object({ agentId: idSchema.optional() }).default({})).query(({ ctx, input }) => ctx.services.playbooks.list(input.agentId)),
  byId: protectedProcedure.input(byId).query(({ ctx, input }) => ctx.services.playbooks.byId(input.id)),
  create: protectedProcedure
    .input(z.object({ agentId: idSchema, name: nameSchema, config: runConfigSchema }))
    .mutation(({ ctx, input }) => ctx.services.playbooks.create(input)),
  update: protectedProcedure
    .input(z.object({ id: idSchema, name: nameSchema.optional(), config: runConfigSchema.optional() }))
    .mutation(({ ctx, input }) => ctx.services.playbooks.update(input.id, input)),
  remove: protectedProcedure.input(byId).mutation(async ({ ctx, input }) => {
    await ctx.services.playbooks.remove(input.id);
    return { id: input.id };
  }),
  /** The text of a playbook JSON file (desktop format); validated by the service. */
  import: protectedProcedure
    .input(z.object({ agentId: idSchema, text: z.string().max(2_000_000, "That file is too large to be a playbook (2 MB at most)."), name: z.string().trim().max(80).optional() }))
    .mutation(({ ctx, input }) => ctx.services.playbooks.importFile(input)),
  export: protectedProcedure.input(byId).query(({ ctx, input }) => ctx.services.playbooks.exportFile(input.id)),
  /** Starts a run of a playbook on its agent. */
  run: protectedProcedure.input(byId).mutation(async ({ ctx, input }) => {
    const pb = await ctx.services.playbooks.byId(input.id);
    return ctx.services.autorun.start({ agentId: pb.agentId, config: pb.config, name: pb.name, playbookId: pb.id });
  }),
});
