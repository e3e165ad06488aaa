import type { GroupChat, GroupChatMessage } from "../../../generated/prisma/client.ts";
import { firstParagraph } from "../../../lib/history/summary";
import { classifyModeratorReply, mentionName, withoutFinalMarker, type AutorunCommand } from "../../../lib/groupchat/mentions";
import { moderatorPrompt, participantPrompt, type ModeratorStep, type ParticipantAnswer } from "../../../lib/groupchat/prompt";
import type { ChatStatus, MessageKind, RoundStatus } from "../../../lib/groupchat/types";
import { errorText } from "../../errors";
import type { HistoryRecord } from "../history/service";
import { runAgentTurn, type AgentTurnDeps, type LiveRound } from "./agent-turn";
import type { AgentTab, ChatWrites } from "./chat-writes";
import { roundView, type ParticipantRow } from "./views";

export interface RoundDeps extends AgentTurnDeps {
  writes: ChatWrites;
  history: { record(entry: HistoryRecord): Promise<unknown> };
  /** Starts `!autorun` commands and reports them into the chat. */
  startAutoruns(live: LiveRound, chat: GroupChat, participants: ParticipantRow[], commands: AutorunCommand[]): Promise<void>;
  /** Overrides every chat's participant timeout (tests). */
  participantTimeoutMs?: number;
}

interface RoundEnd {
  status: RoundStatus;
  /** What the round's end says in the chat (a system notice), if anything. */
  notice?: string;
  error?: string;
  /** The answer the user gets (the push's body). */
  answer?: string;
}

const CHAT_AFTER: Record<RoundStatus, ChatStatus> = {
  running: "moderator",
  done: "idle",
  limit: "idle",
  interrupted: "idle",
  stopped: "stopped",
  failed: "failed",
};

/**
 * One round: the moderator's turn, then (while it delegates) its participants in parallel and a
 * synthesis turn, until a final answer, the round limit, a failure or Stop. A single-mention
 * step is a chain step: when that participant fails, the chain stops — the synthesis after it
 * is the round's last moderator turn, and a further delegation in it is not followed.
 */
