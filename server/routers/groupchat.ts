import { tracked } from "@trpc/server";
import {
  chatEventsInput,
  chatIdInput,
  chatListOutput,
  chatRetryOutput,
  chatSendOutput,
  chatStopOutput,
  chatViewOutput,
  createChatInput,
  participantInput,
  sendChatInput,
  updateChatInput,
} from "../../lib/schemas/groupchat";
import { chatEventsFor, chatViewFor } from "../auth/share-redact";
import { LIVE_QUEUE_CAP, resumable } from "../events/resumable";
import { plainJson } from "../plain-json";
import { protectedProcedure, router } from "../trpc";

/**
 * Group chats: a moderator agent routes the user's messages to participant agents. Thin: the
 * service (server/services/groupchat) does the work. A share link of scope "groupchat" reaches
 * its one chat (view: list/get/onEvent; control: send/stop/retry too).
 */
export const groupchatRouter = router({
  list: protectedProcedure
    .meta({ share: "groupchat", shareScopedOutput: "chats" })
    .output(chatListOutput)
    .query(({ ctx }) => ctx.services.groupchat.list()),
  get: protectedProcedure
    .meta({ share: "groupchat" })
    .input(chatIdInput)
    .output(chatViewOutput)
    .query(async ({ ctx, input }) => chatViewFor(ctx.principal, await ctx.services.groupchat.get(input.chatId))),
  create: protectedProcedure.input(createChatInput).mutation(({ ctx, input }) => ctx.services.groupchat.create(input)),
  update: protectedProcedure.input(updateChatInput).mutation(({ ctx, input }) => ctx.services.groupchat.update(input)),
  remove: protectedProcedure.input(chatIdInput).mutation(({ ctx, input }) => ctx.services.groupchat.remove(input.chatId)),
  addParticipant: protectedProcedure.input(participantInput).mutation(({ ctx, input }) => ctx.services.groupchat.addParticipant(input)),
  removeParticipant: protectedProcedure
    .input(participantInput)
    .mutation(({ ctx, input }) => ctx.services.groupchat.removeParticipant(input)),
  setRole: protectedProcedure
    .input(participantInput)
    .mutation(({ ctx, input }) => ctx.services.groupchat.setRole({ ...input, role: input.role ?? "" })),
  send: protectedProcedure
    .meta({ share: "groupchat" })
    .input(sendChatInput)
    .output(chatSendOutput)
    .mutation(({ ctx, input }) =>
      // Only the owner pulls new agents into a chat by @mention: a share link reaches this chat, not the owner's other agents.
      ctx.services.groupchat.send(input, { canAddParticipants: ctx.principal.kind !== "share" }),
    ),
  stop: protectedProcedure
    .meta({ share: "groupchat" })
    .input(chatIdInput)
    .output(chatStopOutput)
    .mutation(({ ctx, input }) => ctx.services.groupchat.stop(input.chatId)),
  retry: protectedProcedure
    .meta({ share: "groupchat" })
    .input(chatIdInput)
    .output(chatRetryOutput)
    .mutation(({ ctx, input }) => ctx.services.groupchat.retry(input.chatId)),

  /** A chat's stream in batches, resumable like a tab's (`turns.onEvent`): backlog after `lastEventId`, then live. */
  onEvent: protectedProcedure
    .meta({ share: "groupchat" })
    .input(chatEventsInput)
    .subscription(async function* ({ ctx, input, signal }) {
      const { bus, groupchat } = ctx.services;
      const after = input.lastEventId ? Number(input.lastEventId) || 0 : 0;
      const stream = resumable({
        live: bus.stream("groupchat.events", { signal, filter: (e) => e.chatId === input.chatId, maxQueued: LIVE_QUEUE_CAP }),
        itemsOf: (e) => e.events,
        backlog: (from) => groupchat.pagesAfter(input.chatId, from),
        id: (e) => e.id,
        after,
        markCaughtUp: true,
      });
      for await (const { items, last } of stream) yield tracked(String(last), plainJson(chatEventsFor(ctx.principal, items)));
    }),

  /** "Something changed" for the chat list (first message: listening). */
  onChange: protectedProcedure.subscription(async function* ({ ctx, signal }) {
    const changes = ctx.services.bus.stream("groupchat.changed", { signal });
    yield { chatId: null as string | null };
    for await (const change of changes) yield { chatId: change.chatId };
  }),
});
