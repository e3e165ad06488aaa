// Claude Code usage bookkeeping: per-message usage blocks, the price table, and the result line that totals the turn.
import { uuidV4 } from "../../ids.mjs";

/** $ per million tokens. @param {string} model */
function price(model) {
  if (/opus-4-[5-9]/.test(model)) return { in: 5, out: 25 };
  if (/opus/.test(model)) return { in: 15, out: 75 };
  if (/haiku-4/.test(model)) return { in: 1, out: 5 };
  if (/haiku/.test(model)) return { in: 0.8, out: 4 };
  return { in: 3, out: 15 };
}

/** @param {{input: number, output: number, cacheRead: number, cacheWrite: number}} u @param {string} model */
function cost(u, model) {
  const p = price(model);
  return Math.round(((u.input * p.in + u.output * p.out + u.cacheRead * p.in * 0.1 + u.cacheWrite * p.in * 1.25) / 1e6) * 1e8) / 1e8;
}

/** @param {number} input @param {number} output @param {number} cacheRead @param {number} cacheWrite */
export function messageUsage(input, output, cacheRead, cacheWrite) {
  return {
    input_tokens: input,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: cacheWrite, ephemeral_1h_input_tokens: 0 },
    output_tokens: output,
    service_tier: "standard",
  };
}

/**
 * @param {import("../../turn.mjs").TurnCtx} ctx
 * @param {{isError: boolean, result: string, numTurns: number, usage: {input: number, output: number, cacheRead: number, cacheWrite: number}, apiMs: number, denials: object[]}} r
 */
export function resultLine(ctx, r) {
  const model = ctx.inv.model;
  const total = r.numTurns ? cost(r.usage, model) : 0;
  ctx.turnCostUsd = total;
  const durationMs = Math.max(1, Date.now() - ctx.startedAt);
  return {
    type: "result",
    subtype: "success",
    is_error: r.isError,
    duration_ms: durationMs,
    duration_api_ms: Math.min(durationMs, r.apiMs),
    num_turns: r.numTurns,
    result: r.result,
    session_id: ctx.sessionId,
    // claude reports the whole session's cost when it was resumed.
    total_cost_usd: ctx.prior.costUsd + total,
    usage: {
      input_tokens: r.usage.input,
      cache_creation_input_tokens: r.usage.cacheWrite,
      cache_read_input_tokens: r.usage.cacheRead,
      output_tokens: r.usage.output,
      server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
      service_tier: "standard",
      cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: r.usage.cacheWrite },
    },
    modelUsage: r.numTurns
      ? {
          [model]: {
            inputTokens: r.usage.input,
            outputTokens: r.usage.output,
            cacheReadInputTokens: r.usage.cacheRead,
            cacheCreationInputTokens: r.usage.cacheWrite,
            webSearchRequests: 0,
            costUSD: total,
            contextWindow: 200000,
            maxOutputTokens: /opus-4-1|opus-4-2/.test(model) ? 32000 : 64000,
          },
        }
      : {},
    permission_denials: r.denials,
    uuid: uuidV4(),
  };
}
