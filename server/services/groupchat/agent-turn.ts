import type { GroupChatMessage } from "../../../generated/prisma/client.ts";
import type { ChatEvent, MessageKind, MessageStatus } from "../../../lib/groupchat/types";
import type { Db } from "../../db";
import { cuid, type ChatWrite } from "../../db/fast";
import { errorText } from "../../errors";
import type { Bus } from "../../events/bus";
import type { Logger } from "../../logger";
import type { TurnOutcome, TurnsService } from "../turns/service";
import type { ChatStore } from "./store";
import { messageView } from "./views";

/** What a round shares with the turns it runs: Stop reaches every tab it has running. */
export interface LiveRound {
  chatId: string;
  roundId: string;
  stopped: boolean;
  /** Stopped by a bridge shutdown: the round ends "interrupted" (Retry after the restart), not "stopped". */
  interrupted: boolean;
  /** Tabs with a turn of this round running now. */
  tabs: Set<string>;
}

export interface AgentTurnDeps {
  db: Db;
  bus: Bus;
  turns: Pick<TurnsService, "start" | "stop">;
  store: ChatStore;
  logger: Logger;
  /** How often a streaming message's text and activity are written (ms). */
  flushMs: number;
}

export interface AgentTurnInput {
  live: LiveRound;
  author: "moderator" | "participant";
  agentId: string;
  agentName: string;
  tabId: string;
  /** The tab holds a session the turn resumes (when the provider lost it, `freshPrompt` runs). */
  resumed: boolean;
  kind: MessageKind;
  prompt: string;
  readOnly?: boolean;
  timeoutMs: number;
  /** The prompt for a fresh session when the resumed one is gone (the provider no longer knows it). */
  freshPrompt: () => Promise<string>;
}

export interface AgentTurnResult {
  /** The message as it ends (not yet written: the caller writes it with what it decides from it). */
  row: GroupChatMessage;
  outcome: TurnOutcome | null;
}

/** A resumed turn that failed because the provider no longer has the session (claude, opencode, and the like). */
export function sessionGone(message: string | null | undefined): boolean {
  return (
    !!message && /no conversation found|session not found|unknown session|session\b.*\b(does not exist|expired|not found)/i.test(message)
  );
}

/**
 * A turn's message status from what happened. The stored outcome decides over the timer: a timer
 * that fires while a "done" outcome is on its way (its stop reaches a process already finished)
 * must not turn a whole answer into a timeout. Otherwise as before: timeout, then a shutdown, then Stop.
 */
export function turnStatus(t: {
  timedOut: boolean;
  interrupted: boolean;
  stopped: boolean;
  outcome: TurnOutcome["status"] | null;
}): MessageStatus {
  if (t.timedOut && t.outcome !== "done") return "timeout";
  if (t.interrupted) return "interrupted";
  if (t.stopped || t.outcome === "stopped") return "stopped";
  return t.outcome === "done" ? "done" : "failed";
}

