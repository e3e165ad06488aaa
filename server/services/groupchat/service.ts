import { extractMentions, mentionName } from "../../../lib/groupchat/mentions";
import type { ChatEvent, ChatListItem, ChatMessageView } from "../../../lib/groupchat/types";
import { DEFAULT_PARTICIPANT_TIMEOUT_MS, DEFAULT_ROUND_LIMIT } from "../../../lib/schemas/groupchat";
import type { Db } from "../../db";
import { cuid, type ChatWrite, type FastDb } from "../../db/fast";
import { AppError, errorText } from "../../errors";
import type { Bus } from "../../events/bus";
import type { Logger } from "../../logger";
import type { HistoryRecord } from "../history/service";
import type { TabsService } from "../tabs/service";
import type { TurnsService } from "../turns/service";
import type { LiveRound } from "./agent-turn";
import { createChatAutoruns, type ChatAutorunDeps } from "./autorun";
import { createChatWrites } from "./chat-writes";
import { createParticipants } from "./participants";
import { createQueues } from "./queue";
import { recoverChats } from "./recovery";
import { driveRound } from "./round";
import { createChatStore } from "./store";
import type { GroupChatService } from "./types";
import { headerView, messageView, NO_TOTALS, participantView, roundView } from "./views";

export type { ChatCaller, GroupChatService } from "./types";

export interface GroupChatDeps {
  db: Db;
  fast: Pick<FastDb, "groupchat">;
  bus: Bus;
  turns: Pick<TurnsService, "start" | "stop">;
  tabs: Pick<TabsService, "create">;
  history: { record(entry: HistoryRecord): Promise<unknown> };
  autorun: ChatAutorunDeps["autorun"];
  documents: ChatAutorunDeps["documents"];
  logger: Logger;
  /** Overrides every chat's participant timeout (tests: short). */
  participantTimeoutMs?: number;
  /** How often streaming text is written (ms; default 100). */
  flushMs?: number;
}

/**
 * Group chats (see types.ts for the contract). Rounds run in this process (`lives`); everything
 * they do is in the database and the chat's event stream, so a restart finds them interrupted.
 */
