import type { DialectId } from "./types";
import { createTurnTally } from "./turn-tally";
import type { AgentEvent } from "./events";

/**
 * What `maestro send` prints for a finished turn, in desktop maestro-cli's field names (its
 * `SendResponse`), so scripts written for desktop read ours: `sessionId` is our tab id here
 * (what `--tab` takes back) and the provider's session is `providerSessionId`.
 */
export interface SendUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  totalCostUsd: number;
  contextWindow: number;
  contextUsagePercent: number | null;
}

export interface SendResult {
  agentId: string;
  agentName: string;
  sessionId: string;
  providerSessionId: string | null;
  turnId: string;
  response: string | null;
  success: boolean;
  error?: string;
  usage: SendUsage | null;
}

/** Desktop's default windows when the CLI reports none (its agentConstants), by the CLI's dialect. */
const DEFAULT_WINDOWS: Partial<Record<DialectId, number>> = { claude: 200_000, codex: 200_000, opencode: 128_000 };
/** CLIs whose input count already holds the conversation and whose output joins it (OpenAI-style). */
const COMBINED = new Set<DialectId>(["codex", "opencode"]);

/**
 * How full the context window is, as desktop estimates it: claude counts input + cache reads +
 * cache writes; OpenAI-style CLIs input + cache writes + output. Null when no window is known
 * or the sum exceeds it (totals summed over many model calls say nothing about one context).
 */
export function contextUsagePercent(
  u: { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number },
  window: number,
  dialect: DialectId,
): number | null {
  if (!window || window <= 0) return null;
  const ctx = COMBINED.has(dialect)
    ? u.inputTokens + u.cacheWriteTokens + u.outputTokens
    : u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens;
  if (ctx <= 0) return 0;
  if (ctx > window) return null;
  return Math.round((ctx / window) * 100);
}

/** A stored event back as the parser emitted it (stored rows keep the type beside the payload). */
export interface StoredTurnEvent {
  type: string;
  data: Record<string, unknown>;
}

/**
 * The result of a turn from its stored events, replayed through the same tally the turn ran
 * with: reply, tokens, cache, window, provider session. `status` is the turn row's.
 */
export function sendResultFrom(input: {
  agent: { id: string; name: string };
  tabId: string;
  turnId: string;
  status: string;
  errorMessage: string | null;
  dialect: DialectId;
  events: StoredTurnEvent[];
}): SendResult {
  const tally = createTurnTally();
  let sawUsage = false;
  for (const e of input.events) {
    if (e.type === "usage") sawUsage = true;
    tally.take({ ...e.data, type: e.type } as AgentEvent);
  }
  const success = input.status === "done";
  const reply = tally.reply();
  const totals = tally.totals;
  const cache = tally.cache;
  const window = cache.contextWindow || DEFAULT_WINDOWS[input.dialect] || 0;
  const error = success ? null : (input.errorMessage ?? reply.error ?? `The turn ended ${input.status}.`);
  return {
    agentId: input.agent.id,
    agentName: input.agent.name,
    sessionId: input.tabId,
    providerSessionId: tally.sessionId,
    turnId: input.turnId,
    response: success ? reply.text : null,
    success,
    ...(error ? { error } : {}),
    usage: sawUsage
      ? {
          inputTokens: totals.inputTokens,
          outputTokens: totals.outputTokens,
          cacheReadInputTokens: cache.cacheReadTokens,
          cacheCreationInputTokens: cache.cacheWriteTokens,
          totalCostUsd: totals.costUsd,
          contextWindow: window,
          contextUsagePercent: contextUsagePercent({ ...totals, ...cache }, window, input.dialect),
        }
      : null,
  };
}
