import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { byName } from "../../../simulator/harness";
import type { AgentEvent } from "../events";
import {
  IS_ROOT,
  TEXT_PROMPT,
  TICK_PROMPT,
  joinedText,
  pairedTools,
  project,
  simTurn,
  tempWorld,
  totals,
  type Ev,
} from "../sim-turn.testkit";
import { createParser } from "./parse";

let world: ReturnType<typeof tempWorld>;
beforeAll(() => {
  world = tempWorld("maestro-claude-parse-");
});
afterAll(() => world.cleanup());

const sig = byName("claude").sig;
const usageOf = (u: Ev): AgentEvent => ({
  type: "usage",
  inputTokens: u.input_tokens,
  outputTokens: u.output_tokens,
  cacheReadTokens: u.cache_read_input_tokens,
  cacheWriteTokens: u.cache_creation_input_tokens,
});
const sessionOf = (init: Ev): AgentEvent => ({
  type: "session",
  sessionId: init.session_id,
  model: init.model,
  slashCommands: init.slash_commands,
});
const doneOf = (r: Ev): AgentEvent => ({
  type: "done",
  ok: !r.is_error,
  result: r.result,
  durationMs: r.duration_ms,
  totalCostUsd: r.total_cost_usd,
  numTurns: r.num_turns,
  reported: { costUsd: r.total_cost_usd },
});
const finalUsage = (r: Ev): AgentEvent => ({
  type: "usage",
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: r.total_cost_usd,
  contextWindow: 200000,
});

