import { tracked } from "@trpc/server";
import { tabIdInput } from "../../lib/schemas/common";
import {
  earlierInput,
  eventsAfterInput,
  eventsOutput,
  onEventInput,
  sendInput,
  sendOutput,
  stopOutput,
  tabOverviewOutput,
  tailInput,
  turnResultInput,
} from "../../lib/schemas/turns";
import { LIVE_QUEUE_CAP, resumable } from "../events/resumable";
import { AppError } from "../errors";
import { plainJson } from "../plain-json";
import { protectedProcedure, router } from "../trpc";

export const turnsRouter = router({
  list: protectedProcedure
    .meta({ share: "read" })
    .input(tabIdInput)
    .query(({ ctx, input }) => ctx.services.turns.listTurns(input.tabId)),
  /** A tab at a glance: its turn count, tokens and cost, newest turn and whether one runs (cheap, unlike `list`). */
  overview: protectedProcedure
    .meta({ share: "read" })
    .input(tabIdInput)
    .output(tabOverviewOutput)
    .query(({ ctx, input }) => ctx.services.turns.overview(input.tabId)),
  /** Stored events of a tab after an id (paging through long transcripts, audits, tests). */
  events: protectedProcedure
    .meta({ share: "read" })
    .input(eventsAfterInput)
    .output(eventsOutput)
    .query(({ ctx, input }) => ctx.services.turns.eventsAfter(input.tabId, input.afterId, input.limit)),
  /**
   * A tab's newest events (about `tail`, widened to whole turns): what a cold tab opens with.
   * The dashboard fetches it ahead of a likely tap, so opening the agent shows its conversation
   * at once and the live stream resumes after it. (Owner only: teammates open tabs cold.)
   */
  // Stored events are plain JSON (parsed payloads, ISO times): no superjson walk over ~400 of them
  // on the way out of the path that opens a tab (about a tenth of the cost).
  tail: protectedProcedure.input(tailInput).query(({ ctx, input }) => plainJson(ctx.services.turns.tail(input.tabId, input.tail))),
  /** Events before an id, widened to whole turns: what "Load earlier messages" fetches. */
  earlier: protectedProcedure
    .meta({ share: "read" })
    .input(earlierInput)
    .output(eventsOutput)
    .query(({ ctx, input }) => ctx.services.turns.eventsBefore(input.tabId, input.beforeId, input.limit)),
  send: protectedProcedure
    .meta({ share: "control" })
    .input(sendInput)
    .output(sendOutput)
    .mutation(async ({ ctx, input }) => {
      // Uploads are the owner's files: a share session sends text only.
      if (ctx.principal.kind === "share" && input.images?.length)
        throw new AppError("FORBIDDEN", "Images can't be sent through a share link.");
      return ctx.services.turns.submit(input);
    }),
  /** A finished turn in desktop `maestro-cli send`'s shape: reply, usage, sessions (owner only). */
  result: protectedProcedure.input(turnResultInput).query(({ ctx, input }) => ctx.services.turns.result(input.turnId)),
  stop: protectedProcedure
    .meta({ share: "control" })
    .input(tabIdInput)
    .output(stopOutput)
    .mutation(async ({ ctx, input }) => ({ stopping: await ctx.services.turns.stop(input.tabId) })),

  /**
   * A tab's event stream, in batches: each message is an array of stored events (in id order)
   * tracked by the id of its last event. Resumable: a client that reconnects sends that id
   * (tRPC passes `lastEventId`), receives everything stored after it, then live batches — none
   * lost, none twice (see `resumable`). Batching keeps 20 busy agents × several clients cheap.
   */
  onEvent: protectedProcedure
    .meta({ share: "read" })
    .input(onEventInput)
    .subscription(async function* ({ ctx, input, signal }) {
      const { bus, turns } = ctx.services;
      const after = input.lastEventId ? Number(input.lastEventId) : input.tail ? await turns.tailStart(input.tabId, input.tail) : 0;
      const stream = resumable({
        live: bus.stream("turn.events", { signal, filter: (e) => e.tabId === input.tabId, maxQueued: LIVE_QUEUE_CAP }),
        itemsOf: (e) => e.events,
        backlog: (from) => turns.pagesAfter(input.tabId, from),
        id: (e) => e.id,
        after,
        // An empty batch says "caught up": the client applies the backlog now instead of
        // waiting to see whether more pages follow.
        markCaughtUp: true,
      });
      for await (const { items, last } of stream) yield tracked(String(last), plainJson(items));
    }),
});
