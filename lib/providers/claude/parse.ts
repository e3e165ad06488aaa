/**
 * Claude Code `--output-format stream-json` → AgentEvents.
 * Lines: system/init, assistant (one content block per line; the message id and its usage repeat
 * on every block), user (tool_result), rate_limit_event, result; with
 * `--permission-prompt-tool stdio` also control_request (can_use_tool: an approval request) and
 * control_cancel_request (the CLI withdrew one).
 */
import { suggestedRule } from "../../approvals/rules";
import type { AgentEvent, ErrorKind, LineParser } from "../events";
import { errorEvent, tidy } from "../errors";
import { arr, clipOutput, clockOf, count, isObj, num, obj, objectLineParser, own, str, type Obj } from "../lines";
import { epochToIso } from "../reset-time";
import type { ParserOptions } from "../types";

type Tokens = { input: number; output: number; cacheRead: number; cacheWrite: number };
const ZERO: Tokens = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

/** The `error` field of a synthetic assistant message (SDKAssistantMessage.error). */
const ASSISTANT_ERROR_KINDS: Record<string, ErrorKind> = {
  authentication_failed: "auth",
  rate_limit: "rate_limit",
  billing_error: "provider",
  server_error: "provider",
};

const SUBTYPE_TEXT: Record<string, string> = {
  error_max_turns: "stopped after reaching the maximum number of turns",
  error_during_execution: "the turn failed during execution",
  error_max_budget_usd: "stopped after reaching the budget limit",
  error_max_structured_output_retries: "could not produce the requested structured output",
};

const tokensOf = (u: Obj): Tokens => ({
  input: count(u.input_tokens),
  output: count(u.output_tokens),
  cacheRead: count(u.cache_read_input_tokens),
  cacheWrite: count(u.cache_creation_input_tokens),
});

/** Text of a tool_result's content: a string or an array of blocks. */
function resultText(content: unknown): string {
  if (typeof content === "string") return content;
  return arr(content)
    .map((b) => (isObj(b) ? (b.type === "text" ? (str(b.text) ?? "") : b.type === "image" ? "[image]" : "") : ""))
    .filter(Boolean)
    .join("\n");
}

