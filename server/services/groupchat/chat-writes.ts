import type { GroupChat, GroupChatMessage } from "../../../generated/prisma/client.ts";
import type { HistoryLine } from "../../../lib/groupchat/prompt";
import type { ChatEvent } from "../../../lib/groupchat/types";
import { mentionName } from "../../../lib/groupchat/mentions";
import type { Db } from "../../db";
import { cuid } from "../../db/fast";
import { AppError } from "../../errors";
import type { TabsService } from "../tabs/service";
import type { ChatStore } from "./store";
import { participantInclude, type ParticipantRow } from "./views";

/** The tab an agent works in for a chat, and whether its next turn resumes a session there. */
export interface AgentTab {
  tabId: string;
  resumed: boolean;
}

/**
 * The writes a round makes besides its turns: status changes, system notices, a message's end
 * with the header it changes, the tabs its agents work in, and the chat as the prompts quote it.
 */
export function createChatWrites(deps: { db: Db; store: ChatStore; tabs: Pick<TabsService, "create"> }) {
  const { db, store, tabs } = deps;

  /** The chat's status (and who works), with its header event. */
  function setStatus(chatId: string, patch: Pick<GroupChat, "status" | "statusDetail">, working: string[]) {
    return store.commit(chatId, async () => {
      store.setWorking(chatId, working);
      return {
        writes: [{ table: "chat", update: { id: chatId, data: patch } }],
        events: [{ type: "chat", chat: await store.header(chatId, patch) }],
        listChanged: true,
      };
    });
  }

  /** A message as it ends, with the header (totals, who still works) it changes. */
  function endMessage(row: GroupChatMessage, working?: string[]) {
    return store.commit(row.chatId, async () => {
      if (working) store.setWorking(row.chatId, working);
      const m = store.messageChange(row);
      return { writes: [m.op], events: [m.event, { type: "chat", chat: await store.header(row.chatId, {}, row) }], listChanged: true };
    });
  }

  /** A system line in the chat (an Auto Run started or ended, the chain stopped, a limit reached). */
  /** `extra`: more events of the same commit (a function: built in the chat's write order). */
  function notice(chatId: string, roundId: string | null, text: string, extra: ChatEvent[] | (() => Promise<ChatEvent[]>) = []) {
    const now = store.stamp(chatId);
    const row: GroupChatMessage = {
      id: cuid(),
      chatId,
      roundId,
      author: "system",
      agentId: null,
      agentName: "",
      turnId: null,
      tabId: null,
      kind: "notice",
      status: "done",
      text,
      mentionsJson: "[]",
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      durationMs: null,
      error: null,
      clientId: null,
      createdAt: now,
      endedAt: now,
    };
    return store.commit(chatId, async () => {
      const m = store.messageChange(row);
      return { writes: [m.op], events: [m.event, ...(typeof extra === "function" ? await extra() : extra)], listChanged: true };
    });
  }

  /**
   * A tab that still exists and is `agentId`'s, and whether the next turn there resumes a session.
   * Another agent's tab (a moderator changed while its id was being stored) is never reused.
   */
  async function existing(tabId: string | null, agentId: string): Promise<AgentTab | null> {
    if (!tabId) return null;
    const tab = await db.tab.findUnique({ where: { id: tabId }, select: { providerSessionId: true, agentId: true } });
    return tab && tab.agentId === agentId ? { tabId, resumed: !!tab.providerSessionId } : null;
  }

  /** The moderator's tab for this chat (its session across rounds), made on first use or when closed. */
  async function moderatorTab(chat: GroupChat): Promise<AgentTab> {
    const known = await existing(chat.moderatorTabId, chat.moderatorAgentId);
    if (known) return known;
    const tab = await tabs.create(chat.moderatorAgentId, `Group chat: ${chat.name} · moderator`.slice(0, 100));
    await store.commit(chat.id, async () => {
      const patch = { moderatorTabId: tab.id };
      return {
        writes: [{ table: "chat", update: { id: chat.id, data: patch } }],
        events: [{ type: "chat", chat: await store.header(chat.id, patch) }],
      };
    });
    return { tabId: tab.id, resumed: false };
  }

  /** A participant's tab for this chat, made on its first request (or when closed). */
  async function participantTab(chat: GroupChat, p: ParticipantRow): Promise<AgentTab> {
    const known = await existing(p.tabId, p.agentId);
    if (known) return known;
    const tab = await tabs.create(p.agentId, `Group chat: ${chat.name}`.slice(0, 100));
    await store.commit(chat.id, async () => ({
      writes: [{ table: "participant", update: { id: p.id, data: { tabId: tab.id } } }],
      events: [await store.participantsEvent(chat.id, (rows) => rows.map((r) => (r.id === p.id ? { ...r, tabId: tab.id } : r)))],
    }));
    return { tabId: tab.id, resumed: false };
  }

  async function loadChat(chatId: string) {
    const chat = await db.groupChat.findUnique({ where: { id: chatId } });
    if (!chat) throw new AppError("NOT_FOUND", "That group chat no longer exists.");
    const participants = await db.groupChatParticipant.findMany({
      where: { chatId },
      include: participantInclude,
      orderBy: { addedAt: "asc" },
    });
    return { chat, participants };
  }

  /** The chat as the prompts quote it: finished messages (notices left out), oldest first. */
  async function historyLines(chatId: string, where: { excludeRounds?: string[]; agentId?: string } = {}): Promise<HistoryLine[]> {
    const rows = await db.groupChatMessage.findMany({
      where: {
        chatId,
        status: { not: "streaming" },
        author: where.agentId ? "participant" : { not: "system" },
        ...(where.agentId ? { agentId: where.agentId } : {}),
        ...(where.excludeRounds?.length ? { OR: [{ roundId: null }, { roundId: { notIn: where.excludeRounds } }] } : {}),
      },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { author: true, agentName: true, text: true, status: true },
    });
    return rows
      .filter((r) => r.text.trim() || r.status !== "done")
      .map((r) => ({
        from: r.author === "user" ? "User" : r.author === "moderator" ? `Moderator (${r.agentName})` : `@${mentionName(r.agentName)}`,
        text: r.text.trim() || `(${r.status})`,
      }));
  }

  return { setStatus, endMessage, notice, moderatorTab, participantTab, loadChat, historyLines };
}

export type ChatWrites = ReturnType<typeof createChatWrites>;
