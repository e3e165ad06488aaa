import { createPlaybookInput, importPlaybookInput, listPlaybooksInput, updatePlaybookInput } from "../../lib/schemas/autorun";
import { byIdInput } from "../../lib/schemas/common";
import { protectedProcedure, router } from "../trpc";

export const playbooksRouter = router({
  list: protectedProcedure.input(listPlaybooksInput).query(({ ctx, input }) => ctx.services.playbooks.list(input.agentId)),
  byId: protectedProcedure.input(byIdInput).query(({ ctx, input }) => ctx.services.playbooks.byId(input.id)),
  create: protectedProcedure.input(createPlaybookInput).mutation(({ ctx, input }) => ctx.services.playbooks.create(input)),
  update: protectedProcedure.input(updatePlaybookInput).mutation(({ ctx, input }) => ctx.services.playbooks.update(input.id, input)),
  remove: protectedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    await ctx.services.playbooks.remove(input.id);
    return { id: input.id };
  }),
  /** Imports a playbook JSON file (desktop format). */
  import: protectedProcedure.input(importPlaybookInput).mutation(({ ctx, input }) => ctx.services.playbooks.importFile(input)),
  export: protectedProcedure.input(byIdInput).query(({ ctx, input }) => ctx.services.playbooks.exportFile(input.id)),
  /** Starts a run of a playbook on its agent. */
  run: protectedProcedure.input(byIdInput).mutation(({ ctx, input }) => ctx.services.playbooks.run(input.id)),
});