export function createParser(opts: ParserOptions = {}): LineParser {
  const provider = opts.provider ?? "claude";
  const now = clockOf(opts);
  const clock = () => ({ now: now(), timeZone: opts.timeZone });
  let sessionSent = false;
  let model: string | undefined;
  /** usage already counted, per message id: a repeated id adds only what grew */
  const counted = new Map<string, Tokens>();
  const total: Tokens = { ...ZERO };
  let resetsAt: string | undefined;
  let fatalText: string | undefined;
  let fatalSeen = false;

  function usageDelta(id: string | undefined, u: Tokens): AgentEvent[] {
    const before = id ? (counted.get(id) ?? ZERO) : ZERO;
    const d: Tokens = {
      input: Math.max(0, u.input - before.input),
      output: Math.max(0, u.output - before.output),
      cacheRead: Math.max(0, u.cacheRead - before.cacheRead),
      cacheWrite: Math.max(0, u.cacheWrite - before.cacheWrite),
    };
    if (id)
      counted.set(id, {
        input: Math.max(u.input, before.input),
        output: Math.max(u.output, before.output),
        cacheRead: Math.max(u.cacheRead, before.cacheRead),
        cacheWrite: Math.max(u.cacheWrite, before.cacheWrite),
      });
    if (!d.input && !d.output && !d.cacheRead && !d.cacheWrite) return [];
    total.input += d.input;
    total.output += d.output;
    total.cacheRead += d.cacheRead;
    total.cacheWrite += d.cacheWrite;
    return [{ type: "usage", inputTokens: d.input, outputTokens: d.output, cacheReadTokens: d.cacheRead, cacheWriteTokens: d.cacheWrite }];
  }

  function fatal(text: string, kind?: ErrorKind): AgentEvent {
    fatalSeen = true;
    fatalText = text;
    return errorEvent({ provider, text, kind, fatal: true, resetsAt, clock: clock() });
  }

  function session(o: Obj): AgentEvent[] {
    const sessionId = str(o.session_id);
    if (sessionSent || !sessionId) return [];
    sessionSent = true;
    const slash = arr(o.slash_commands).filter((s): s is string => typeof s === "string");
    return [
      { type: "session", sessionId, ...(model ? { model } : {}), ...(Array.isArray(o.slash_commands) ? { slashCommands: slash } : {}) },
    ];
  }

  function assistant(o: Obj): AgentEvent[] {
    const msg = obj(o.message);
    if (!msg) return [];
    const id = str(msg.id);
    const blocks = arr(msg.content).filter(isObj);
    const text = blocks.map((b) => (b.type === "text" ? (str(b.text) ?? "") : "")).join("");
    // A synthetic message carries an API failure (rate limit, bad key…) instead of a reply.
    const errCode = str(o.error);
    if (errCode || (msg.model === "<synthetic>" && text && /limit|api key|login|error/i.test(text))) {
      const kind = own(ASSISTANT_ERROR_KINDS, errCode);
      return [fatal(text || errCode || "unknown error", kind)];
    }
    // Messages of a sub-agent (Task tool) show their tool use, not their prose.
    const sidechain = o.parent_tool_use_id !== null && o.parent_tool_use_id !== undefined;
    const out: AgentEvent[] = [];
    for (const b of blocks) {
      if (b.type === "text" && !sidechain) {
        const t = str(b.text);
        if (t) out.push({ type: "text", text: t, ...(id ? { messageId: id } : {}) });
      } else if (b.type === "thinking" && !sidechain) {
        const t = str(b.thinking);
        if (t) out.push({ type: "thinking", text: t, ...(id ? { messageId: id } : {}) });
      } else if (b.type === "tool_use" || b.type === "server_tool_use" || b.type === "mcp_tool_use") {
        const callId = str(b.id);
        if (callId) out.push({ type: "tool_call", id: callId, name: str(b.name) ?? "tool", input: b.input ?? {}, status: "running" });
      }
    }
    const u = obj(msg.usage);
    if (u && msg.model !== "<synthetic>") out.push(...usageDelta(id, tokensOf(u)));
    return out;
  }

  function user(o: Obj): AgentEvent[] {
    const out: AgentEvent[] = [];
    for (const b of arr(obj(o.message)?.content)) {
      if (!isObj(b) || b.type !== "tool_result") continue;
      const id = str(b.tool_use_id);
      if (id) out.push({ type: "tool_result", id, output: clipOutput(resultText(b.content)), isError: b.is_error === true });
    }
    return out;
  }

  function result(o: Obj): AgentEvent[] {
    const out: AgentEvent[] = session(o);
    const subtype = str(o.subtype) ?? "success";
    const isError = o.is_error === true || subtype.startsWith("error");
    // The result's totals are authoritative: add whatever the per-message usage missed.
    const u = obj(o.usage);
    const final = u ? tokensOf(u) : total;
    const rest: Tokens = {
      input: Math.max(0, final.input - total.input),
      output: Math.max(0, final.output - total.output),
      cacheRead: Math.max(0, final.cacheRead - total.cacheRead),
      cacheWrite: Math.max(0, final.cacheWrite - total.cacheWrite),
    };
    // On a resumed session claude reports the whole session's cost: count only this turn's.
    const reportedCost = num(o.total_cost_usd);
    const cost = reportedCost === undefined ? undefined : Math.max(0, reportedCost - (opts.sessionBaseline?.costUsd ?? 0));
    // The turn's main model's window; else the largest (a sub-agent may use a smaller model).
    const modelUsage = obj(o.modelUsage) ?? {};
    const windowOf = (name: string) => num(obj(own(modelUsage, name))?.contextWindow);
    const windows = Object.keys(modelUsage).flatMap((name) => windowOf(name) ?? []);
    const contextWindow = (model ? windowOf(model) : undefined) ?? (windows.length ? Math.max(...windows) : undefined);
    if (rest.input || rest.output || rest.cacheRead || rest.cacheWrite || cost !== undefined || contextWindow !== undefined) {
      out.push({
        type: "usage",
        inputTokens: rest.input,
        outputTokens: rest.output,
        cacheReadTokens: rest.cacheRead,
        cacheWriteTokens: rest.cacheWrite,
        ...(cost !== undefined ? { costUsd: cost } : {}),
        ...(contextWindow !== undefined ? { contextWindow } : {}),
      });
    }
    const denied = arr(o.permission_denials).filter(isObj);
    // With approvals on, a denial is a person's (or the timeout's) answer, not a mode to change.
    if (denied.length && !opts.approvals) {
      const tools = [...new Set(denied.map((d) => str(d.tool_name) ?? "a tool"))].join(", ");
      out.push({
        type: "error",
        kind: "permission",
        fatal: false,
        message: `Claude Code was not allowed to use ${tools} (${denied.length} call${denied.length === 1 ? "" : "s"} denied by its permission mode). Turn on auto-approve in the agent settings to let it write files and run commands.`,
      });
    }
    const resultText = str(o.result);
    if (isError) {
      const errors = arr(o.errors).filter((e): e is string => typeof e === "string");
      const text = resultText || errors.join("; ") || own(SUBTYPE_TEXT, subtype) || `the turn ended with ${subtype}`;
      if (!fatalSeen || tidy(text) !== tidy(fatalText ?? "")) out.push(fatal(text));
    }
    out.push({
      type: "done",
      ok: !isError && !fatalSeen,
      ...(resultText !== undefined ? { result: resultText } : {}),
      ...(num(o.duration_ms) !== undefined ? { durationMs: num(o.duration_ms) } : {}),
      ...(cost !== undefined ? { totalCostUsd: cost } : {}),
      ...(reportedCost !== undefined ? { reported: { costUsd: reportedCost } } : {}),
      ...(num(o.num_turns) !== undefined ? { numTurns: num(o.num_turns) } : {}),
    });
    return out;
  }

  /** `can_use_tool` → an approval request for the runner (never stored as is). */
  function controlRequest(o: Obj): AgentEvent[] {
    const requestId = str(o.request_id);
    const req = obj(o.request);
    if (!requestId || !req || req.subtype !== "can_use_tool") return [];
    const toolName = str(req.tool_name) ?? "tool";
    const rule = suggestedRule(toolName, req.permission_suggestions);
    const toolUseId = str(req.tool_use_id);
    const blockedPath = str(req.blocked_path);
    const reason = str(req.decision_reason);
    return [
      {
        type: "approval_request",
        requestId,
        toolName,
        input: req.input ?? {},
        ...(toolUseId ? { toolUseId } : {}),
        ...(rule ? { suggestedRule: rule } : {}),
        ...(blockedPath ? { blockedPath } : {}),
        ...(reason ? { reason } : {}),
        ...(req.requires_user_interaction === true ? { requiresUserInteraction: true } : {}),
        ...(req.suppress_always_allow_rule === true ? { noAlwaysAllow: true } : {}),
      },
    ];
  }

  return objectLineParser((o) => {
    switch (o.type) {
      case "control_request":
        return controlRequest(o);
      case "control_cancel_request": {
        const requestId = str(o.request_id);
        return requestId ? [{ type: "approval_cancel", requestId }] : [];
      }
      case "system":
        if (o.subtype !== "init") return [];
        model = str(o.model) ?? model;
        return session(o);
      case "assistant":
        return assistant(o);
      case "user":
        return user(o);
      case "rate_limit_event": {
        const info = obj(o.rate_limit_info);
        const at = epochToIso(num(info?.resetsAt));
        if (at && info?.status !== "allowed") resetsAt = at;
        return [];
      }
      case "result":
        return result(o);
      default:
        return [];
    }
  });
}
