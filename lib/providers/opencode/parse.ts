/**
 * OpenCode `run --format json` → AgentEvents (packages/opencode/src/cli/cmd/run.ts emit()).
 * Every line carries sessionID; step_start, text and reasoning (whole finished parts),
 * tool_use (state.status completed|error), step_finish (tokens, cost), error, done.
 * The turn is done at the `done` event, or at the end of the stream after a step_finish with
 * reason "stop" (versions without `done`).
 */
import type { AgentEvent, ErrorKind, LineParser } from "../events";
import { classifyErrorText, errorEvent } from "../errors";
import { arr, clipOutput, clockOf, count, num, obj, objectLineParser, str, type Obj } from "../lines";
import { epochToIso, parseResetsAt } from "../reset-time";
import type { ParserOptions } from "../types";

export function createParser(opts: ParserOptions = {}): LineParser {
  const provider = opts.provider ?? "opencode";
  const now = clockOf(opts);
  let sessionSent = false;
  let fatalSeen = false;
  let doneSent = false;
  let stopped = false;
  let totalCost = 0;
  let stepTexts: string[] = [];
  let lastReply: string[] = [];

  const done = (): AgentEvent[] => {
    if (doneSent) return [];
    doneSent = true;
    const result = (stepTexts.length ? stepTexts : lastReply).join("");
    return [{ type: "done", ok: !fatalSeen, ...(result ? { result } : {}), totalCostUsd: Math.round(totalCost * 1e8) / 1e8 }];
  };

  function apiError(e: Obj): AgentEvent {
    const data = obj(e.data) ?? {};
    const name = str(e.name) ?? "";
    const message = str(data.message) ?? str(e.message) ?? (name || "unknown error");
    const status = num(data.statusCode);
    let kind: ErrorKind;
    if (name === "ProviderAuthError" || status === 401 || status === 403) kind = "auth";
    else if (status === 429) kind = "rate_limit";
    else if (name === "ContextOverflowError") kind = "context_full";
    else kind = classifyErrorText(`${message} ${str(data.responseBody) ?? ""}`);
    let resetsAt: string | undefined;
    if (kind === "rate_limit") {
      const headers = obj(data.responseHeaders) ?? {};
      const retryAfter = Number(str(headers["retry-after"]) ?? NaN);
      resetsAt =
        parseResetsAt(message, { now: now(), timeZone: opts.timeZone }) ??
        epochToIso(str(headers["anthropic-ratelimit-unified-reset"]) ?? str(headers["x-ratelimit-reset"])) ??
        (Number.isFinite(retryAfter) && retryAfter > 0 ? new Date(now().getTime() + retryAfter * 1000).toISOString() : undefined);
    }
    return errorEvent({ provider, text: message, kind, resetsAt, fatal: true, clock: { now: now(), timeZone: opts.timeZone } });
  }

  const parser = objectLineParser(
    (o) => {
      const out: AgentEvent[] = [];
      const sessionId = str(o.sessionID) ?? str(obj(o.part)?.sessionID);
      if (!sessionSent && sessionId) {
        sessionSent = true;
        out.push({ type: "session", sessionId });
      }
      const part = obj(o.part) ?? {};
      const messageId = str(part.messageID);
      switch (o.type) {
        case "step_start":
          if (stepTexts.length) lastReply = stepTexts;
          stepTexts = [];
          break;
        case "text": {
          const text = str(part.text);
          if (text) {
            stepTexts.push(text);
            out.push({ type: "text", text, ...(messageId ? { messageId } : {}) });
          }
          break;
        }
        case "reasoning": {
          const text = str(part.text);
          if (text) out.push({ type: "thinking", text, ...(messageId ? { messageId } : {}) });
          break;
        }
        case "tool_use": {
          const state = obj(part.state) ?? {};
          const id = str(part.callID) ?? str(part.id);
          if (!id) break;
          const status = str(state.status);
          const name = str(part.tool) ?? "tool";
          const input = state.input ?? {};
          if (status === "completed" || status === "error") {
            const isError = status === "error";
            out.push({ type: "tool_call", id, name, input, status: isError ? "failed" : "completed" });
            out.push({
              type: "tool_result",
              id,
              output: clipOutput(str(isError ? state.error : state.output) ?? str(state.output) ?? ""),
              isError,
            });
          } else out.push({ type: "tool_call", id, name, input, status: "running" });
          break;
        }
        case "step_finish": {
          const t = obj(part.tokens) ?? {};
          const cache = obj(t.cache) ?? {};
          const cost = num(part.cost);
          if (cost !== undefined) totalCost += cost;
          out.push({
            type: "usage",
            inputTokens: count(t.input),
            // reasoning tokens are billed as output
            outputTokens: count(t.output) + count(t.reasoning),
            cacheReadTokens: count(cache.read),
            cacheWriteTokens: count(cache.write),
            ...(cost !== undefined ? { costUsd: cost } : {}),
          });
          stopped = part.reason === "stop";
          break;
        }
        case "error": {
          fatalSeen = true;
          const e = obj(o.error);
          out.push(
            e
              ? apiError(e)
              : errorEvent({
                  provider,
                  text: str(o.message) ?? "unknown error",
                  fatal: true,
                  clock: { now: now(), timeZone: opts.timeZone },
                }),
          );
          break;
        }
        case "done": {
          const rejected = arr(o.rejected).filter((r): r is string => typeof r === "string");
          if (rejected.length)
            out.push({
              type: "error",
              kind: "permission",
              fatal: false,
              message: `OpenCode turned down permission requests it could not ask about: ${[...new Set(rejected)].join(", ")}.`,
            });
          out.push(...done());
          break;
        }
        default:
          break;
      }
      return out;
    },
    () => (stopped || fatalSeen ? done() : []),
  );
  return parser;
}
