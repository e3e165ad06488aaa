import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { byName } from "../../../simulator/harness";
import type { AgentEvent } from "../events";
import { openaiCostUsd } from "../pricing";
import { TEXT_PROMPT, TICK_PROMPT, joinedText, pairedTools, project, simTurn, tempWorld, totals, type Ev } from "../sim-turn.testkit";
import { createParser } from "./parse";

let world: ReturnType<typeof tempWorld>;
beforeAll(() => {
  world = tempWorld("maestro-codex-parse-");
});
afterAll(() => world.cleanup());

const sig = byName("codex").sig;
const MODEL = "gpt-5-codex";

function usageAndDone(tc: Ev, reply: string): AgentEvent[] {
  const u = tc.usage;
  const cost = openaiCostUsd(MODEL, {
    inputTokens: u.input_tokens - u.cached_input_tokens,
    cachedInputTokens: u.cached_input_tokens,
    outputTokens: u.output_tokens,
  });
  return [
    {
      type: "usage",
      inputTokens: u.input_tokens - u.cached_input_tokens,
      outputTokens: u.output_tokens,
      cacheReadTokens: u.cached_input_tokens,
      costUsd: cost,
    },
    {
      type: "done",
      ok: true,
      result: reply,
      totalCostUsd: cost,
      reported: { inputTokens: u.input_tokens, cacheReadTokens: u.cached_input_tokens, outputTokens: u.output_tokens },
    },
  ];
}

