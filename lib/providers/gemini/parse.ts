/**
 * Gemini CLI `--output-format stream-json` → AgentEvents (packages/core/src/output/types.ts):
 * init (session_id, model), message (role, content, delta), tool_use, tool_result,
 * error (severity warning|error; not terminal), result (status, error, stats).
 */
import type { AgentEvent, ErrorKind, LineParser } from "../events";
import { errorEvent } from "../errors";
import { clipOutput, clockOf, count, num, obj, objectLineParser, own, str } from "../lines";
import type { ParserOptions } from "../types";

const ERROR_TYPE_KINDS: Record<string, ErrorKind> = {
  TerminalQuotaError: "rate_limit",
  RetryableQuotaError: "rate_limit",
  FatalAuthenticationError: "auth",
};

export function createParser(opts: ParserOptions = {}): LineParser {
  const provider = opts.provider ?? "gemini";
  const now = clockOf(opts);
  const clock = () => ({ now: now(), timeZone: opts.timeZone });
  let sessionSent = false;
  let fatalSeen = false;
  let doneSent = false;
  /** a text event is open: the next assistant delta continues it */
  let textOpen = false;
  /** the reply: assistant text since the last tool event */
  let reply = "";

  return objectLineParser((o) => {
    switch (o.type) {
      case "init": {
        const sessionId = str(o.session_id);
        if (sessionSent || !sessionId) return [];
        sessionSent = true;
        const model = str(o.model);
        return [{ type: "session", sessionId, ...(model ? { model } : {}) }];
      }
      case "message": {
        const text = str(o.content);
        if (o.role !== "assistant" || !text) return [];
        const delta = o.delta === true && textOpen;
        if (!delta) reply = "";
        reply += text;
        textOpen = true;
        return [{ type: "text", text, ...(delta ? { delta: true } : {}) }];
      }
      case "tool_use": {
        const id = str(o.tool_id);
        if (!id) return [];
        textOpen = false;
        return [{ type: "tool_call", id, name: str(o.tool_name) ?? "tool", input: o.parameters ?? {}, status: "running" }];
      }
      case "tool_result": {
        const id = str(o.tool_id);
        if (!id) return [];
        textOpen = false;
        const isError = o.status === "error";
        const output = str(o.output) ?? str(obj(o.error)?.message) ?? "";
        return [{ type: "tool_result", id, output: clipOutput(output), isError }];
      }
      case "error": {
        const message = str(o.message);
        return message ? [errorEvent({ provider, text: message, fatal: false, clock: clock() })] : [];
      }
      case "result": {
        if (doneSent) return [];
        doneSent = true;
        const out: AgentEvent[] = [];
        const stats = obj(o.stats);
        if (stats) {
          const input = count(stats.input_tokens);
          const cached = Math.min(input, count(stats.cached));
          out.push({
            type: "usage",
            inputTokens: num(stats.input) !== undefined ? count(stats.input) : input - cached,
            outputTokens: count(stats.output_tokens),
            cacheReadTokens: cached,
          });
        }
        const ok = o.status !== "error";
        if (!ok) {
          fatalSeen = true;
          const err = obj(o.error) ?? {};
          const text = str(err.message) ?? "the turn failed";
          out.push(errorEvent({ provider, text, kind: own(ERROR_TYPE_KINDS, str(err.type)), fatal: true, clock: clock() }));
        }
        const durationMs = num(stats?.duration_ms);
        out.push({
          type: "done",
          ok: ok && !fatalSeen,
          ...(reply ? { result: reply } : {}),
          ...(durationMs !== undefined ? { durationMs } : {}),
        });
        return out;
      }
      default:
        return [];
    }
  });
}