describe.concurrent("claude parser on the simulator's real lines", () => {
  test("a text turn: usage counted once per message id, not once per content block", async () => {
    const cwd = project(world, "text");
    const t = await simTurn("claude", { prompt: TEXT_PROMPT, cwd }, { home: world.home, env: { MAESTRO_SIM_EVENTS: "3" } });
    expect(t.run.code).toBe(0);
    expect(t.raw.map(sig)).toEqual([
      "system:init",
      "assistant:thinking",
      "assistant:text",
      "assistant:text",
      "assistant:text",
      "assistant:text",
      "result",
    ]);
    const [init, thinking, ...rest] = t.raw as [Ev, Ev, ...Ev[]];
    const texts = rest.slice(0, 4);
    const result = rest[4]!;
    const id = thinking.message.id;
    expect(texts.every((x) => x.message.id === id)).toBe(true);
    expect(t.events).toEqual([
      sessionOf(init),
      { type: "thinking", text: thinking.message.content[0].thinking, messageId: id },
      usageOf(thinking.message.usage),
      ...texts.map((x): AgentEvent => ({ type: "text", text: x.message.content[0].text, messageId: id })),
      finalUsage(result),
      doneOf(result),
    ]);
    expect(joinedText(t.events)).toBe(result.result);
    const sum = totals(t.events);
    expect(sum).toEqual({
      input: result.usage.input_tokens,
      output: result.usage.output_tokens,
      cacheRead: result.usage.cache_read_input_tokens,
      cacheWrite: result.usage.cache_creation_input_tokens,
      cost: result.total_cost_usd,
    });
    // five lines repeat the same usage: a naive sum would be five times as much
    expect(sum.output).not.toBe(5 * thinking.message.usage.output_tokens);
    expect(sum.output).toBe(thinking.message.usage.output_tokens);
    expect(t.exit).toBeNull();
  });

  test("a ticking and file-writing turn: tool calls paired with results, two messages' usage", async () => {
    const cwd = project(world, "tick");
    const t = await simTurn("claude", { prompt: TICK_PROMPT, cwd }, { home: world.home });
    expect(t.run.stderr).toBe("");
    expect(t.raw.map(sig)).toEqual([
      "system:init",
      "assistant:thinking",
      "assistant:text",
      "assistant:tool_use",
      "assistant:tool_use",
      "user:tool_result",
      "user:tool_result",
      "assistant:text",
      "result",
    ]);
    const [init, thinking, pre, use1, use2, res1, res2, reply, result] = t.raw;
    const id1 = thinking!.message.id;
    const id2 = reply!.message.id;
    const call = (l: Ev): AgentEvent => ({
      type: "tool_call",
      id: l.message.content[0].id,
      name: l.message.content[0].name,
      input: l.message.content[0].input,
      status: "running",
    });
    const res = (l: Ev): AgentEvent => ({
      type: "tool_result",
      id: l.message.content[0].tool_use_id,
      output: l.message.content[0].content,
      isError: false,
    });
    expect(t.events).toEqual([
      sessionOf(init!),
      { type: "thinking", text: thinking!.message.content[0].thinking, messageId: id1 },
      usageOf(thinking!.message.usage),
      { type: "text", text: pre!.message.content[0].text, messageId: id1 },
      call(use1!),
      call(use2!),
      res(res1!),
      res(res2!),
      { type: "text", text: reply!.message.content[0].text, messageId: id2 },
      usageOf(reply!.message.usage),
      finalUsage(result!),
      doneOf(result!),
    ]);
    expect(t.events[4]).toMatchObject({ name: "Edit", input: { file_path: path.join(cwd, "docs", "plan.md") } });
    expect(t.events[5]).toMatchObject({ name: "Write", input: { file_path: path.join(cwd, "notes", "hello.txt") } });
    expect(pairedTools(t.events).paired).toBe(true);
    expect(totals(t.events)).toMatchObject({
      input: result!.usage.input_tokens,
      output: result!.usage.output_tokens,
      cacheRead: result!.usage.cache_read_input_tokens,
    });
    expect(fs.readFileSync(path.join(cwd, "docs", "plan.md"), "utf8")).toContain("- [x] Write the README");
    expect(fs.existsSync(path.join(cwd, "notes", "hello.txt"))).toBe(true);
    expect(t.events.at(-1)).toMatchObject({ type: "done", ok: true, numTurns: 2 });
  });

  test("resume: the session id of the earlier turn comes back", async () => {
    const cwd = project(world, "resume");
    const first = await simTurn("claude", { prompt: TEXT_PROMPT, cwd }, { home: world.home });
    const id = (first.events[0] as { sessionId: string }).sessionId;
    const second = await simTurn("claude", { prompt: TEXT_PROMPT, cwd, resumeSessionId: id }, { home: world.home });
    expect(second.events[0]).toMatchObject({ type: "session", sessionId: id });
    expect(joinedText(second.events)).toContain("This is turn 2 of this session.");
  });

  test("rate limit: one fatal error with resetsAt from rate_limit_event, then done ok:false", async () => {
    const cwd = project(world, "ratelimit");
    const t = await simTurn("claude", { prompt: TEXT_PROMPT, cwd }, { home: world.home, fault: "ratelimit" });
    expect(t.raw.map(sig)).toEqual(["system:init", "rate_limit_event", "assistant:text", "result"]);
    const [init, rl, msg, result] = t.raw;
    const text = msg!.message.content[0].text as string;
    expect(text).toMatch(/^You've hit your limit · resets \d{1,2}(:\d\d)?[ap]m \(UTC\)$/);
    expect(t.events).toEqual([
      sessionOf(init!),
      {
        type: "error",
        kind: "rate_limit",
        fatal: true,
        message: `Simulator hit a usage or rate limit: ${text}`,
        resetsAt: new Date(rl!.rate_limit_info.resetsAt * 1000).toISOString(),
      },
      { type: "usage", inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, contextWindow: 200000 },
      { ...doneOf(result!), ok: false },
    ]);
    expect(t.run.code).toBe(1);
    expect(t.exit).toBeNull();
  });

  test("auth: not logged in is an auth error, fatal", async () => {
    const cwd = project(world, "auth");
    const t = await simTurn("claude", { prompt: TEXT_PROMPT, cwd }, { home: world.home, fault: "auth" });
    const [init, , result] = t.raw;
    expect(t.events).toEqual([
      sessionOf(init!),
      {
        type: "error",
        kind: "auth",
        fatal: true,
        message: "Simulator is not logged in or its API key was rejected: Invalid API key · Please run /login.",
      },
      { type: "usage", inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, contextWindow: 200000 },
      { ...doneOf(result!), ok: false },
    ]);
  });

  test("crash mid-stream: no done; classifyExit names the exit code and the last stderr line", async () => {
    const cwd = project(world, "crash");
    const t = await simTurn("claude", { prompt: TEXT_PROMPT, cwd }, { home: world.home, fault: "crash" });
    expect(t.raw.map(sig)).toEqual(["system:init", "assistant:thinking", "assistant:text"]);
    expect(t.events.map((e) => e.type)).toEqual(["session", "thinking", "usage", "text"]);
    expect(t.exit).toEqual({
      type: "error",
      kind: "crash",
      fatal: true,
      message: "Simulator crashed (exit 1): maestro-sim: simulated crash (MAESTRO_SIM_FAULT=crash)",
    });
  });

  test("a malformed line becomes one raw event; the unknown event type is ignored", async () => {
    const cwd = project(world, "malformed");
    const t = await simTurn("claude", { prompt: TEXT_PROMPT, cwd }, { home: world.home, fault: "malformed" });
    const bad = t.run.lines[1]!;
    expect(() => JSON.parse(bad)).toThrow();
    expect(t.raw[1]).toMatchObject({ type: "maestro_sim_probe" });
    expect(t.events.map((e) => e.type)).toEqual(["session", "raw", "thinking", "usage", "text", "usage", "done"]);
    expect(t.events[1]).toEqual({ type: "raw", line: bad });
    expect(t.events.at(-1)).toMatchObject({ type: "done", ok: true });
  });

  test.runIf(IS_ROOT)("as root: acceptEdits writes; skip-permissions needs the user's isSandbox", async () => {
    const a = await simTurn("claude", { prompt: TICK_PROMPT, cwd: project(world, "root-accept"), isRoot: true }, { home: world.home });
    expect(a.inv.args).toContain("acceptEdits");
    expect(a.events.at(-1)).toMatchObject({ type: "done", ok: true });
    const b = await simTurn(
      "claude",
      { prompt: TICK_PROMPT, cwd: project(world, "root-sandbox"), isRoot: true, isSandbox: true },
      { home: world.home },
    );
    expect(b.inv.env.IS_SANDBOX).toBe("1");
    expect(b.events.at(-1)).toMatchObject({ type: "done", ok: true });
    // a runner that got isRoot wrong: claude refuses, and the error says what to do
    const c = await simTurn("claude", { prompt: TICK_PROMPT, cwd: project(world, "root-refused"), isRoot: false }, { home: world.home });
    expect(c.events).toEqual([]);
    expect(c.exit).toMatchObject({ type: "error", kind: "permission", fatal: true });
    expect((c.exit as { message: string }).message).toMatch(/as root.*IS_SANDBOX=1.*acceptEdits/);
  });

  test("plan mode: read-only turn, no tool calls", async () => {
    const cwd = project(world, "plan");
    const t = await simTurn("claude", { prompt: TICK_PROMPT, cwd, readOnly: true }, { home: world.home });
    expect(t.events.some((e) => e.type === "tool_call")).toBe(false);
    expect(joinedText(t.events)).toMatch(/^Plan only, no changes made/);
    expect(fs.readFileSync(path.join(cwd, "docs", "plan.md"), "utf8")).toContain("- [ ] Write the README");
  });
});

const line = (o: unknown) => JSON.stringify(o);
const msg = (id: string, content: unknown[], usage: object, extra: object = {}) =>
  line({
    type: "assistant",
    message: { model: "claude-x", id, type: "message", role: "assistant", content, usage },
    parent_tool_use_id: null,
    session_id: "s",
    ...extra,
  });

describe("claude parser on hand-written lines", () => {
  test("usage that grows on a later block of the same message adds only the growth", () => {
    const p = createParser();
    const u = { input_tokens: 10, output_tokens: 1, cache_read_input_tokens: 100, cache_creation_input_tokens: 5 };
    expect(p.parse(msg("m1", [{ type: "text", text: "a" }], u))).toEqual([
      { type: "text", text: "a", messageId: "m1" },
      { type: "usage", inputTokens: 10, outputTokens: 1, cacheReadTokens: 100, cacheWriteTokens: 5 },
    ]);
    expect(p.parse(msg("m1", [{ type: "text", text: "b" }], u))).toEqual([{ type: "text", text: "b", messageId: "m1" }]);
    expect(
      p.parse(msg("m1", [{ type: "tool_use", id: "t1", name: "Bash", input: { command: "ls" } }], { ...u, output_tokens: 40 })),
    ).toEqual([
      { type: "tool_call", id: "t1", name: "Bash", input: { command: "ls" }, status: "running" },
      { type: "usage", inputTokens: 0, outputTokens: 39, cacheReadTokens: 0, cacheWriteTokens: 0 },
    ]);
    // the result's totals are authoritative: only the part not yet counted is added
    const done = p.parse(
      line({
        type: "result",
        subtype: "success",
        is_error: false,
        result: "ab",
        usage: { input_tokens: 10, output_tokens: 50, cache_read_input_tokens: 100, cache_creation_input_tokens: 5 },
        total_cost_usd: 0.5,
        modelUsage: { "claude-x": { contextWindow: 1000000 } },
      }),
    );
    expect(done).toEqual([
      { type: "usage", inputTokens: 0, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.5, contextWindow: 1000000 },
      { type: "done", ok: true, result: "ab", totalCostUsd: 0.5, reported: { costUsd: 0.5 } },
    ]);
    // Resumed: total_cost_usd covers the whole session; only this turn's part is counted.
    const resumed = createParser({ sessionBaseline: { costUsd: 0.2 } });
    const again = resumed.parse(line({ type: "result", subtype: "success", is_error: false, result: "c", total_cost_usd: 0.5 }));
    expect(again.find((e) => e.type === "usage")).toMatchObject({ costUsd: 0.3 });
    expect(again.at(-1)).toMatchObject({ type: "done", totalCostUsd: 0.3, reported: { costUsd: 0.5 } });
  });

  test("tool_result content as blocks, errors flagged; sub-agent prose is not the reply", () => {
    const p = createParser();
    expect(
      p.parse(
        line({
          type: "user",
          message: {
            role: "user",
            content: [
              {
                type: "tool_result",
                tool_use_id: "t1",
                is_error: true,
                content: [{ type: "text", text: "line 1" }, { type: "image" }, { type: "text", text: "line 2" }],
              },
            ],
          },
        }),
      ),
    ).toEqual([{ type: "tool_result", id: "t1", output: "line 1\n[image]\nline 2", isError: true }]);
    const sub = p.parse(
      msg(
        "m9",
        [
          { type: "text", text: "sub-agent musing" },
          { type: "tool_use", id: "t2", name: "Read", input: {} },
        ],
        { input_tokens: 1, output_tokens: 1 },
        { parent_tool_use_id: "t0" },
      ),
    );
    expect(sub.map((e) => e.type)).toEqual(["tool_call", "usage"]);
  });

  test.each([
    ["error_max_turns", undefined, "Claude Code reported an error: stopped after reaching the maximum number of turns"],
    ["error_during_execution", ["API Error: 500 overloaded"], "Claude Code reported an error: API Error: 500 overloaded"],
    ["success", undefined, "Claude Code reported an error: Prompt is too long"],
  ])("result %s with is_error → fatal error + done ok:false", (subtype, errors, message) => {
    const p = createParser();
    const r = {
      type: "result",
      subtype,
      is_error: true,
      ...(errors ? { errors } : {}),
      ...(subtype === "success" ? { result: "Prompt is too long" } : {}),
      session_id: "abc",
    };
    const out = p.parse(line(r));
    expect(out[0]).toEqual({ type: "session", sessionId: "abc" });
    const err = out.find((e) => e.type === "error");
    if (subtype === "success") expect(err).toMatchObject({ kind: "context_full", fatal: true });
    else expect(err).toEqual({ type: "error", kind: "provider", fatal: true, message });
    expect(out.at(-1)).toMatchObject({ type: "done", ok: false });
  });

  test("permission denials become a plain, non-fatal permission error", () => {
    const p = createParser();
    const out = p.parse(
      line({
        type: "result",
        subtype: "success",
        is_error: false,
        result: "could not",
        permission_denials: [
          { tool_name: "Write", tool_use_id: "t1", tool_input: {} },
          { tool_name: "Edit", tool_use_id: "t2", tool_input: {} },
        ],
      }),
    );
    expect(out).toContainEqual({
      type: "error",
      kind: "permission",
      fatal: false,
      message:
        "Claude Code was not allowed to use Write, Edit (2 calls denied by its permission mode). Turn on auto-approve in the agent settings to let it write files and run commands.",
    });
    expect(out.at(-1)).toMatchObject({ type: "done", ok: true });
  });

  test("older usage-limit text with an epoch, and a text-only reset clock in the given zone", () => {
    const p = createParser();
    const old = p.parse(
      msg(
        "x",
        [{ type: "text", text: "Claude AI usage limit reached|1760000000" }],
        { input_tokens: 0, output_tokens: 0 },
        { message: { model: "<synthetic>", id: "x", content: [{ type: "text", text: "Claude AI usage limit reached|1760000000" }] } },
      ),
    );
    expect(old).toEqual([
      {
        type: "error",
        kind: "rate_limit",
        fatal: true,
        message: "Claude Code hit a usage or rate limit: Claude AI usage limit reached|1760000000",
        resetsAt: new Date(1760000000 * 1000).toISOString(),
      },
    ]);
    const q = createParser({ now: () => Date.parse("2026-03-10T10:00:00Z") });
    const out = q.parse(
      line({
        type: "assistant",
        error: "rate_limit",
        message: {
          model: "<synthetic>",
          id: "y",
          content: [{ type: "text", text: "You've hit your limit · resets 3:47pm (Europe/Paris)" }],
        },
      }),
    );
    expect(out).toEqual([
      {
        type: "error",
        kind: "rate_limit",
        fatal: true,
        message: "Claude Code hit a usage or rate limit: You've hit your limit · resets 3:47pm (Europe/Paris)",
        resetsAt: "2026-03-10T14:47:00.000Z",
      },
    ]);
  });
});

describe("claude parser: the control protocol (lines verified against 2.1.330)", () => {
  const BASH_ASK =
    '{"type":"control_request","request_id":"ee218ede-2fab-482d-ac05-829910a95ccd","request":{"subtype":"can_use_tool","tool_name":"Bash","display_name":"Bash","input":{"command":"touch hi.txt","description":"Run it"},"description":"Run it","permission_suggestions":[{"type":"addRules","rules":[{"toolName":"Bash","ruleContent":"touch hi.txt"}],"behavior":"allow","destination":"localSettings"},{"type":"addDirectories","directories":["/tmp/r14-eVtmOo/project"],"destination":"session"},{"type":"setMode","mode":"acceptEdits","destination":"session"}],"blocked_path":"/tmp/r14-eVtmOo/project/hi.txt","tool_use_id":"toolu_exp1"}}';
  const NPM_ASK =
    '{"type":"control_request","request_id":"93792792-1","request":{"subtype":"can_use_tool","tool_name":"Bash","display_name":"Bash","input":{"command":"npm run build","description":"Run it"},"description":"Run it","permission_suggestions":[{"type":"addRules","rules":[{"toolName":"Bash","ruleContent":"npm run *"}],"behavior":"allow","destination":"localSettings"}],"decision_reason":"This command requires approval","decision_reason_type":"other","tool_use_id":"toolu_exp1"}}';
  const QUESTION =
    '{"type":"control_request","request_id":"a2a16024-1","request":{"subtype":"can_use_tool","tool_name":"AskUserQuestion","display_name":"AskUserQuestion","input":{"questions":[{"question":"Which colour should the button be?","header":"Colour","options":[{"label":"Red","description":"A red button"},{"label":"Blue","description":"A blue button"}],"multiSelect":false}]},"tool_use_id":"toolu_exp1","requires_user_interaction":true}}';

  test("can_use_tool → approval_request with the suggested rule, blocked path and reason", () => {
    const p = createParser();
    expect(p.parse(BASH_ASK)).toEqual([
      {
        type: "approval_request",
        requestId: "ee218ede-2fab-482d-ac05-829910a95ccd",
        toolUseId: "toolu_exp1",
        toolName: "Bash",
        input: { command: "touch hi.txt", description: "Run it" },
        suggestedRule: "Bash(touch hi.txt)",
        blockedPath: "/tmp/r14-eVtmOo/project/hi.txt",
      },
    ]);
    expect(p.parse(NPM_ASK)).toEqual([
      expect.objectContaining({ suggestedRule: "Bash(npm run *)", reason: "This command requires approval", requestId: "93792792-1" }),
    ]);
  });

  test("AskUserQuestion requires the person; suppress_always_allow_rule → noAlwaysAllow", () => {
    const p = createParser();
    expect(p.parse(QUESTION)).toEqual([
      expect.objectContaining({ toolName: "AskUserQuestion", requiresUserInteraction: true, requestId: "a2a16024-1" }),
    ]);
    const [e] = p.parse(BASH_ASK.replace('"tool_use_id"', '"suppress_always_allow_rule":true,"tool_use_id"'));
    expect(e).toMatchObject({ type: "approval_request", noAlwaysAllow: true });
  });

  test("control_cancel_request → approval_cancel; other control lines are ignored", () => {
    const p = createParser();
    expect(p.parse('{"type":"control_cancel_request","request_id":"ee218ede"}')).toEqual([
      { type: "approval_cancel", requestId: "ee218ede" },
    ]);
    expect(p.parse('{"type":"control_request","request_id":"x","request":{"subtype":"hook_callback"}}')).toEqual([]);
    expect(p.parse('{"type":"control_response","response":{"subtype":"success","request_id":"int_1","response":{}}}')).toEqual([]);
  });

  test("with approvals on, permission_denials are answers, not a mode to change", () => {
    const result =
      '{"type":"result","subtype":"success","is_error":false,"result":"ok","session_id":"s","permission_denials":[{"tool_name":"Bash","tool_use_id":"toolu_exp1","tool_input":{"command":"touch hi.txt"}}]}';
    const errorsOf = (events: AgentEvent[]) => events.filter((e) => e.type === "error");
    expect(errorsOf(createParser({ approvals: true }).parse(result))).toEqual([]);
    expect(errorsOf(createParser().parse(result))).toEqual([expect.objectContaining({ kind: "permission", fatal: false })]);
  });
});