export async function driveRound(deps: RoundDeps, live: LiveRound, request: string, earlierRounds: string[] = []): Promise<void> {
  const { writes, db } = deps;
  let step: ModeratorStep = { kind: "first" };
  let turnsTaken = 0;
  // The last reply was a lost delegation already corrected once: a second lost reply in a row ends the round.
  let corrected = false;
  let chainBrokenBy: string | null = null;

  const end = async (e: RoundEnd) => {
    const { chat } = await writes.loadChat(live.chatId);
    const roundPatch = { status: e.status, error: e.error ?? null, endedAt: new Date() };
    const chatPatch = { status: CHAT_AFTER[e.status], statusDetail: e.error ?? "" };
    if (e.notice) await writes.notice(live.chatId, live.roundId, e.notice);
    await deps.store.commit(live.chatId, async () => {
      deps.store.setWorking(live.chatId, []);
      const round = await db.groupChatRound.findUniqueOrThrow({ where: { id: live.roundId } });
      return {
        writes: [
          { table: "round", update: { id: live.roundId, data: roundPatch } },
          { table: "chat", update: { id: live.chatId, data: chatPatch } },
        ],
        events: [
          { type: "round", round: roundView({ ...round, ...roundPatch }) },
          { type: "chat", chat: await deps.store.header(live.chatId, chatPatch) },
        ],
        listChanged: true,
      };
    });
    if (e.status === "done" || e.status === "limit" || e.status === "failed") {
      const title =
        e.status === "done" ? "Group chat answered" : e.status === "limit" ? "Group chat hit its round limit" : "Group chat failed";
      const body = firstParagraph(e.answer ?? e.error ?? e.notice ?? "", 200).split("\n")[0] ?? "";
      deps.bus.publish("notify", {
        kind: "groupchat",
        agentId: chat.moderatorAgentId,
        title: `${title}: ${chat.name}`,
        body,
        url: `/groupchats/${chat.id}`,
        tag: `groupchat:${chat.id}`,
      });
    }
  };

  const stoppedEnd = (): RoundEnd =>
    live.interrupted
      ? { status: "interrupted", error: "Interrupted by a bridge shutdown: Retry runs the last message again." }
      : { status: "stopped", error: "Stopped." };

  const record = async (entry: HistoryRecord) => {
    try {
      await deps.history.record({ ...entry, groupChatId: live.chatId });
    } catch (err) {
      deps.logger.error(`group chat ${live.chatId}: could not record History: ${errorText(err)}`);
    }
  };

  try {
    for (;;) {
      const { chat, participants } = await writes.loadChat(live.chatId);
      if (live.stopped) return await end(stoppedEnd());
      if (turnsTaken >= chat.roundLimit) {
        const notice = `Stopped after ${turnsTaken} moderator turns: the round limit (${chat.roundLimit}) is reached. Send a message to go on.`;
        return await end({ status: "limit", notice, error: notice });
      }
      const timeoutMs = deps.participantTimeoutMs ?? chat.participantTimeoutMs;
      await writes.setStatus(chat.id, { status: step.kind === "synthesis" ? "synthesizing" : "moderator", statusDetail: "" }, [
        chat.moderatorAgentId,
      ]);
      const moderator = await db.agent.findUnique({ where: { id: chat.moderatorAgentId }, select: { name: true } });
      if (!moderator) return await end({ status: "failed", error: "The moderator agent no longer exists: choose another one." });
      const { tabId, resumed } = await writes.moderatorTab(chat);
      const names = participants.map((p) => mentionName(p.agent.name));
      const prompt = moderatorPrompt({
        chatName: chat.name,
        participants: participants.map((p) => ({ name: p.agent.name, provider: p.agent.provider, folder: p.agent.folder, role: p.role })),
        history: await writes.historyLines(chat.id, { excludeRounds: [live.roundId, ...earlierRounds] }),
        request,
        step,
        turnsLeft: chat.roundLimit - turnsTaken,
      });
      const stepKind: MessageKind = step.kind === "correction" ? "retry" : step.kind === "synthesis" ? "synthesis" : "delegation";
      const { row } = await runAgentTurn(deps, {
        live,
        author: "moderator",
        agentId: chat.moderatorAgentId,
        agentName: moderator.name,
        tabId,
        resumed,
        kind: stepKind,
        prompt,
        readOnly: true,
        timeoutMs,
        freshPrompt: () => Promise.resolve(prompt),
      });
      turnsTaken++;
      await deps.store.commit(live.chatId, async () => {
        const round = await db.groupChatRound.findUniqueOrThrow({ where: { id: live.roundId } });
        return {
          writes: [{ table: "round", update: { id: live.roundId, data: { moderatorTurns: turnsTaken } } }],
          events: [{ type: "round", round: roundView({ ...round, moderatorTurns: turnsTaken }) }],
        };
      });
      if (row.status !== "done") {
        await writes.endMessage(row, []);
        if (row.status === "stopped" || live.stopped) return await end(stoppedEnd());
        return await end({
          status: "failed",
          error: `The moderator's turn ${row.status === "timeout" ? "timed out" : "failed"}: ${row.error ?? ""}`.trim(),
        });
      }
      // Participants removed while the moderator thought are not asked: its mentions of them are dropped.
      const current = (await writes.loadChat(live.chatId)).participants;
      const currentNames = current.map((p) => mentionName(p.agent.name));
      const reply = classifyModeratorReply(row.text, currentNames);
      const meant = classifyModeratorReply(row.text, names);
      const gone = [...meant.mentions, ...meant.autorun.map((a) => a.name)].filter(
        (n, i, all) => !currentNames.includes(n) && all.indexOf(n) === i,
      );
      const kind: MessageKind = step.kind === "first" ? (reply.kind === "delegation" ? "delegation" : "answer") : stepKind;
      const shown: GroupChatMessage = {
        ...row,
        kind,
        text: reply.kind === "final" ? withoutFinalMarker(row.text) : row.text,
        mentionsJson: JSON.stringify(chainBrokenBy ? [] : reply.mentions),
      };
      await writes.endMessage(shown, []);
      if (gone.length > 0)
        await writes.notice(
          live.chatId,
          live.roundId,
          `${gone.map((n) => `@${n}`).join(", ")} ${gone.length === 1 ? "is" : "are"} no longer in this chat: not asked.`,
        );
      if (live.stopped) return await end(stoppedEnd());

      if (chainBrokenBy && reply.kind !== "final") {
        const notice = `The chain stopped: @${chainBrokenBy} failed, so the moderator's next step was not followed.`;
        return await end({ status: "failed", notice, error: notice, answer: shown.text });
      }
      if (reply.kind === "final") {
        await record({
          kind: "groupchat-synthesis",
          agentId: chat.moderatorAgentId,
          agentName: moderator.name,
          tabId,
          turnId: row.turnId,
          summary: firstParagraph(shown.text),
          detail: shown.text,
          durationMs: row.durationMs ?? 0,
          inputTokens: row.inputTokens,
          outputTokens: row.outputTokens,
          costUsd: row.costUsd,
        });
        return await end({
          status: chainBrokenBy ? "failed" : "done",
          answer: shown.text,
          error: chainBrokenBy ? `@${chainBrokenBy} failed.` : undefined,
        });
      }
      if (reply.kind === "lost") {
        if (!corrected && turnsTaken < chat.roundLimit) {
          corrected = true;
          step = { kind: "correction", previous: row.text };
          continue;
        }
        const notice =
          "The moderator neither delegated (no valid @mention) nor marked a final answer; its reply above is shown as its answer.";
        return await end({ status: "done", notice, error: notice, answer: row.text });
      }
      corrected = false;
      await deps.startAutoruns(live, chat, current, reply.autorun);
      if (reply.kind === "autorun") return await end({ status: "done", answer: row.text });

      if (turnsTaken >= chat.roundLimit) {
        const notice = `Stopped after ${turnsTaken} moderator turns: the round limit (${chat.roundLimit}) is reached, so the last delegation was not sent. Send a message to go on.`;
        return await end({ status: "limit", notice, error: notice });
      }
      const asked = reply.mentions.map((n) => current.find((p) => mentionName(p.agent.name) === n)!).filter(Boolean);
      const answers = await fanOut(deps, live, chat, asked, row.text, timeoutMs, record);
      if (live.stopped) return await end(stoppedEnd());
      if (asked.length === 1 && answers[0] && answers[0].status !== "done") chainBrokenBy = answers[0].name;
      step = { kind: "synthesis", answers };
    }
  } catch (err) {
    deps.logger.error(`group chat ${live.chatId}: ${errorText(err)}`);
    await end({ status: "failed", error: `The round failed: ${err instanceof Error ? err.message : String(err)}` }).catch(() => undefined);
  }
}

