import { tracked } from "@trpc/server";
import { z } from "zod";
import { idSchema } from "../../lib/schemas/agents";
import { resumable } from "../events/resumable";
import { BACKLOG_PAGE } from "../services/turns/transcript";
import { AppError } from "../errors";
import { plainJson } from "../plain-json";
import { protectedProcedure, router } from "../trpc";

export const promptSchema = z.string().min(1, "Type a message first.").max(200_000, "That message is too long (200,000 characters at most).");

export const turnsRouter = router({
  list: protectedProcedure.meta({ share: "read" }).input(z.object({ tabId: idSchema })).query(({ ctx, input }) => ctx.services.turns.listTurns(input.tabId)),
  /** A tab at a glance: its turn count, tokens and cost, newest turn and whether one runs (cheap, unlike `list`). */
  overview: protectedProcedure.meta({ share: "read" }).input(z.object({ tabId: idSchema })).query(({ ctx, input }) => ctx.services.turns.overview(input.tabId)),
  /** Stored events of a tab after an id (paging through long transcripts, audits, tests). */
  events: protectedProcedure
    .meta({ share: "read" })
    .input(z.object({ tabId: idSchema, afterId: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(5000).default(1000) }))
    .query(({ ctx, input }) => ctx.services.turns.eventsAfter(input.tabId, input.afterId, input.limit)),
  /**
   * A tab's newest events (about `tail`, widened to whole turns): what a cold tab opens with.
   * The dashboard fetches it ahead of a likely tap, so opening the agent shows its conversation
   * at once and the live stream resumes after it. (Owner only: teammates open tabs cold.)
   */
  tail: protectedProcedure
    .input(z.object({ tabId: idSchema, tail: z.number().int().min(1).max(2000) }))
    .query(async ({ ctx, input }) => {
      const start = await ctx.services.turns.tailStart(input.tabId, input.tail);
      return ctx.services.turns.eventsAfter(input.tabId, start, input.tail + BACKLOG_PAGE);
    }),
  /** Events before an id, widened to whole turns: what "Load earlier messages" fetches. */
  earlier: protectedProcedure
    .meta({ share: "read" })
    .input(z.object({ tabId: idSchema, beforeId: z.number().int().min(1), limit: z.number().int().min(1).max(5000).default(500) }))
    .query(({ ctx, input }) => ctx.services.turns.eventsBefore(input.tabId, input.beforeId, input.limit)),
  send: protectedProcedure
    .meta({ share: "control" })
    .input(
      z.object({
        tabId: idSchema,
        prompt: promptSchema,
        images: z.array(z.string().max(64)).max(10).optional(),
        /** The client's id for this message (its queue item): a resend returns the first send's turn. */
        clientId: z.string().regex(/^[A-Za-z0-9._-]{8,64}$/, "Bad client id.").optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      // Uploads are the owner's files: a share session sends text only.
      if (ctx.principal.kind === "share" && input.images?.length) throw new AppError("FORBIDDEN", "Images can't be sent through a share link.");
      const tab = await ctx.services.tabs.byId(input.tabId);
      const agent = await ctx.services.agents.byId(tab.agentId);
      const prompt = await ctx.services.commands.expand(input.prompt, agent);
      const images = await Promise.all((input.images ?? []).map((id) => ctx.services.uploads.pathOf(id)));
      return ctx.services.turns.send({ tabId: input.tabId, prompt, images, clientId: input.clientId });
    }),
  stop: protectedProcedure.meta({ share: "control" }).input(z.object({ tabId: idSchema })).mutation(async ({ ctx, input }) => ({ stopping: await ctx.services.turns.stop(input.tabId) })),

  /**
   * A tab's event stream, in batches: each message is an array of stored events (in id order)
   * tracked by the id of its last event. Resumable: a client that reconnects sends that id
   * (tRPC passes `lastEventId`), receives everything stored after it, then live batches — none
   * lost, none twice (see `resumable`). Batching keeps 20 busy agents × several clients cheap.
   */
  onEvent: protectedProcedure
    .meta({ share: "read" })
    .input(
      z.object({
        tabId: idSchema,
        lastEventId: z.string().regex(/^\d+$/).nullish(),
        /** Without a lastEventId: start with only the newest ~N events (whole turns); older ones via `earlier`. */
        tail: z.number().int().min(1).max(100_000).optional(),
      }),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      const { bus, turns } = ctx.services;
      const live = bus.stream("turn.events", { signal, filter: (e) => e.tabId === input.tabId });
      const after = input.lastEventId ? Number(input.lastEventId) : input.tail ? await turns.tailStart(input.tabId, input.tail) : 0;
      const stream = resumable({
        live,
        itemsOf: (e) => e.events,
        backlog: () => turns.pagesAfter(input.tabId, after),
        id: (e) => e.id,
        after,
        // An empty batch says "caught up": the client applies the backlog now instead of
        // waiting to see whether more pages follow.
        markCaughtUp: true,
      });
      for await (const { items, last } of stream) yield tracked(String(last), plainJson(items));
    }),
});
