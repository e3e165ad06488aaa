import {
  createPlaybookInput,
  importPlaybookInput,
  importPlaybookZipInput,
  listPlaybooksInput,
  updatePlaybookInput,
} from "../../lib/schemas/autorun";
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
  /** Imports a playbook JSON file (desktop format), or answers with a manifest's playbooks to pick from. */
  import: protectedProcedure.input(importPlaybookInput).mutation(({ ctx, input }) => ctx.services.playbooks.importFile(input)),
  /** Imports desktop's `.maestro-playbook.zip` (base64): documents and assets into the Auto Run folder. */
  importZip: protectedProcedure.input(importPlaybookZipInput).mutation(({ ctx, input }) => ctx.services.playbooks.importZip(input)),
  export: protectedProcedure.input(byIdInput).query(({ ctx, input }) => ctx.services.playbooks.exportFile(input.id)),
  /** The playbook as desktop's `.maestro-playbook.zip` (base64), with the documents it could not find. */
  exportZip: protectedProcedure.input(byIdInput).query(({ ctx, input }) => ctx.services.playbooks.exportZip(input.id)),
  /** Starts a run of a playbook on its agent. */
  run: protectedProcedure.input(byIdInput).mutation(({ ctx, input }) => ctx.services.playbooks.run(input.id)),
});
