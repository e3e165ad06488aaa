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
    if (!(await db.groupChat.findUnique({ where: { id: chatId }, select: { id: true } })))
      throw new AppError("NOT_FOUND", "That group chat no longer exists.");
  }

  async function mustParticipant(chatId: string, agentId: string) {
    const row = await db.groupChatParticipant.findUnique({ where: { chatId_agentId: { chatId, agentId } }, select: { id: true } });
    if (!row) throw new AppError("NOT_FOUND", "That agent is not in this chat.");
    return row;
  }

  /** Adds an agent (already in the queue). An agent already taking part keeps its place; a role given is set. */
  async function addNow(input: { chatId: string; agentId: string; role?: string }) {
    await mustChat(input.chatId);
    if (!(await db.agent.findUnique({ where: { id: input.agentId }, select: { id: true } })))
      throw new AppError("NOT_FOUND", "That agent no longer exists.", { field: "agentId" });
    const existing = await db.groupChatParticipant.findUnique({
      where: { chatId_agentId: { chatId: input.chatId, agentId: input.agentId } },
    });
    if (existing && input.role === undefined) return;
    await store.commit(input.chatId, async () => {
      const last = await db.groupChatParticipant.aggregate({ where: { chatId: input.chatId }, _max: { colorIndex: true } });
      const count = await db.groupChatParticipant.count({ where: { chatId: input.chatId } });
      const op: ChatWrite = existing
        ? { table: "participant", update: { id: existing.id, data: { role: input.role ?? "" } } }
        : {
            table: "participant",
            upsert: {
              id: cuid(),
              chatId: input.chatId,
              agentId: input.agentId,
              tabId: null,
              role: input.role ?? "",
              colorIndex: count === 0 ? 0 : (last._max.colorIndex ?? -1) + 1,
              addedAt: new Date(),
            },
          };
      return { writes: [op], events: [] };
    });
    await listChanged(input.chatId);
  }

  /** The whole list as stored after the change just committed (read in write order). */
  function listChanged(chatId: string) {
    return store.commit(chatId, async () => ({ writes: [], events: [await store.participantsEvent(chatId)], listChanged: true }));
  }

  return {
    addNow,
    add: (input: { chatId: string; agentId: string; role?: string }) => ops.run(input.chatId, () => addNow(input)),

    remove(input: { chatId: string; agentId: string }, isWorking: () => boolean) {
      return ops.run(input.chatId, async () => {
        await mustChat(input.chatId);
        if (isWorking()) throw new AppError("CONFLICT", "That agent is answering a request of this chat: stop the round first.");
        const row = await mustParticipant(input.chatId, input.agentId);
        await store.commit(input.chatId, () => ({ writes: [{ table: "participant", delete: row.id }], events: [] }));
        await listChanged(input.chatId);
      });
    },

    setRole(input: { chatId: string; agentId: string; role: string }) {
      return ops.run(input.chatId, async () => {
        await mustChat(input.chatId);
        const role = input.role.trim().replace(/\s+/g, " ");
        const row = await mustParticipant(input.chatId, input.agentId);
        await store.commit(input.chatId, () => ({
          writes: [{ table: "participant", update: { id: row.id, data: { role } } }],
          events: [],
        }));
        await listChanged(input.chatId);
      });
    },
  };
}