export function createGroupChatService(deps: GroupChatDeps): GroupChatService {
  const { db, bus } = deps;
  const store = createChatStore({ db, fast: deps.fast, bus });
  const writes = createChatWrites({ db, store, tabs: deps.tabs });
  const autoruns = createChatAutoruns({ bus, writes, autorun: deps.autorun, documents: deps.documents });
  // Participant changes, sends and retries of one chat, one at a time (the add/remove race).
  const ops = createQueues();
  const participants = createParticipants({ db, store, ops });
  const lives = new Map<string, { live: LiveRound; done: Promise<void> }>();
  const offAgents = bus.subscribe("agents.changed", ({ agentId }) => {
    if (agentId) void agentGone(agentId).catch((err: unknown) => deps.logger.error(`group chat: ${errorText(err)}`));
  });

  /**
   * A deleted agent's participant rows went with it (cascade), without a word in the chats' streams:
   * every chat whose last participant list named it gets the list as stored now, with a notice.
   */
  async function agentGone(agentId: string) {
    if (deps.fast.groupchat.agentExists(agentId)) return;
    for (const { id: chatId } of await db.groupChat.findMany({ select: { id: true } })) {
      const last = await db.groupChatEvent.findFirst({ where: { chatId, type: "participants" }, orderBy: { id: "desc" } });
      if (!last) continue;
      const listed = (JSON.parse(last.payload) as Extract<ChatEvent, { type: "participants" }>).participants;
      const was = listed.find((p) => p.agentId === agentId);
      if (!was) continue;
      await ops.run(chatId, () =>
        writes.notice(chatId, null, `@${was.name} was deleted: it is no longer in this chat.`, async () => [
          await store.participantsEvent(chatId),
        ]),
      );
    }
  }
  const roundDeps = {
    ...deps,
    store,
    writes,
    flushMs: deps.flushMs ?? 100,
    startAutoruns: autoruns.start,
  };

  function startRound(chatId: string, roundId: string, request: string, earlierRounds: string[]) {
    const live: LiveRound = { chatId, roundId, stopped: false, interrupted: false, tabs: new Set() };
    // A retry's message and its earlier attempts' cut-off answers are in earlier rounds: not history.
    const done = driveRound(roundDeps, live, request, earlierRounds).finally(() => lives.delete(chatId));
    lives.set(chatId, { live, done });
  }

  /** The user message, its round and the chat's new status, in one commit; then the round runs. */
  async function beginRound(
    chatId: string,
    message: { id: string; text: string; create: boolean; clientId?: string; earlierRounds?: string[] },
  ) {
    const last = await db.groupChatRound.aggregate({ where: { chatId }, _max: { index: true } });
    const now = store.stamp(chatId);
    const round = {
      id: cuid(),
      chatId,
      index: (last._max.index ?? 0) + 1,
      userMessageId: message.id,
      status: "running",
      moderatorTurns: 0,
      error: null,
      startedAt: now,
      endedAt: null,
    };
    const userRow = {
      id: message.id,
      chatId,
      roundId: round.id,
      author: "user",
      agentId: null,
      agentName: "You",
      turnId: null,
      tabId: null,
      kind: "request",
      status: "done",
      text: message.text,
      mentionsJson: "[]",
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      durationMs: null,
      error: null,
      clientId: message.clientId ?? null,
      createdAt: now,
      endedAt: now,
    };
    const chatPatch = { status: "moderator", statusDetail: "" };
    await store.commit(chatId, async () => {
      store.setWorking(chatId, []);
      const user = message.create ? [store.messageChange(userRow)] : [];
      return {
        writes: [{ table: "round", upsert: round }, ...user.map((u) => u.op), { table: "chat", update: { id: chatId, data: chatPatch } }],
        events: [
          { type: "round", round: roundView(round) },
          ...user.map((u) => u.event),
          { type: "chat", chat: await store.header(chatId, chatPatch) },
        ],
        listChanged: true,
      };
    });
    startRound(chatId, round.id, message.text, message.earlierRounds ?? []);
    return round.id;
  }

  async function mustChat(chatId: string) {
    const chat = await db.groupChat.findUnique({ where: { id: chatId } });
    if (!chat) throw new AppError("NOT_FOUND", "That group chat no longer exists.");
    return chat;
  }

  function refuseWhileRunning(chatId: string) {
    if (lives.has(chatId)) throw new AppError("CONFLICT", "A round is running in this chat: wait for its answer or stop it.");
  }

  async function stopAndWait(chatId: string, interrupted = false) {
    const entry = lives.get(chatId);
    if (!entry) return;
    entry.live.stopped = true;
    entry.live.interrupted ||= interrupted;
    for (const tabId of entry.live.tabs) void deps.turns.stop(tabId);
    await entry.done;
  }

  return {
    async list(): Promise<ChatListItem[]> {
      const chats = await db.groupChat.findMany({
        orderBy: { updatedAt: "desc" },
        include: { participants: { include: { agent: { select: { name: true } } }, orderBy: { addedAt: "asc" } } },
      });
      return Promise.all(
        chats.map(async (c) => {
          const moderator = await db.agent.findUnique({ where: { id: c.moderatorAgentId }, select: { name: true } });
          const last = await db.groupChatMessage.findFirst({ where: { chatId: c.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
          return {
            id: c.id,
            name: c.name,
            status: c.status as ChatListItem["status"],
            statusDetail: c.statusDetail,
            moderatorName: moderator?.name ?? "(removed agent)",
            participants: c.participants.map((p) => ({ agentId: p.agentId, name: mentionName(p.agent.name), colorIndex: p.colorIndex })),
            working: store.workingOf(c.id),
            lastMessage: last ? lastOf(messageView(last)) : null,
            totals: await store.totals(c.id),
            updatedAt: c.updatedAt.toISOString(),
          };
        }),
      );
    },

    get: (chatId) => store.get(chatId),

    async create(input) {
      const moderator = await db.agent.findUnique({ where: { id: input.moderatorAgentId }, select: { name: true, provider: true } });
      if (!moderator) throw new AppError("NOT_FOUND", "The moderator agent no longer exists.", { field: "moderatorAgentId" });
      const ids = [...new Set(input.participantAgentIds)];
      // A participant works with write access; the moderator's turns are read-only.
      if (ids.includes(input.moderatorAgentId))
        throw new AppError("BAD_INPUT", "The moderator cannot also be a participant of its chat: pick another agent for one of them.", {
          field: "participantAgentIds",
        });
      const found = await db.agent.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, provider: true, folder: true } });
      if (found.length !== ids.length)
        throw new AppError("NOT_FOUND", "A participant agent no longer exists.", { field: "participantAgentIds" });
      const now = new Date();
      const chat = {
        id: cuid(),
        name: input.name,
        moderatorAgentId: input.moderatorAgentId,
        moderatorTabId: null,
        status: "idle",
        statusDetail: "",
        participantTimeoutMs: input.participantTimeoutMs ?? DEFAULT_PARTICIPANT_TIMEOUT_MS,
        roundLimit: input.roundLimit ?? DEFAULT_ROUND_LIMIT,
        createdAt: now,
        updatedAt: now,
      };
      const rows = ids.map((agentId, colorIndex) => ({
        id: cuid(),
        chatId: chat.id,
        agentId,
        tabId: null,
        role: "",
        colorIndex,
        addedAt: new Date(now.getTime() + colorIndex),
      }));
      const listed: ChatEvent[] =
        rows.length > 0
          ? [
              {
                type: "participants",
                participants: rows.map((r) => participantView({ ...r, agent: found.find((a) => a.id === r.agentId)! })),
              },
            ]
          : [];
      await store.commit(chat.id, () => ({
        writes: [{ table: "chat", upsert: chat }, ...rows.map((upsert): ChatWrite => ({ table: "participant", upsert }))],
        events: [{ type: "chat", chat: headerView(chat, moderator, NO_TOTALS, []) }, ...listed],
        listChanged: true,
      }));
      return { id: chat.id };
    },

    // In the chat's queue: a moderator change never lands between a send's checks and its round.
    update: (input) =>
      ops.run(input.chatId, async () => {
        await mustChat(input.chatId);
        if (input.moderatorAgentId) {
          refuseWhileRunning(input.chatId);
          if (!(await db.agent.findUnique({ where: { id: input.moderatorAgentId }, select: { id: true } })))
            throw new AppError("NOT_FOUND", "The moderator agent no longer exists.", { field: "moderatorAgentId" });
          const participant = await db.groupChatParticipant.findUnique({
            where: { chatId_agentId: { chatId: input.chatId, agentId: input.moderatorAgentId } },
            select: { id: true },
          });
          if (participant)
            throw new AppError(
              "BAD_INPUT",
              "That agent is a participant of this chat: remove it from the participants first, then make it the moderator.",
              {
                field: "moderatorAgentId",
              },
            );
        }
        const patch = {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.moderatorAgentId ? { moderatorAgentId: input.moderatorAgentId, moderatorTabId: null } : {}),
          ...(input.participantTimeoutMs !== undefined ? { participantTimeoutMs: input.participantTimeoutMs } : {}),
          ...(input.roundLimit !== undefined ? { roundLimit: input.roundLimit } : {}),
        };
        await store.commit(input.chatId, async () => ({
          writes: [{ table: "chat", update: { id: input.chatId, data: patch } }],
          events: [{ type: "chat", chat: await store.header(input.chatId, patch) }],
          listChanged: true,
        }));
      }),

    remove: (chatId) =>
      ops.run(chatId, async () => {
        await mustChat(chatId);
        await autoruns.stopFor(chatId, true);
        await stopAndWait(chatId);
        await store.writes.run(chatId, () => db.groupChat.delete({ where: { id: chatId } }));
        store.forget(chatId);
        bus.publish("groupchat.changed", { chatId });
      }),

    addParticipant: (input) => participants.add(input),
    removeParticipant: (input) =>
      participants.remove(input, () => lives.has(input.chatId) && store.workingOf(input.chatId).includes(input.agentId)),
    setRole: (input) => participants.setRole(input),

    send(input, caller) {
      return ops.run(input.chatId, async () => {
        await mustChat(input.chatId);
        if (input.clientId) {
          const earlier = await db.groupChatMessage.findUnique({
            where: { chatId_clientId: { chatId: input.chatId, clientId: input.clientId } },
            select: { id: true, roundId: true },
          });
          if (earlier) return { messageId: earlier.id, roundId: earlier.roundId ?? "", duplicate: true as const };
        }
        refuseWhileRunning(input.chatId);
        if (caller.canAddParticipants) {
          const agents = await db.agent.findMany({ select: { id: true, name: true }, orderBy: { createdAt: "asc" } });
          const { moderatorAgentId } = await mustChat(input.chatId);
          for (const name of extractMentions(
            input.text,
            agents.map((a) => a.name),
          )) {
            const agent = agents.find((a) => mentionName(a.name) === name)!;
            // Mentioning the moderator speaks to it; it does not make it a participant too.
            if (agent.id === moderatorAgentId) continue;
            await participants.addNow({ chatId: input.chatId, agentId: agent.id });
          }
        }
        const messageId = cuid();
        const roundId = await beginRound(input.chatId, { id: messageId, text: input.text, create: true, clientId: input.clientId });
        return { messageId, roundId };
      });
    },

    async stop(chatId) {
      await mustChat(chatId);
      const runs = await autoruns.stopFor(chatId, false);
      const entry = lives.get(chatId);
      if (!entry) return { stopping: runs > 0 };
      entry.live.stopped = true;
      for (const tabId of entry.live.tabs) void deps.turns.stop(tabId);
      return { stopping: true };
    },

    retry(chatId) {
      return ops.run(chatId, async () => {
        await mustChat(chatId);
        refuseWhileRunning(chatId);
        const last = await db.groupChatMessage.findFirst({
          where: { chatId, author: "user" },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        });
        if (!last) throw new AppError("CONFLICT", "There is no message to run again: send one.");
        const round = await db.groupChatRound.findFirst({ where: { chatId }, orderBy: { index: "desc" }, select: { status: true } });
        if (round?.status === "done") throw new AppError("CONFLICT", "The last message was answered: send a new one.");
        const attempts = await db.groupChatRound.findMany({ where: { chatId, userMessageId: last.id }, select: { id: true } });
        const earlierRounds = [...new Set([...(last.roundId ? [last.roundId] : []), ...attempts.map((r) => r.id)])];
        return { roundId: await beginRound(chatId, { id: last.id, text: last.text, create: false, earlierRounds }) };
      });
    },

    pagesAfter: (chatId, afterId) => store.pagesAfter(chatId, afterId),

    async recoverInterrupted() {
      await recoverChats({ db, store });
    },

    async shutdown() {
      autoruns.shutdown();
      offAgents();
      // Rounds end "interrupted" (Retry offered after the restart) once their turns are stopped.
      await Promise.all([...lives.keys()].map((chatId) => stopAndWait(chatId, true)));
    },
  };
}

function lastOf(m: ChatMessageView): ChatListItem["lastMessage"] {
  return { author: m.author, agentName: m.agentName, text: m.text.slice(0, 200), createdAt: m.createdAt };
}