describe.concurrent("codex parser on the simulator's real lines", () => {
  test("a text turn", async () => {
    const cwd = project(world, "text");
    const t = await simTurn("codex", { prompt: TEXT_PROMPT, cwd, model: MODEL }, { home: world.home });
    expect(t.raw.map(sig)).toEqual(byName("codex").textSeq);
    const [started, , reasoning, msg, completed] = t.raw;
    expect(t.events).toEqual([
      { type: "session", sessionId: started!.thread_id },
      { type: "thinking", text: reasoning!.item.text, messageId: reasoning!.item.id },
      { type: "text", text: msg!.item.text, messageId: msg!.item.id },
      ...usageAndDone(completed!, msg!.item.text),
    ]);
    expect(joinedText(t.events)).toBe(byName("codex").reply(t.raw));
    expect(t.exit).toBeNull();
  });

  test("a ticking and file-writing turn: command and file changes paired with their results", async () => {
    const cwd = project(world, "tick");
    const t = await simTurn("codex", { prompt: TICK_PROMPT, cwd, model: MODEL }, { home: world.home });
    expect(t.raw.map(sig)).toEqual([
      "thread.started",
      "turn.started",
      "item.completed:reasoning",
      "item.started:command_execution",
      "item.completed:command_execution",
      "item.completed:file_change",
      "item.completed:file_change",
      "item.completed:agent_message",
      "turn.completed",
    ]);
    const [started, , reasoning, cmdStart, cmdDone, fc1, fc2, msg, completed] = t.raw;
    const change = (l: Ev): AgentEvent[] => [
      { type: "tool_call", id: l.item.id, name: "file_change", input: { changes: l.item.changes }, status: "completed" },
      { type: "tool_result", id: l.item.id, output: `${l.item.changes[0].kind} ${l.item.changes[0].path}`, isError: false },
    ];
    expect(t.events).toEqual([
      { type: "session", sessionId: started!.thread_id },
      { type: "thinking", text: reasoning!.item.text, messageId: reasoning!.item.id },
      {
        type: "tool_call",
        id: cmdStart!.item.id,
        name: "command_execution",
        input: { command: cmdStart!.item.command },
        status: "running",
      },
      {
        type: "tool_call",
        id: cmdDone!.item.id,
        name: "command_execution",
        input: { command: cmdDone!.item.command },
        status: "completed",
      },
      { type: "tool_result", id: cmdDone!.item.id, output: cmdDone!.item.aggregated_output, isError: false },
      ...change(fc1!),
      ...change(fc2!),
      { type: "text", text: msg!.item.text, messageId: msg!.item.id },
      ...usageAndDone(completed!, msg!.item.text),
    ]);
    expect(fc1!.item.changes[0]).toEqual({ path: path.join(cwd, "docs", "plan.md"), kind: "update" });
    expect(fc2!.item.changes[0]).toEqual({ path: path.join(cwd, "notes", "hello.txt"), kind: "add" });
    expect(pairedTools(t.events).paired).toBe(true);
    expect(totals(t.events)).toMatchObject({
      input: completed!.usage.input_tokens - completed!.usage.cached_input_tokens,
      output: completed!.usage.output_tokens,
    });
    expect(fs.readFileSync(path.join(cwd, "docs", "plan.md"), "utf8")).toContain("- [x] Write the README");
  });

  test("read-only: the sandbox blocks the write and the file change is failed", async () => {
    const cwd = project(world, "readonly");
    const t = await simTurn("codex", { prompt: TICK_PROMPT, cwd, readOnly: true }, { home: world.home });
    const changes = t.events.filter((e) => e.type === "tool_call" && e.name === "file_change");
    expect(changes.length).toBe(2);
    for (const c of changes) expect(c).toMatchObject({ status: "failed" });
    expect(t.events.filter((e) => e.type === "tool_result" && e.isError).length).toBe(2);
  });

  test("resume: sandbox before `resume`, same thread id back", async () => {
    const cwd = project(world, "resume");
    const first = await simTurn("codex", { prompt: TEXT_PROMPT, cwd }, { home: world.home });
    const id = (first.events[0] as { sessionId: string }).sessionId;
    const second = await simTurn("codex", { prompt: TICK_PROMPT, cwd, resumeSessionId: id }, { home: world.home });
    expect(second.run.stderr).toBe("");
    expect(second.events[0]).toEqual({ type: "session", sessionId: id });
    expect(joinedText(second.events)).toContain("This is turn 2 of this session.");
    // the sandbox survived the resume: the write went through
    expect(fs.readFileSync(path.join(cwd, "docs", "plan.md"), "utf8")).toContain("- [x] Write the README");
  });

  test("rate limit: the bare error and turn.failed read as one fatal error with resetsAt", async () => {
    const cwd = project(world, "ratelimit");
    const t = await simTurn("codex", { prompt: TEXT_PROMPT, cwd }, { home: world.home, fault: "ratelimit" });
    expect(t.raw.map(sig)).toEqual(["thread.started", "turn.started", "error", "turn.failed"]);
    const message = t.raw[2]!.message as string;
    const m = /try again at (\w+) (\d+)\w\w, (\d{4}) (\d+):(\d\d) (AM|PM)\.$/.exec(message)!;
    const resetsAt = new Date(Date.parse(`${m[1]} ${m[2]}, ${m[3]} ${m[4]}:${m[5]} ${m[6]} UTC`)).toISOString();
    expect(t.events).toEqual([
      { type: "session", sessionId: t.raw[0]!.thread_id },
      { type: "error", kind: "rate_limit", fatal: true, message: `Simulator hit a usage or rate limit: ${message}`, resetsAt },
      { type: "done", ok: false, result: message },
    ]);
    expect(t.exit).toBeNull();
  });

  test("auth", async () => {
    const t = await simTurn("codex", { prompt: TEXT_PROMPT, cwd: project(world, "auth") }, { home: world.home, fault: "auth" });
    expect(t.events.slice(1)).toEqual([
      {
        type: "error",
        kind: "auth",
        fatal: true,
        message:
          "Simulator is not logged in or its API key was rejected: unexpected status 401 Unauthorized: Missing bearer or basic authentication in header.",
      },
      { type: "done", ok: false, result: "unexpected status 401 Unauthorized: Missing bearer or basic authentication in header" },
    ]);
  });

  test("crash: a Rust panic becomes a crash error naming the exit code", async () => {
    const t = await simTurn("codex", { prompt: TEXT_PROMPT, cwd: project(world, "crash") }, { home: world.home, fault: "crash" });
    expect(t.events.map((e) => e.type)).toEqual(["session", "thinking"]);
    expect(t.exit).toEqual({
      type: "error",
      kind: "crash",
      fatal: true,
      message: "Simulator crashed (exit 1): maestro-sim: simulated crash (MAESTRO_SIM_FAULT=crash)",
    });
  });

  test("malformed: raw line kept, unknown event ignored, the turn goes on", async () => {
    const t = await simTurn("codex", { prompt: TEXT_PROMPT, cwd: project(world, "malformed") }, { home: world.home, fault: "malformed" });
    expect(t.events.map((e) => e.type)).toEqual(["session", "raw", "thinking", "text", "usage", "done"]);
    expect(t.events[1]).toEqual({ type: "raw", line: t.run.lines[2] });
  });
});

const line = (o: unknown) => JSON.stringify(o);