/** The mentioned participants work at once; each answer ends its own message as it comes. */
async function fanOut(
  deps: RoundDeps,
  live: LiveRound,
  chat: GroupChat,
  asked: ParticipantRow[],
  moderatorMessage: string,
  timeoutMs: number,
  record: (entry: HistoryRecord) => Promise<void>,
): Promise<ParticipantAnswer[]> {
  const { writes, store } = deps;
  // Who is still in the chat and who works are read and set in one step of the chat's write
  // order, where a removal checks who works: a participant stored here cannot be removed before
  // its turn has ended, and one removed before is not asked.
  let goneNames: string[] = [];
  let working = new Set<string>();
  const stillIn: ParticipantRow[] = [];
  await store.commit(chat.id, async () => {
    const stored = new Set(
      (await deps.db.groupChatParticipant.findMany({ where: { chatId: chat.id }, select: { id: true } })).map((r) => r.id),
    );
    stillIn.push(...asked.filter((p) => stored.has(p.id)));
    goneNames = asked.filter((p) => !stored.has(p.id)).map((p) => `@${mentionName(p.agent.name)}`);
    working = new Set(stillIn.map((p) => p.agentId));
    store.setWorking(chat.id, working);
    const patch = { status: "agents", statusDetail: `Working: ${stillIn.map((p) => `@${mentionName(p.agent.name)}`).join(", ")}` };
    return {
      writes: [{ table: "chat", update: { id: chat.id, data: patch } }],
      events: [{ type: "chat", chat: await store.header(chat.id, patch) }],
      listChanged: true,
    };
  });
  if (goneNames.length > 0)
    await writes.notice(
      chat.id,
      live.roundId,
      `${goneNames.join(", ")} ${goneNames.length === 1 ? "is" : "are"} no longer in this chat: not asked.`,
    );
  const history = await writes.historyLines(chat.id);
  const answers = await Promise.all(
    stillIn.map(async (p): Promise<ParticipantAnswer> => {
      const name = p.agent.name;
      let tab: AgentTab;
      try {
        tab = await writes.participantTab(chat, p);
      } catch (err) {
        // Its agent was deleted meanwhile, say: a failed answer, not a broken round.
        working.delete(p.agentId);
        const error = err instanceof Error ? err.message : String(err);
        await writes.notice(chat.id, live.roundId, `Could not ask @${mentionName(name)}: ${error}`);
        return { name, status: "failed", text: error };
      }
      const { tabId, resumed } = tab;
      // Recorded while the turn starts (History is a record, never a reason to wait).
      const delegated = record({
        kind: "groupchat-delegation",
        agentId: p.agentId,
        agentName: name,
        tabId,
        summary: firstParagraph(moderatorMessage),
        detail: moderatorMessage,
      });
      const { row } = await runAgentTurn(deps, {
        live,
        author: "participant",
        agentId: p.agentId,
        agentName: name,
        tabId,
        resumed,
        kind: "response",
        prompt: participantPrompt({ chatName: chat.name, name, history, moderatorMessage }),
        timeoutMs,
        freshPrompt: async () =>
          participantPrompt({
            chatName: chat.name,
            name,
            history,
            moderatorMessage,
            recap: await writes.historyLines(chat.id, { agentId: p.agentId }),
          }),
      });
      working.delete(p.agentId);
      await writes.endMessage(row, [...working]);
      await delegated;
      await record({
        kind: "groupchat-response",
        agentId: p.agentId,
        agentName: name,
        tabId,
        turnId: row.turnId,
        success: row.status === "done",
        summary: firstParagraph(row.text) || (row.error ?? `Answer ${row.status}.`),
        detail: row.text,
        durationMs: row.durationMs ?? 0,
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
        costUsd: row.costUsd,
      });
      return { name, status: row.status, text: row.status === "done" ? row.text : `${row.text}\n\n(${row.error ?? row.status})`.trim() };
    }),
  );
  return answers;
}
