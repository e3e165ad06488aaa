/**
 * Codex `exec --json` → AgentEvents (codex-rs/exec/src/exec_events.rs ThreadEvent).
 * thread.started (session), item.started|updated|completed (agent_message, reasoning,
 * command_execution, file_change, mcp_tool_call, web_search, todo_list, error),
 * turn.completed (usage; no cost: priced from lib/providers/pricing.ts), turn.failed (fatal).
 * A bare `error` event is not terminal (codex also reports reconnects that way).
 */
import type { AgentEvent, LineParser } from "../events";
import { errorEvent } from "../errors";
import { arr, clipOutput, clockOf, count, isObj, num, obj, objectLineParser, str, type Obj } from "../lines";
import { openaiCostUsd } from "../pricing";
import type { ParserOptions } from "../types";

type Phase = "started" | "updated" | "completed";

/** Text of an MCP tool result: its text blocks, else the structured content as JSON. */
function mcpOutput(item: Obj): string {
  const err = str(obj(item.error)?.message);
  if (err) return err;
  const res = obj(item.result);
  if (!res) return "";
  const texts = arr(res.content)
    .map((b) => (isObj(b) && b.type === "text" ? str(b.text) : undefined))
    .filter((t): t is string => t !== undefined);
  if (texts.length) return texts.join("\n");
  try {
    return JSON.stringify(res.structured_content ?? res.content ?? null) ?? "";
  } catch {
    return "";
  }
}