describe("codex parser on hand-written lines", () => {
  test("mcp tool calls, web search, todo lists, declined commands, error items", () => {
    const p = createParser();
    const ev = (o: unknown) => p.parse(line(o));
    expect(
      ev({
        type: "item.started",
        item: { id: "i1", type: "mcp_tool_call", server: "docs", tool: "search", arguments: { q: "x" }, status: "in_progress" },
      }),
    ).toEqual([{ type: "tool_call", id: "i1", name: "docs.search", input: { q: "x" }, status: "running" }]);
    expect(
      ev({
        type: "item.completed",
        item: {
          id: "i1",
          type: "mcp_tool_call",
          server: "docs",
          tool: "search",
          arguments: { q: "x" },
          result: { content: [{ type: "text", text: "found" }], structured_content: null },
          error: null,
          status: "completed",
        },
      }),
    ).toEqual([
      { type: "tool_call", id: "i1", name: "docs.search", input: { q: "x" }, status: "completed" },
      { type: "tool_result", id: "i1", output: "found", isError: false },
    ]);
    expect(
      ev({
        type: "item.completed",
        item: {
          id: "i2",
          type: "mcp_tool_call",
          server: "s",
          tool: "t",
          arguments: {},
          result: null,
          error: { message: "boom" },
          status: "failed",
        },
      })[1],
    ).toEqual({
      type: "tool_result",
      id: "i2",
      output: "boom",
      isError: true,
    });
    expect(ev({ type: "item.completed", item: { id: "i3", type: "web_search", query: "vitest each" } })).toEqual([
      { type: "tool_call", id: "i3", name: "web_search", input: { query: "vitest each" }, status: "completed" },
      { type: "tool_result", id: "i3", output: "searched the web for: vitest each", isError: false },
    ]);
    expect(
      ev({
        type: "item.updated",
        item: {
          id: "i4",
          type: "todo_list",
          items: [
            { text: "a", completed: true },
            { text: "b", completed: false },
          ],
        },
      }),
    ).toEqual([
      {
        type: "tool_call",
        id: "i4",
        name: "todo_list",
        input: {
          items: [
            { text: "a", completed: true },
            { text: "b", completed: false },
          ],
        },
        status: "running",
      },
    ]);
    expect(
      ev({
        type: "item.completed",
        item: {
          id: "i4",
          type: "todo_list",
          items: [
            { text: "a", completed: true },
            { text: "b", completed: true },
          ],
        },
      })[1],
    ).toEqual({
      type: "tool_result",
      id: "i4",
      output: "- [x] a\n- [x] b",
      isError: false,
    });
    expect(
      ev({
        type: "item.completed",
        item: { id: "i5", type: "command_execution", command: "rm -rf /", aggregated_output: "", exit_code: null, status: "declined" },
      }),
    ).toEqual([
      { type: "tool_call", id: "i5", name: "command_execution", input: { command: "rm -rf /" }, status: "failed" },
      { type: "tool_result", id: "i5", output: "", isError: true },
    ]);
    expect(ev({ type: "item.completed", item: { id: "i6", type: "error", message: "command timed out" } })).toEqual([
      { type: "error", kind: "provider", fatal: false, message: "Codex reported an error: command timed out" },
    ]);
  });

  test("a bare error is not terminal: shown (one line later), and the turn completes", () => {
    const p = createParser({ model: "gpt-5.1-codex-mini" });
    expect(p.parse(line({ type: "error", message: "Reconnecting... 1/5" }))).toEqual([]);
    expect(p.parse(line({ type: "item.completed", item: { id: "a", type: "agent_message", text: "ok" } }))).toEqual([
      { type: "error", kind: "provider", fatal: false, message: "Codex reported an error: Reconnecting... 1/5" },
      { type: "text", text: "ok", messageId: "a" },
    ]);
    expect(
      p.parse(line({ type: "turn.completed", usage: { input_tokens: 1_000_000, cached_input_tokens: 400_000, output_tokens: 100_000 } })),
    ).toEqual([
      { type: "usage", inputTokens: 600_000, outputTokens: 100_000, cacheReadTokens: 400_000, costUsd: 0.36 },
      {
        type: "done",
        ok: true,
        result: "ok",
        totalCostUsd: 0.36,
        reported: { inputTokens: 1_000_000, cacheReadTokens: 400_000, outputTokens: 100_000 },
      },
    ]);
  });

  test("a resumed thread reports cumulative usage: the session baseline is subtracted", () => {
    const p = createParser({ model: "gpt-5.1-codex-mini", sessionBaseline: { inputTokens: 150, cacheReadTokens: 50, outputTokens: 20 } });
    const out = p.parse(line({ type: "turn.completed", usage: { input_tokens: 450, cached_input_tokens: 150, output_tokens: 60 } }));
    expect(out[0]).toMatchObject({ type: "usage", inputTokens: 200, cacheReadTokens: 100, outputTokens: 40 });
    expect(out[1]).toMatchObject({ type: "done", reported: { inputTokens: 450, cacheReadTokens: 150, outputTokens: 60 } });
    const q = createParser();
    q.parse(line({ type: "error", message: "stream disconnected" }));
    expect(q.end!()).toEqual([{ type: "error", kind: "provider", fatal: false, message: "Codex reported an error: stream disconnected" }]);
  });

  test("context full on turn.failed; relative 'try again in' reset", () => {
    const p = createParser();
    expect(
      p.parse(
        line({ type: "turn.failed", error: { message: "Codex ran out of room in the model's context window. Start a new thread." } }),
      )[0],
    ).toMatchObject({ kind: "context_full", fatal: true });
    const q = createParser({ now: () => Date.parse("2026-01-01T00:00:00Z") });
    expect(
      q.parse(line({ type: "turn.failed", error: { message: "You've hit your usage limit. Try again in 2 hours 5 minutes." } }))[0],
    ).toMatchObject({
      kind: "rate_limit",
      resetsAt: "2026-01-01T02:05:00.000Z",
    });
  });
});
