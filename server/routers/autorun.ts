import { DEFAULT_PROMPT } from "../../lib/autorun/run-prompt";
import { TEMPLATE_VARIABLES } from "../../lib/autorun/template";
import {
  artifactInput,
  autorunChangesInput,
  autorunListInput,
  clearHaltInput,
  dryRunInput,
  resumeRunInput,
  runEventsInput,
  runHistoryInput,
  startRunInput,
} from "../../lib/schemas/autorun";
import { byIdInput } from "../../lib/schemas/common";
import { hasOwnerPowers, type Principal } from "../auth/service";
import { AppError } from "../errors";
import { protectedProcedure, router } from "../trpc";

/** Whose words a pause or stop is in: the owner is "you", a teammate is their link's label. */
const requester = (p: Principal) => (p.kind === "owner" ? "you" : p.kind === "cli" ? "CLI" : `${p.label} (share link)`);

export const autorunRouter = router({
  /** The built-in prompt template and the variables it may use (for the prompt editor). */
  defaults: protectedProcedure.query(() => ({ prompt: DEFAULT_PROMPT, variables: [...TEMPLATE_VARIABLES] })),

  list: protectedProcedure.input(autorunListInput).query(({ ctx, input }) => ctx.services.autorun.list(input)),

  /** A run with its documents' progress as read from disk now, and its task attempts. */
  byId: protectedProcedure
    .meta({ share: "run", shareIdIs: "run" })
    .input(byIdInput)
    .query(({ ctx, input }) => ctx.services.autorun.view(input.id)),

  history: protectedProcedure
    .meta({ share: "run" })
    .input(runHistoryInput)
    .query(async ({ ctx, input }) => {
      const entries = await ctx.services.autorun.history(input.runId);
      // Teammates' own visits (with their addresses) are the owner's to see, not other teammates'.
      return ctx.principal.kind === "share" ? entries.filter((e) => e.kind !== "share-use") : entries;
    }),

  /** A task of History with the document it ran on (the loop copy for a reset run), to open beside its summary. */
  taskSource: protectedProcedure.input(byIdInput).query(({ ctx, input }) => ctx.services.autorun.taskSource(input.id)),

  start: protectedProcedure.input(startRunInput).mutation(({ ctx, input }) => ctx.services.autorun.start(input)),
  /** What a run would work through, as desktop's `--dry-run` JSONL lines; nothing starts (the CLI's `--dry-run`). */
  dryRun: protectedProcedure.input(dryRunInput).query(({ ctx, input }) => ctx.services.autorun.dryRun(input)),
  // Pause / Stop / Resume are open to control links of the run or its agent; Skip and Abort are the owner's.
  resume: protectedProcedure
    .meta({ share: "run", shareIdIs: "run" })
    .input(resumeRunInput)
    .mutation(({ ctx, input }) => {
      // Ticking a box writes the owner's document: a teammate's link may resume, not tick.
      if (input.markDone && !hasOwnerPowers(ctx.principal)) throw new AppError("FORBIDDEN", "Only the owner can tick a task from here.");
      return ctx.services.autorun.resume(input.id, { markDone: input.markDone });
    }),
  skipDocument: protectedProcedure.input(byIdInput).mutation(({ ctx, input }) => ctx.services.autorun.skipDocument(input.id)),
  pause: protectedProcedure
    .meta({ share: "run", shareIdIs: "run" })
    .input(byIdInput)
    .mutation(({ ctx, input }) => ctx.services.autorun.pause(input.id, requester(ctx.principal))),
  stop: protectedProcedure
    .meta({ share: "run", shareIdIs: "run" })
    .input(byIdInput)
    .mutation(({ ctx, input }) => ctx.services.autorun.stop(input.id, requester(ctx.principal))),
  abort: protectedProcedure.input(byIdInput).mutation(({ ctx, input }) => ctx.services.autorun.abort(input.id)),

  /** The text of a file a review gate asks the person to look at (inside the project only). */
  artifact: protectedProcedure.input(artifactInput).query(({ ctx, input }) => ctx.services.documents.artifact(input.agentId, input.path)),

  /** Removes a document's halt marker so a new run may start. */
  clearHalt: protectedProcedure
    .input(clearHaltInput)
    .mutation(({ ctx, input }) => ctx.services.documents.clearHalt(input.agentId, input.filename)),

  /**
   * Something about this agent's (or every) run changed: the client refetches. Share sessions get
   * only the events of their scope (a run link: of its run).
   */
  onChange: protectedProcedure
    .meta({ share: "run", shareScopedOutput: "events" })
    .input(autorunChangesInput)
    .subscription(async function* ({ ctx, input, signal }) {
      const changes = ctx.services.bus.stream("autorun.changed", {
        signal,
        filter: (e) => (!input.agentId || e.agentId === input.agentId) && (!input.runId || e.runId === input.runId || e.runId === ""),
      });
      // First a "listening" mark, once the stream is attached: the client re-reads on it, so a
      // change made between its first read and this moment cannot slip by (tRPC says
      // "connected" before this body runs, so the client's onStarted is too early for that).
      yield { agentId: null as string | null, runId: "" };
      for await (const { agentId, runId } of changes) yield { agentId, runId };
    }),

  /**
   * A run's events as desktop `maestro-cli`'s JSONL objects (one per SSE message), ending after
   * `complete`. Owner and CLI only (the `maestro` CLI prints them for `run-doc`/`playbook --json`).
   */
  onRunEvent: protectedProcedure.input(runEventsInput).subscription(async function* ({ ctx, input, signal }) {
    yield* ctx.services.autorun.desktopLines(input.runId, { fromStart: input.fromStart, signal });
  }),
});
