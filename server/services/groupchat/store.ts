import type { GroupChat, GroupChatMessage } from "../../../generated/prisma/client.ts";
import type { ChatEvent, ChatHeader, ChatView, StoredChatEvent } from "../../../lib/groupchat/types";
import type { Db } from "../../db";
import type { ChatWrite, FastDb } from "../../db/fast";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import { createQueues } from "./queue";
import {
  addTotals,
  headerView,
  roundCost,
  messageView,
  NO_TOTALS,
  participantInclude,
  participantView,
  roundView,
  type MessageCost,
  type ParticipantRow,
} from "./views";

const PAGE = 500;

/** What one commit writes: row changes and the events that tell them, in one transaction. */
export interface Change {
  writes: ChatWrite[];
  events: ChatEvent[];
  /** The chat list shows something new (status, last message, name). */
  listChanged?: boolean;
}

/**
 * The chat's durable stream. Every change is written with its events in one transaction on the
 * fast path's connection (a Prisma transaction would hold the write lock across awaits while the
 * chat's own turns write their events), one chat's commits in order, then published on the bus. Also what only this process knows: who works right now and
 * each streaming message's last activity line.
 */
export function createChatStore(deps: { db: Db; fast: Pick<FastDb, "groupchat">; bus: Bus }) {
  const { db, fast, bus } = deps;
  const writes = createQueues();
  const working = new Map<string, Set<string>>();
  const activity = new Map<string, Map<string, string>>();

  const clocks = new Map<string, number>();

  /**
   * A new message's time: never before the chat's previous one. Taken right before its commit is
   * queued (no await between), so reading messages by time gives the order the stream told them.
   */
  function stamp(chatId: string): Date {
    const t = Math.max(Date.now(), (clocks.get(chatId) ?? 0) + 1);
    clocks.set(chatId, t);
    return new Date(t);
  }

  function workingOf(chatId: string): string[] {
    return [...(working.get(chatId) ?? [])];
  }

  /** Runs `build` in the chat's write order and commits what it returns; resolves with the stored events. */
  function commit(chatId: string, build: () => Promise<Change> | Change): Promise<StoredChatEvent[]> {
    return writes.run(chatId, async () => {
      const { writes: rows, events, listChanged } = await build();
      const now = new Date();
      const ids = fast.groupchat.commit(
        rows,
        events.map((e) => ({ chatId, type: e.type, payload: JSON.stringify(e), createdAt: now })),
      );
      const stored = events.map((e, i) => ({ ...e, id: ids[i]! }));
      for (const e of stored) trackActivity(chatId, e);
      if (stored.length > 0) bus.publish("groupchat.events", { chatId, events: stored });
      if (listChanged) bus.publish("groupchat.changed", { chatId });
      return stored;
    });
  }

  function trackActivity(chatId: string, e: ChatEvent) {
    const lines = activity.get(chatId) ?? new Map<string, string>();
    activity.set(chatId, lines);
    if (e.type === "activity") lines.set(e.messageId, e.text);
    else if (e.type === "delta") lines.delete(e.messageId);
    else if (e.type === "message" && e.message.status !== "streaming") lines.delete(e.message.id);
  }

  /** The chat's totals, with `changed` counted as it is about to be written. */
  async function totals(chatId: string, changed?: { id: string } & MessageCost) {
    const sum = await db.groupChatMessage.aggregate({
      where: { chatId, ...(changed ? { id: { not: changed.id } } : {}) },
      _sum: { inputTokens: true, outputTokens: true, costUsd: true, durationMs: true },
    });
    const base = {
      inputTokens: sum._sum.inputTokens ?? 0,
      outputTokens: sum._sum.outputTokens ?? 0,
      costUsd: roundCost(sum._sum.costUsd ?? 0),
      durationMs: sum._sum.durationMs ?? 0,
    };
    return changed ? addTotals(base, changed) : base;
  }

  /**
   * The header as it is once `patch` (written in the same commit) is applied. Call inside a
   * commit's `build` so it reads the chat in write order.
   */
  async function header(
    chatId: string,
    patch: Partial<GroupChat> = {},
    changedMessage?: { id: string } & MessageCost,
  ): Promise<ChatHeader> {
    const chat = await db.groupChat.findUnique({ where: { id: chatId } });
    if (!chat) throw new AppError("NOT_FOUND", "That group chat no longer exists.");
    const moderator = await db.agent.findUnique({
      where: { id: patch.moderatorAgentId ?? chat.moderatorAgentId },
      select: { name: true, provider: true },
    });
    return headerView({ ...chat, ...patch, updatedAt: new Date() }, moderator, await totals(chatId, changedMessage), workingOf(chatId));
  }

  /** Sets who works now (the header event that tells it is the caller's). */
  function setWorking(chatId: string, agentIds: Iterable<string>) {
    working.set(chatId, new Set(agentIds));
  }

  /** A message row's write and its "message" event. */
  function messageChange(row: GroupChatMessage): { op: ChatWrite; event: ChatEvent } {
    return { op: { table: "message", upsert: row }, event: { type: "message", message: messageView(row) } };
  }

  /**
   * The participants event for the list as stored, with `edit` applied: a row change and the event
   * that tells it go in one commit (a kill between two commits would lose the event).
   */
  async function participantsEvent(chatId: string, edit: (rows: ParticipantRow[]) => ParticipantRow[] = (r) => r): Promise<ChatEvent> {
    const rows = await db.groupChatParticipant.findMany({ where: { chatId }, include: participantInclude, orderBy: { addedAt: "asc" } });
    const after = edit(rows).sort((a, b) => a.addedAt.getTime() - b.addedAt.getTime());
    return { type: "participants", participants: after.map(participantView) };
  }

  /** The chat as stored, with the id of the newest event read in the same transaction. */
  async function get(chatId: string): Promise<ChatView> {
    const [chat, participants, rounds, messages, last] = await db.$transaction([
      db.groupChat.findUnique({ where: { id: chatId } }),
      db.groupChatParticipant.findMany({ where: { chatId }, include: participantInclude, orderBy: { addedAt: "asc" } }),
      db.groupChatRound.findMany({ where: { chatId }, orderBy: { index: "asc" } }),
      db.groupChatMessage.findMany({ where: { chatId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
      db.groupChatEvent.aggregate({ where: { chatId }, _max: { id: true } }),
    ]);
    if (!chat) throw new AppError("NOT_FOUND", "That group chat no longer exists.");
    const moderator = await db.agent.findUnique({ where: { id: chat.moderatorAgentId }, select: { name: true, provider: true } });
    const sum = messages.reduce(addTotals, NO_TOTALS);
    const streaming = new Set(messages.filter((m) => m.status === "streaming").map((m) => m.id));
    const lines = [...(activity.get(chatId) ?? new Map<string, string>())].filter(([id]) => streaming.has(id));
    return {
      chat: headerView(chat, moderator, sum, workingOf(chatId)),
      participants: participants.map(participantView),
      rounds: rounds.map(roundView),
      messages: messages.map(messageView),
      activity: Object.fromEntries(lines),
      lastEventId: last._max.id ?? 0,
    };
  }

  async function* pagesAfter(chatId: string, afterId: number): AsyncGenerator<StoredChatEvent[]> {
    let last = afterId;
    for (;;) {
      const rows = await db.groupChatEvent.findMany({ where: { chatId, id: { gt: last } }, orderBy: { id: "asc" }, take: PAGE });
      if (rows.length === 0) return;
      yield rows.map((r) => ({ ...(JSON.parse(r.payload) as ChatEvent), id: r.id }));
      last = rows[rows.length - 1]!.id;
      if (rows.length < PAGE) return;
    }
  }

  function forget(chatId: string) {
    working.delete(chatId);
    activity.delete(chatId);
    clocks.delete(chatId);
  }

  return { commit, stamp, header, totals, setWorking, workingOf, messageChange, participantsEvent, get, pagesAfter, forget, writes };
}

export type ChatStore = ReturnType<typeof createChatStore>;
