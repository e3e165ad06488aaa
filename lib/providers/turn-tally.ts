import type { AgentEvent, SessionTotals } from "./events";
import { createReplyTracker, type Reply } from "./reply";

/** How much of the reply's start is kept for its History summary. */
export const REPLY_HEAD_CHARS = 16_000;
/** How much of the reply's end is kept for the agent card's "last activity". */
const REPLY_TAIL_CHARS = 4_000;

type ErrorEvent = Extract<AgentEvent, { type: "error" }>;

export interface TurnTally {
  /** Counts one parsed event in. */
  take(e: AgentEvent): void;
  /** Tokens and cost of this turn (summed over its usage events). */
  readonly totals: { inputTokens: number; outputTokens: number; costUsd: number };
  /** Cache tokens (summed) and the last context window the provider reported. */
  readonly cache: { cacheReadTokens: number; cacheWriteTokens: number; contextWindow: number };
  /** The provider's session id, once it said. */
  readonly sessionId: string | null;
  /** The CLI reported the turn complete. */
  readonly sawDone: boolean;
  /** The session's running totals as the CLI reported them with `done`. */
  readonly reported: SessionTotals | undefined;
  /** The first fatal error, if any. */
  readonly failed: ErrorEvent | null;
  /** The start of the assistant's text (for History's summary). */
  readonly replyHead: string;
  /** The last line of the assistant's text (for the agent card). */
  lastLine(): string;
  /** The reply as Auto Run and callers read it. */
  reply(): Reply;
}

/** What a turn's events add up to, as they stream in: totals, session, outcome, reply text. */
export function createTurnTally(): TurnTally {
  const totals = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  const cache = { cacheReadTokens: 0, cacheWriteTokens: 0, contextWindow: 0 };
  let sessionId: string | null = null;
  let sawDone = false;
  let reported: SessionTotals | undefined;
  let failed: ErrorEvent | null = null;
  let replyTail = "";
  let replyHead = "";
  const reply = createReplyTracker();

  return {
    take(e) {
      if (e.type === "session") sessionId = e.sessionId;
      else if (e.type === "usage") {
        totals.inputTokens += e.inputTokens;
        totals.outputTokens += e.outputTokens;
        totals.costUsd += e.costUsd ?? 0;
        cache.cacheReadTokens += e.cacheReadTokens ?? 0;
        cache.cacheWriteTokens += e.cacheWriteTokens ?? 0;
        if (e.contextWindow) cache.contextWindow = e.contextWindow;
      } else if (e.type === "text") {
        replyTail = (e.delta ? replyTail + e.text : e.text).slice(-REPLY_TAIL_CHARS);
        if (replyHead.length < REPLY_HEAD_CHARS)
          replyHead = (replyHead + (e.delta || !replyHead ? "" : "\n\n") + e.text).slice(0, REPLY_HEAD_CHARS);
      } else if (e.type === "done") {
        sawDone = true;
        reported = e.reported;
      } else if (e.type === "error" && e.fatal && !failed) failed = e;
      if (e.type === "text" || e.type === "done" || e.type === "error") reply.take(e);
    },
    get totals() {
      return { ...totals };
    },
    get cache() {
      return { ...cache };
    },
    get sessionId() {
      return sessionId;
    },
    get sawDone() {
      return sawDone;
    },
    get reported() {
      return reported;
    },
    get failed() {
      return failed;
    },
    get replyHead() {
      return replyHead;
    },
    lastLine() {
      const lines = replyTail
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean);
      return (lines[lines.length - 1] ?? "").slice(0, 200);
    },
    reply: () => reply.reply(),
  };
}
