import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { byName } from "../../../simulator/harness";
import type { AgentEvent } from "../events";
import { TEXT_PROMPT, TICK_PROMPT, joinedText, pairedTools, project, simTurn, tempWorld, type Ev } from "../sim-turn.testkit";
import { createParser } from "./parse";

let world: ReturnType<typeof tempWorld>;
beforeAll(() => {
  world = tempWorld("maestro-gemini-parse-");
});
afterAll(() => world.cleanup());

const sig = byName("gemini").sig;
const NOW = Date.parse("2026-04-01T09:00:00Z");
const usageOf = (r: Ev): AgentEvent => ({
  type: "usage",
  inputTokens: r.stats.input,
  outputTokens: r.stats.output_tokens,
  cacheReadTokens: r.stats.cached,
});

describe.concurrent("gemini parser on the simulator's real lines", () => {
  test("a text turn: the first chunk opens a text, the next ones are deltas", async () => {
    const t = await simTurn("gemini", { prompt: TEXT_PROMPT, cwd: project(world, "text") }, { home: world.home });
    expect(t.raw.map(sig)).toEqual(byName("gemini").textSeq);
    const [init, , c1, c2, c3, result] = t.raw;
    const reply = c1!.content + c2!.content + c3!.content;
    expect(t.events).toEqual([
      { type: "session", sessionId: init!.session_id, model: init!.model },
      { type: "text", text: c1!.content },
      { type: "text", text: c2!.content, delta: true },
      { type: "text", text: c3!.content, delta: true },
      usageOf(result!),
      { type: "done", ok: true, result: reply, durationMs: result!.stats.duration_ms },
    ]);
    expect(joinedText(t.events)).toBe(byName("gemini").reply(t.raw));
    expect(t.exit).toBeNull();
  });

  test("a ticking and file-writing turn with -y", async () => {
    const cwd = project(world, "tick");
    const t = await simTurn("gemini", { prompt: TICK_PROMPT, cwd }, { home: world.home });
    expect(t.raw.map(sig)).toEqual([
      "init",
      "message:user",
      "message:assistant",
      "tool_use",
      "tool_result",
      "tool_use",
      "tool_result",
      "message:assistant",
      "message:assistant",
      "message:assistant",
      "result",
    ]);
    const [init, , pre, use1, res1, use2, res2, c1, c2, c3, result] = t.raw;
    const call = (l: Ev): AgentEvent => ({ type: "tool_call", id: l.tool_id, name: l.tool_name, input: l.parameters, status: "running" });
    const res = (l: Ev): AgentEvent => ({ type: "tool_result", id: l.tool_id, output: l.output, isError: false });
    expect(t.events).toEqual([
      { type: "session", sessionId: init!.session_id, model: init!.model },
      { type: "text", text: pre!.content },
      call(use1!),
      res(res1!),
      call(use2!),
      res(res2!),
      // after a tool result a new text starts: the reply is not glued onto the preamble
      { type: "text", text: c1!.content },
      { type: "text", text: c2!.content, delta: true },
      { type: "text", text: c3!.content, delta: true },
      usageOf(result!),
      { type: "done", ok: true, result: c1!.content + c2!.content + c3!.content, durationMs: result!.stats.duration_ms },
    ]);
    expect(pairedTools(t.events).paired).toBe(true);
    expect(fs.readFileSync(path.join(cwd, "docs", "plan.md"), "utf8")).toContain("- [x] Write the README");
  });

  test("read-only (no -y): no write tools offered; resume by session id", async () => {
    const cwd = project(world, "readonly");
    const first = await simTurn("gemini", { prompt: TICK_PROMPT, cwd, readOnly: true }, { home: world.home });
    expect(first.inv.args).not.toContain("-y");
    expect(first.events.some((e) => e.type === "tool_call")).toBe(false);
    const id = (first.events[0] as { sessionId: string }).sessionId;
    const second = await simTurn("gemini", { prompt: TEXT_PROMPT, cwd, resumeSessionId: id }, { home: world.home });
    expect(second.events[0]).toMatchObject({ type: "session", sessionId: id });
    expect(joinedText(second.events)).toContain("This is turn 2 of this session.");
  });

  test("rate limit: 'reset after 59s' is counted from the injected clock", async () => {
    const t = await simTurn(
      "gemini",
      { prompt: TEXT_PROMPT, cwd: project(world, "ratelimit") },
      { home: world.home, fault: "ratelimit", now: () => NOW },
    );
    expect(t.raw.map(sig)).toEqual(["init", "message:user", "result"]);
    const result = t.raw[2]!;
    expect(t.events).toEqual([
      { type: "session", sessionId: t.raw[0]!.session_id, model: t.raw[0]!.model },
      usageOf(result),
      {
        type: "error",
        kind: "rate_limit",
        fatal: true,
        message: `Simulator hit a usage or rate limit: ${result.error.message}`,
        resetsAt: new Date(NOW + 59_000).toISOString(),
      },
      { type: "done", ok: false, durationMs: 0 },
    ]);
    expect(t.exit).toBeNull();
  });

  test("auth: nothing on stdout, exit 41; classifyExit reads stderr", async () => {
    const t = await simTurn("gemini", { prompt: TEXT_PROMPT, cwd: project(world, "auth") }, { home: world.home, fault: "auth" });
    expect(t.run.code).toBe(41);
    expect(t.events).toEqual([]);
    expect(t.exit).toMatchObject({ type: "error", kind: "auth", fatal: true });
    expect((t.exit as { message: string }).message).toMatch(
      /^Simulator is not logged in or its API key was rejected: Please set an Auth method/,
    );
  });

  test("crash", async () => {
    const t = await simTurn("gemini", { prompt: TEXT_PROMPT, cwd: project(world, "crash") }, { home: world.home, fault: "crash" });
    expect(t.events.map((e) => e.type)).toEqual(["session", "text"]);
    expect(t.exit).toEqual({
      type: "error",
      kind: "crash",
      fatal: true,
      message: "Simulator crashed (exit 1): maestro-sim: simulated crash (MAESTRO_SIM_FAULT=crash)",
    });
  });

  test("malformed", async () => {
    const t = await simTurn("gemini", { prompt: TEXT_PROMPT, cwd: project(world, "malformed") }, { home: world.home, fault: "malformed" });
    expect(t.events.map((e) => e.type)).toEqual(["session", "raw", "text", "text", "text", "usage", "done"]);
    expect(t.events[1]).toEqual({ type: "raw", line: t.run.lines[2] });
  });
});

