import type { Db } from "../../db";
import { cuid, type ChatWrite } from "../../db/fast";
import { AppError } from "../../errors";
import type { createQueues } from "./queue";
import type { ChatStore } from "./store";

/**
 * Adding, removing and describing participants. Every change runs in the chat's `ops` queue (the
 * same one a send's @mention auto-add runs in), and writes the row with the whole new list in
 * one commit, so a remove racing an auto-add ends in one state that the stream tells as it is.
 */
export function createParticipants(deps: { db: Db; store: ChatStore; ops: ReturnType<typeof createQueues> }) {
  const { db, store, ops } = deps;

  async function mustChat(chatId: string) {
    const chat = await db.groupChat.findUnique({ where: { id: chatId }, select: { id: true, moderatorAgentId: true } });
    if (!chat) throw new AppError("NOT_FOUND", "That group chat no longer exists.");
    return chat;
  }

  async function mustParticipant(chatId: string, agentId: string) {
    const row = await db.groupChatParticipant.findUnique({ where: { chatId_agentId: { chatId, agentId } }, select: { id: true } });
    if (!row) throw new AppError("NOT_FOUND", "That agent is not in this chat.");
    return row;
  }

  /** Adds an agent (already in the queue). An agent already taking part keeps its place; a role given is set. */
  async function addNow(input: { chatId: string; agentId: string; role?: string }) {
    const chat = await mustChat(input.chatId);
    const agent = await db.agent.findUnique({ where: { id: input.agentId }, select: { name: true, provider: true, folder: true } });
    if (!agent) throw new AppError("NOT_FOUND", "That agent no longer exists.", { field: "agentId" });
    // A participant works with write access; the moderator's turns are read-only.
    if (input.agentId === chat.moderatorAgentId)
      throw new AppError("BAD_INPUT", "The moderator cannot also be a participant of its chat: pick another agent.", { field: "agentId" });
    const existing = await db.groupChatParticipant.findUnique({
      where: { chatId_agentId: { chatId: input.chatId, agentId: input.agentId } },
    });
    if (existing && input.role === undefined) return;
    await store.commit(input.chatId, async () => {
      const last = await db.groupChatParticipant.aggregate({ where: { chatId: input.chatId }, _max: { colorIndex: true } });
      const count = await db.groupChatParticipant.count({ where: { chatId: input.chatId } });
      const row = existing
        ? { ...existing, role: input.role ?? "" }
        : {
            id: cuid(),
            chatId: input.chatId,
            agentId: input.agentId,
            tabId: null,
            role: input.role ?? "",
            colorIndex: count === 0 ? 0 : (last._max.colorIndex ?? -1) + 1,
            addedAt: new Date(),
          };
      const op: ChatWrite = existing
        ? { table: "participant", update: { id: row.id, data: { role: row.role } } }
        : { table: "participant", upsert: row };
      const event = await store.participantsEvent(input.chatId, (rows) => [...rows.filter((r) => r.id !== row.id), { ...row, agent }]);
      return { writes: [op], events: [event], listChanged: true };
    });
  }

  return {
    addNow,
    add: (input: { chatId: string; agentId: string; role?: string }) => ops.run(input.chatId, () => addNow(input)),

    remove(input: { chatId: string; agentId: string }, isWorking: () => boolean) {
      return ops.run(input.chatId, async () => {
        await mustChat(input.chatId);
        const row = await mustParticipant(input.chatId, input.agentId);
        // Checked in the chat's write order: a round marks its participants working in that
        // order before it re-reads them, so it either sees this removal or this sees it working.
        await store.commit(input.chatId, async () => {
          if (isWorking()) throw new AppError("CONFLICT", "That agent is answering a request of this chat: stop the round first.");
          const event = await store.participantsEvent(input.chatId, (rows) => rows.filter((r) => r.id !== row.id));
          return { writes: [{ table: "participant", delete: row.id }], events: [event], listChanged: true };
        });
      });
    },

    setRole(input: { chatId: string; agentId: string; role: string }) {
      return ops.run(input.chatId, async () => {
        await mustChat(input.chatId);
        const role = input.role.trim().replace(/\s+/g, " ");
        const row = await mustParticipant(input.chatId, input.agentId);
        await store.commit(input.chatId, async () => ({
          writes: [{ table: "participant", update: { id: row.id, data: { role } } }],
          events: [await store.participantsEvent(input.chatId, (rows) => rows.map((r) => (r.id === row.id ? { ...r, role } : r)))],
          listChanged: true,
        }));
      });
    },
  };
}
