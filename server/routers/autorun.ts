import fs from "node:fs/promises";
import { clearHalt, parseChecklist } from "../../lib/autorun/checklist";
import { DEFAULT_PROMPT } from "../../lib/autorun/run-prompt";
import { TEMPLATE_VARIABLES } from "../../lib/autorun/template";
import { autorunChangesInput, autorunListInput, clearHaltInput, runHistoryInput, startRunInput } from "../../lib/schemas/autorun";
import { byIdInput } from "../../lib/schemas/common";
import type { Principal } from "../auth/service";
import { AppError } from "../errors";
import { autorunFolderOf, documentPath, readDocument } from "../services/autorun/files";
import { configOf } from "../services/autorun/runner";
import { protectedProcedure, router } from "../trpc";


/** Whose words a pause or stop is in: the owner is "you", a teammate is their link's label. */
const requester = (p: Principal) => (p.kind === "owner" ? "you" : `${p.label} (share link)`);

export const autorunRouter = router({
  /** The built-in prompt template and the variables it may use (for the prompt editor). */
  defaults: protectedProcedure.query(() => ({ prompt: DEFAULT_PROMPT, variables: [...TEMPLATE_VARIABLES] })),

  list: protectedProcedure
    .input(autorunListInput)
    .query(async ({ ctx, input }) => {
      const runs = await ctx.services.autorun.list(input);
      const agents = await ctx.services.agents.list();
      const names = new Map(agents.map((a) => [a.id, a.name]));
      return runs.map((r) => ({ ...r, agentName: names.get(r.agentId) ?? "", config: configOf(r) }));
    }),

  /** A run with its documents' progress as read from disk now, and its task attempts. */
  byId: protectedProcedure.meta({ share: "run", shareIdIs: "run" }).input(byIdInput).query(async ({ ctx, input }) => {
    const run = await ctx.services.autorun.byId(input.id);
    const agent = await ctx.services.agents.byId(run.agentId).catch(() => null);
    return {
      run: { ...run, config: configOf(run) },
      agentName: agent?.name ?? "",
      documents: await ctx.services.autorun.documents(input.id),
      attempts: await ctx.services.autorun.attempts(input.id),
    };
  }),

  history: protectedProcedure
    .meta({ share: "run" })
    .input(runHistoryInput)
    .query(async ({ ctx, input }) => {
      const entries = await ctx.services.autorun.history(input.runId);
      // Teammates' own visits (with their addresses) are the owner's to see, not other teammates'.
      return ctx.principal.kind === "share" ? entries.filter((e) => e.kind !== "share-use") : entries;
    }),

  start: protectedProcedure
    .input(startRunInput)
    .mutation(({ ctx, input }) => ctx.services.autorun.start(input)),
  // Pause / Stop / Resume are open to control links of the run or its agent; Skip and Abort are the owner's.
  resume: protectedProcedure.meta({ share: "run", shareIdIs: "run" }).input(byIdInput).mutation(({ ctx, input }) => ctx.services.autorun.resume(input.id)),
  skipDocument: protectedProcedure.input(byIdInput).mutation(({ ctx, input }) => ctx.services.autorun.skipDocument(input.id)),
  pause: protectedProcedure.meta({ share: "run", shareIdIs: "run" }).input(byIdInput).mutation(({ ctx, input }) => ctx.services.autorun.pause(input.id, requester(ctx.principal))),
  stop: protectedProcedure.meta({ share: "run", shareIdIs: "run" }).input(byIdInput).mutation(({ ctx, input }) => ctx.services.autorun.stop(input.id, requester(ctx.principal))),
  abort: protectedProcedure.input(byIdInput).mutation(({ ctx, input }) => ctx.services.autorun.abort(input.id)),

  /** Removes a document's halt marker so a new run may start. */
  clearHalt: protectedProcedure
    .input(clearHaltInput)
    .mutation(async ({ ctx, input }) => {
      const agent = await ctx.services.agents.byId(input.agentId);
      const full = await ctx.services.db.agent.findUniqueOrThrow({ where: { id: agent.id }, select: { folder: true, settingsJson: true } });
      const file = await documentPath(await autorunFolderOf(full), input.filename);
      const text = await readDocument(file, input.filename);
      if (!parseChecklist(text).halt) throw new AppError("BAD_INPUT", `${input.filename} has no halt marker.`);
      await fs.writeFile(file, clearHalt(text));
      return { ok: true };
    }),

  /**
   * Something about this agent's (or every) run changed: the client refetches. Share sessions get
   * only the events of their scope (a run link: of its run).
   */
  onChange: protectedProcedure
    .meta({ share: "run", shareScopedOutput: "events" })
    .input(autorunChangesInput)
    .subscription(async function* ({ ctx, input, signal }) {
      yield* ctx.services.bus.stream("autorun.changed", {
        signal,
        filter: (e) => (!input.agentId || e.agentId === input.agentId) && (!input.runId || e.runId === input.runId || e.runId === ""),
      });
    }),
});
