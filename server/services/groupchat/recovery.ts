import type { ChatEvent } from "../../../lib/groupchat/types";
import type { Db } from "../../db";
import type { ChatWrite } from "../../db/fast";
import type { ChatStore } from "./store";
import { messageView, roundView } from "./views";

const DETAIL = "Interrupted: the bridge stopped during a round. Retry runs the last message again.";

/**
 * After a restart nothing of a chat runs: rounds left "running" become "interrupted", messages
 * left streaming too, and the chat is idle with a detail that offers Retry — each chat in one
 * commit with the events that tell it.
 */
export async function recoverChats(deps: { db: Db; store: ChatStore }): Promise<number> {
  const { db, store } = deps;
  const rounds = await db.groupChatRound.findMany({ where: { status: "running" }, select: { chatId: true } });
  const streaming = await db.groupChatMessage.findMany({ where: { status: "streaming" }, select: { chatId: true } });
  const busy = await db.groupChat.findMany({ where: { status: { in: ["moderator", "agents", "synthesizing"] } }, select: { id: true } });
  const chatIds = new Set([...rounds.map((r) => r.chatId), ...streaming.map((m) => m.chatId), ...busy.map((c) => c.id)]);
  const now = new Date();
  for (const chatId of chatIds) {
    await store.commit(chatId, async () => {
      const openRounds = await db.groupChatRound.findMany({ where: { chatId, status: "running" } });
      const openMessages = await db.groupChatMessage.findMany({ where: { chatId, status: "streaming" } });
      const roundPatch = { status: "interrupted", error: DETAIL, endedAt: now };
      const messagePatch = { status: "interrupted", error: "Interrupted by a bridge restart.", endedAt: now };
      const chatPatch = { status: "idle", statusDetail: DETAIL };
      store.setWorking(chatId, []);
      const events: ChatEvent[] = [
        ...openRounds.map((r): ChatEvent => ({ type: "round", round: roundView({ ...r, ...roundPatch }) })),
        ...openMessages.map((m): ChatEvent => ({ type: "message", message: messageView({ ...m, ...messagePatch }) })),
        { type: "chat", chat: await store.header(chatId, chatPatch) },
      ];
      return {
        writes: [
          ...openRounds.map((r): ChatWrite => ({ table: "round", update: { id: r.id, data: roundPatch } })),
          ...openMessages.map((m): ChatWrite => ({ table: "message", update: { id: m.id, data: messagePatch } })),
          { table: "chat", update: { id: chatId, data: chatPatch } },
        ],
        events,
        listChanged: true,
      };
    });
  }
  return chatIds.size;
}
