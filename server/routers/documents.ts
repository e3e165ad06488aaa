import { agentIdInput } from "../../lib/schemas/common";
import {
  createDocumentInput,
  documentInput,
  renameDocumentInput,
  saveAsDocumentInput,
  saveDocumentInput,
  setTaskInput,
} from "../../lib/schemas/documents";
import { protectedProcedure, router } from "../trpc";

/** Auto Run documents: the markdown checklists in an agent's Auto Run folder. */
export const documentsRouter = router({
  list: protectedProcedure.input(agentIdInput).query(({ ctx, input }) => ctx.services.documents.list(input.agentId)),
  read: protectedProcedure.input(documentInput).query(({ ctx, input }) => ctx.services.documents.read(input.agentId, input.path)),
  create: protectedProcedure
    .input(createDocumentInput)
    .mutation(({ ctx, input }) => ctx.services.documents.create(input.agentId, input.path, input.content)),
  save: protectedProcedure
    .input(saveDocumentInput)
    .mutation(({ ctx, input }) => ctx.services.documents.save(input.agentId, input.path, input.content, input.baseVersion)),
  saveAs: protectedProcedure
    .input(saveAsDocumentInput)
    .mutation(({ ctx, input }) => ctx.services.documents.saveAs(input.agentId, input.path, input.content, { overwrite: input.overwrite })),
  setTask: protectedProcedure
    .input(setTaskInput)
    .mutation(({ ctx, input }) => ctx.services.documents.setTask(input.agentId, input.path, input.index, input.done, input.baseVersion)),
  rename: protectedProcedure
    .input(renameDocumentInput)
    .mutation(({ ctx, input }) => ctx.services.documents.rename(input.agentId, input.from, input.to)),
  /** Unticks every task of a document (the CLI's `reset-auto-run-tasks`). */
  resetTasks: protectedProcedure
    .input(documentInput)
    .mutation(({ ctx, input }) => ctx.services.documents.resetTasks(input.agentId, input.path)),
  remove: protectedProcedure.input(documentInput).mutation(({ ctx, input }) => ctx.services.documents.remove(input.agentId, input.path)),
  /** Fires when a document of the agent changes, here or on disk (the folder is watched while someone listens). */
  onChange: protectedProcedure.input(agentIdInput).subscription(async function* ({ ctx, input, signal }) {
    const release = await ctx.services.documents.watch(input.agentId);
    try {
      const changes = ctx.services.bus.stream("documents.changed", { signal, filter: (e) => e.agentId === input.agentId });
      // "Listening", once attached (path null: anything in the folder): the client re-reads on it.
      yield { agentId: input.agentId, path: null as string | null };
      yield* changes;
    } finally {
      release();
    }
  }),
});
