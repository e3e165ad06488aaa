import { z } from "zod";
import { MAX_DOCUMENT_BYTES, MAX_DOCUMENT_PATH } from "../../lib/autorun/documents";
import { idSchema } from "../../lib/schemas/agents";
import { protectedProcedure, router } from "../trpc";

// Names are checked in full by the service (one place); here only the shape and a length cap.
const docPath = z.string().max(MAX_DOCUMENT_PATH + 100);
const doc = { agentId: idSchema, path: docPath };
// Characters ≤ bytes, so this is a first cap; the service measures the UTF-8 bytes.
const content = z.string().max(MAX_DOCUMENT_BYTES, `Auto Run documents are limited to ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB.`);
const version = z.string().regex(/^[0-9a-f]{64}$/, "Reload the document and try again.");

/** Auto Run documents: the markdown checklists in an agent's Auto Run folder. */
export const documentsRouter = router({
  list: protectedProcedure.input(z.object({ agentId: idSchema })).query(({ ctx, input }) => ctx.services.documents.list(input.agentId)),
  read: protectedProcedure.input(z.object(doc)).query(({ ctx, input }) => ctx.services.documents.read(input.agentId, input.path)),
  create: protectedProcedure
    .input(z.object({ ...doc, content }))
    .mutation(({ ctx, input }) => ctx.services.documents.create(input.agentId, input.path, input.content)),
  save: protectedProcedure
    .input(z.object({ ...doc, content, baseVersion: version }))
    .mutation(({ ctx, input }) => ctx.services.documents.save(input.agentId, input.path, input.content, input.baseVersion)),
  setTask: protectedProcedure
    .input(z.object({ ...doc, index: z.number().int().min(0), done: z.boolean(), baseVersion: version.optional() }))
    .mutation(({ ctx, input }) => ctx.services.documents.setTask(input.agentId, input.path, input.index, input.done, input.baseVersion)),
  rename: protectedProcedure
    .input(z.object({ agentId: idSchema, from: docPath, to: docPath }))
    .mutation(({ ctx, input }) => ctx.services.documents.rename(input.agentId, input.from, input.to)),
  remove: protectedProcedure.input(z.object(doc)).mutation(({ ctx, input }) => ctx.services.documents.remove(input.agentId, input.path)),
  /** Fires when a document of the agent changes, here or on disk (the folder is watched while someone listens). */
  onChange: protectedProcedure.input(z.object({ agentId: idSchema })).subscription(async function* ({ ctx, input, signal }) {
    const release = await ctx.services.documents.watch(input.agentId);
    try {
      yield* ctx.services.bus.stream("documents.changed", { signal, filter: (e) => e.agentId === input.agentId });
    } finally {
      release();
    }
  }),
});