const line = (o: unknown) => JSON.stringify(o);

describe("gemini parser on hand-written lines", () => {
  test("tool errors, warnings, user echo, auth result", () => {
    const p = createParser();
    expect(p.parse(line({ type: "message", role: "user", content: "hi" }))).toEqual([]);
    expect(
      p.parse(line({ type: "tool_result", tool_id: "t1", status: "error", error: { type: "file_write_failure", message: "EACCES" } })),
    ).toEqual([{ type: "tool_result", id: "t1", output: "EACCES", isError: true }]);
    expect(p.parse(line({ type: "error", severity: "warning", message: "Loop detected, stopping execution" }))).toEqual([
      { type: "error", kind: "provider", fatal: false, message: "Gemini CLI reported an error: Loop detected, stopping execution" },
    ]);
    expect(
      p.parse(
        line({
          type: "result",
          status: "error",
          error: { type: "FatalAuthenticationError", message: "Could not authenticate" },
          stats: { input_tokens: 5, output_tokens: 0, duration_ms: 3 },
        }),
      ),
    ).toEqual([
      { type: "usage", inputTokens: 5, outputTokens: 0, cacheReadTokens: 0 },
      {
        type: "error",
        kind: "auth",
        fatal: true,
        message:
          "Gemini CLI is not logged in or its API key was rejected: Could not authenticate. Run `gemini` once in a terminal to sign in (or set GEMINI_API_KEY).",
      },
      { type: "done", ok: false, durationMs: 3 },
    ]);
    expect(p.parse(line({ type: "result", status: "success" }))).toEqual([]);
  });
});