export function createParser(opts: ParserOptions = {}): LineParser {
  const provider = opts.provider ?? "codex";
  const now = clockOf(opts);
  const clock = () => ({ now: now(), timeZone: opts.timeZone });
  let sessionSent = false;
  let fatalSeen = false;
  let lastMessage: string | undefined;
  let totalCost = 0;

  function item(it: Obj, phase: Phase): AgentEvent[] {
    const itemId = str(it.id);
    const done = phase === "completed";
    // Every real item has an id; a tool call without one could not be paired with its result.
    if (itemId === undefined && it.type !== "agent_message" && it.type !== "reasoning" && it.type !== "plan" && it.type !== "error")
      return [];
    const id = itemId ?? "";
    const status = str(it.status);
    switch (it.type) {
      case "agent_message":
      case "plan": {
        const text = str(it.text);
        if (!done || !text) return [];
        if (it.type === "agent_message") lastMessage = text;
        return [{ type: "text", text, ...(itemId ? { messageId: itemId } : {}) }];
      }
      case "reasoning": {
        const text = str(it.text);
        return done && text ? [{ type: "thinking", text, ...(itemId ? { messageId: itemId } : {}) }] : [];
      }
      case "command_execution": {
        const exit = num(it.exit_code);
        const failed = status === "failed" || status === "declined" || (exit !== undefined && exit !== 0);
        const call: AgentEvent = {
          type: "tool_call",
          id,
          name: "command_execution",
          input: { command: str(it.command) ?? "" },
          status: done ? (failed ? "failed" : "completed") : "running",
        };
        if (!done) return [call];
        return [call, { type: "tool_result", id, output: clipOutput(str(it.aggregated_output) ?? ""), isError: failed }];
      }
      case "file_change": {
        const changes = arr(it.changes)
          .filter(isObj)
          .map((c) => ({ path: str(c.path) ?? "", kind: str(c.kind) ?? "update" }));
        const failed = status === "failed";
        const call: AgentEvent = {
          type: "tool_call",
          id,
          name: "file_change",
          input: { changes },
          status: done ? (failed ? "failed" : "completed") : "running",
        };
        if (!done) return [call];
        return [call, { type: "tool_result", id, output: changes.map((c) => `${c.kind} ${c.path}`).join("\n"), isError: failed }];
      }
      case "mcp_tool_call": {
        const failed = status === "failed" || obj(it.error) !== undefined;
        const name = [str(it.server), str(it.tool)].filter(Boolean).join(".") || "mcp_tool_call";
        const call: AgentEvent = {
          type: "tool_call",
          id,
          name,
          input: it.arguments ?? {},
          status: done ? (failed ? "failed" : "completed") : "running",
        };
        if (!done) return [call];
        return [call, { type: "tool_result", id, output: clipOutput(mcpOutput(it)), isError: failed }];
      }
      case "web_search": {
        const query = str(it.query) ?? "";
        const call: AgentEvent = { type: "tool_call", id, name: "web_search", input: { query }, status: done ? "completed" : "running" };
        return done ? [call, { type: "tool_result", id, output: query ? `searched the web for: ${query}` : "", isError: false }] : [call];
      }
      case "todo_list": {
        const items = arr(it.items)
          .filter(isObj)
          .map((t) => ({ text: str(t.text) ?? "", completed: t.completed === true }));
        const call: AgentEvent = { type: "tool_call", id, name: "todo_list", input: { items }, status: done ? "completed" : "running" };
        if (!done) return [call];
        return [
          call,
          { type: "tool_result", id, output: items.map((t) => `- [${t.completed ? "x" : " "}] ${t.text}`).join("\n"), isError: false },
        ];
      }
      case "error": {
        const message = str(it.message);
        return done && message ? [errorEvent({ provider, text: message, fatal: false, clock: clock() })] : [];
      }
      default:
        return [];
    }
  }

  /**
   * A bare `error` waits one line: codex reports a failed turn as `error` then `turn.failed`
   * with the same message, which should read as one fatal error, not two.
   */
  let held: { message: string; event: AgentEvent } | undefined;

  return objectLineParser(
    (o) => {
      const out: AgentEvent[] = [];
      if (held && !(o.type === "turn.failed" && str(obj(o.error)?.message) === held.message)) out.push(held.event);
      held = undefined;
      out.push(...line(o));
      return out;
    },
    () => {
      const rest = held ? [held.event] : [];
      held = undefined;
      return rest;
    },
  );

  function line(o: Obj): AgentEvent[] {
    switch (o.type) {
      case "thread.started": {
        const sessionId = str(o.thread_id);
        if (sessionSent || !sessionId) return [];
        sessionSent = true;
        return [{ type: "session", sessionId }];
      }
      case "item.started":
      case "item.updated":
      case "item.completed": {
        const it = obj(o.item);
        return it ? item(it, o.type.slice(5) as Phase) : [];
      }
      case "turn.completed": {
        const u = obj(o.usage) ?? {};
        // After `exec … resume`, codex reports the whole thread's usage: count only this turn's.
        const reported = {
          inputTokens: count(u.input_tokens),
          cacheReadTokens: count(u.cached_input_tokens),
          outputTokens: count(u.output_tokens),
        };
        const base = opts.sessionBaseline ?? {};
        const input = Math.max(0, reported.inputTokens - (base.inputTokens ?? 0));
        // OpenAI counts cached tokens inside input_tokens; AgentEvent keeps them apart.
        const cached = Math.min(input, Math.max(0, reported.cacheReadTokens - (base.cacheReadTokens ?? 0)));
        const output = Math.max(0, reported.outputTokens - (base.outputTokens ?? 0));
        const costUsd = openaiCostUsd(opts.model, { inputTokens: input - cached, cachedInputTokens: cached, outputTokens: output });
        totalCost += costUsd;
        return [
          { type: "usage", inputTokens: input - cached, outputTokens: output, cacheReadTokens: cached, costUsd },
          {
            type: "done",
            ok: !fatalSeen,
            ...(lastMessage !== undefined ? { result: lastMessage } : {}),
            totalCostUsd: Math.round(totalCost * 1e8) / 1e8,
            reported,
          },
        ];
      }
      case "turn.failed": {
        fatalSeen = true;
        const message = str(obj(o.error)?.message) ?? "the turn failed";
        return [errorEvent({ provider, text: message, fatal: true, clock: clock() }), { type: "done", ok: false, result: message }];
      }
      case "error": {
        const message = str(o.message);
        if (message) held = { message, event: errorEvent({ provider, text: message, fatal: false, clock: clock() }) };
        return [];
      }
      default:
        return [];
    }
  }
}