/** One line for what a tool call does. */
function activityLine(data: Record<string, unknown>): string {
  const name = typeof data.name === "string" ? data.name : "tool";
  const input = data.input && typeof data.input === "object" ? (data.input as Record<string, unknown>) : {};
  const detail = ["command", "file_path", "path", "pattern", "url", "description"].map((k) => input[k]).find((v) => typeof v === "string");
  const line = `${name}${typeof detail === "string" ? `: ${detail}` : ""}`.replace(/\s+/g, " ").trim();
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

/**
 * One agent turn of a round as a chat message: the message is written "streaming" when the turn
 * starts, its text and activity follow coalesced (at most every `flushMs`, the row's text equal to
 * the folded deltas), and it ends with the turn's outcome. A participant over its time is stopped
 * ("timeout"); a resumed session the provider lost is started fresh once with `freshPrompt`.
 */
export async function runAgentTurn(deps: AgentTurnDeps, input: AgentTurnInput): Promise<AgentTurnResult> {
  const { bus, turns, store } = deps;
  const { live, tabId } = input;
  const { chatId } = live;
  const started = store.stamp(chatId);
  let row: GroupChatMessage = {
    id: cuid(),
    chatId,
    roundId: live.roundId,
    author: input.author,
    agentId: input.agentId,
    agentName: input.agentName,
    turnId: null,
    tabId,
    kind: input.kind,
    status: "streaming",
    text: "",
    mentionsJson: "[]",
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    durationMs: null,
    error: null,
    clientId: null,
    createdAt: started,
    endedAt: null,
  };
  const first = store.messageChange(row);
  // Queued, not awaited: the turn starts meanwhile; every later write of the message queues behind it.
  const created = store.commit(chatId, () => ({ writes: [first.op], events: [first.event] }));

  // Streaming: text and tool calls of this tab's current turn, written in coalesced batches.
  let text = "";
  let pendingText = "";
  let pendingActivity: string | null = null;
  // A turn just started: the message is written whole once more, with its turn ("open in agent").
  let pendingTurn = false;
  let turnIds = new Set<string>();
  let flushing: Promise<unknown> = Promise.resolve();
  const flush = () => {
    if (!pendingText && pendingActivity === null && !pendingTurn) return flushing;
    const delta = pendingText;
    const line = pendingActivity;
    const whole = pendingTurn ? { ...row, text } : null;
    pendingText = "";
    pendingActivity = null;
    pendingTurn = false;
    const full = text;
    const events: ChatEvent[] = [];
    if (whole) events.push({ type: "message", message: messageView(whole) });
    else if (delta) events.push({ type: "delta", messageId: row.id, text: delta });
    if (line !== null) events.push({ type: "activity", messageId: row.id, text: line });
    const writes: ChatWrite[] = whole
      ? [{ table: "message", update: { id: row.id, data: { text: full, turnId: whole.turnId } } }]
      : delta
        ? [{ table: "message", update: { id: row.id, data: { text: full } } }]
        : [];
    flushing = flushing
      .then(() => store.commit(chatId, () => ({ writes, events })))
      .catch((err: unknown) => deps.logger.error(`group chat ${chatId}: ${errorText(err)}`));
    return flushing;
  };
  const timer = setInterval(() => void flush(), deps.flushMs);
  const off = bus.subscribe("turn.events", (e) => {
    if (e.tabId !== tabId || !turnIds.has(e.turnId)) return;
    for (const ev of e.events) {
      if (ev.type === "text" && typeof ev.data.text === "string") {
        const piece = ev.data.delta || !text ? ev.data.text : `\n\n${ev.data.text}`;
        text += piece;
        pendingText += piece;
        pendingActivity = null;
      } else if (ev.type === "tool_call" && ev.data.status !== "completed" && ev.data.status !== "failed") {
        pendingActivity = activityLine(ev.data);
      }
    }
  });

  let timedOut = false;
  let outcome: TurnOutcome | null = null;
  let startError: string | null = null;
  const timeout = setTimeout(() => {
    timedOut = true;
    void turns.stop(tabId);
  }, input.timeoutMs);
  try {
    const { resumed } = input;
    const attempt = async (prompt: string, freshSession: boolean) => {
      const s = await turns.start({ tabId, prompt, origin: "groupchat", readOnly: input.readOnly, freshSession });
      turnIds = new Set([...turnIds, s.turnId]);
      row = { ...row, turnId: s.turnId };
      pendingTurn = true;
      void flush();
      live.tabs.add(tabId);
      // Stop came while the turn was being started.
      if (live.stopped || timedOut) void turns.stop(tabId);
      try {
        const o = await s.outcome;
        // An answer is in: a timer firing now must not stop (or relabel) it.
        if (o.status === "done") clearTimeout(timeout);
        return o;
      } finally {
        live.tabs.delete(tabId);
      }
    };
    if (!live.stopped) {
      outcome = await attempt(input.prompt, false);
      if (resumed && outcome.status === "error" && sessionGone(outcome.errorMessage) && !live.stopped && !timedOut) {
        outcome = await attempt(await input.freshPrompt(), true);
      }
    }
  } catch (err) {
    startError = err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timeout);
    clearInterval(timer);
    off();
  }
  await created;
  await flush();

  const status = turnStatus({ timedOut, interrupted: live.interrupted, stopped: live.stopped, outcome: outcome?.status ?? null });
  const replyText = outcome?.reply.text.trim() ? outcome.reply.text : text;
  const error =
    status === "timeout"
      ? `No answer within ${Math.round(input.timeoutMs / 1000)} s: stopped.`
      : status === "stopped" || status === "interrupted"
        ? status === "stopped"
          ? "Stopped."
          : "Interrupted by a bridge shutdown."
        : status === "failed"
          ? (startError ?? outcome?.errorMessage ?? "The turn failed.")
          : null;
  row = {
    ...row,
    status,
    text: replyText,
    inputTokens: outcome?.inputTokens ?? 0,
    outputTokens: outcome?.outputTokens ?? 0,
    costUsd: outcome?.costUsd ?? 0,
    durationMs: Date.now() - started.getTime(),
    error,
    endedAt: new Date(),
  };
  return { row, outcome };
}
