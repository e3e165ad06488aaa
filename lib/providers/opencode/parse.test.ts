import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { byName } from "../../../simulator/harness";
import type { AgentEvent } from "../events";
import { TEXT_PROMPT, TICK_PROMPT, joinedText, pairedTools, project, simTurn, tempWorld, totals, type Ev } from "../sim-turn.testkit";
import { createParser } from "./parse";

let world: ReturnType<typeof tempWorld>;
beforeAll(() => {
  world = tempWorld("maestro-opencode-parse-");
});
afterAll(() => world.cleanup());

const sig = byName("opencode").sig;
const usageOf = (l: Ev): AgentEvent => ({
  type: "usage",
  inputTokens: l.part.tokens.input,
  outputTokens: l.part.tokens.output + l.part.tokens.reasoning,
  cacheReadTokens: l.part.tokens.cache.read,
  cacheWriteTokens: l.part.tokens.cache.write,
  costUsd: l.part.cost,
});
const textOf = (l: Ev): AgentEvent => ({ type: "text", text: l.part.text, messageId: l.part.messageID });

describe.concurrent("opencode parser on the simulator's real lines", () => {
  test("a text turn (prompt on stdin)", async () => {
    const cwd = project(world, "text");
    const t = await simTurn("opencode", { prompt: TEXT_PROMPT, cwd }, { home: world.home });
    expect(t.inv.stdin).toBe(TEXT_PROMPT);
    expect(t.raw.map(sig)).toEqual(byName("opencode").textSeq);
    const [start, text, finish] = t.raw;
    expect(t.events).toEqual([
      { type: "session", sessionId: start!.sessionID },
      textOf(text!),
      usageOf(finish!),
      { type: "done", ok: true, result: text!.part.text, totalCostUsd: finish!.part.cost },
    ]);
    // stdin reaches the model verbatim: no quotes wrapped around the words
    expect(joinedText(t.events)).toContain(`Prompt: "${TEXT_PROMPT}"`);
    expect(t.exit).toBeNull();
  });

  test("a ticking and file-writing turn over two steps", async () => {
    const cwd = project(world, "tick");
    const t = await simTurn("opencode", { prompt: TICK_PROMPT, cwd }, { home: world.home });
    expect(t.raw.map(sig)).toEqual([
      "step_start",
      "text",
      "tool_use",
      "tool_use",
      "step_finish",
      "step_start",
      "text",
      "step_finish",
      "done",
    ]);
    const [start, pre, use1, use2, fin1, , reply, fin2] = t.raw;
    const tool = (l: Ev): AgentEvent[] => [
      { type: "tool_call", id: l.part.callID, name: l.part.tool, input: l.part.state.input, status: "completed" },
      { type: "tool_result", id: l.part.callID, output: l.part.state.output, isError: false },
    ];
    expect(t.events).toEqual([
      { type: "session", sessionId: start!.sessionID },
      textOf(pre!),
      ...tool(use1!),
      ...tool(use2!),
      usageOf(fin1!),
      textOf(reply!),
      usageOf(fin2!),
      { type: "done", ok: true, result: reply!.part.text, totalCostUsd: Math.round((fin1!.part.cost + fin2!.part.cost) * 1e8) / 1e8 },
    ]);
    expect(use1!.part.tool).toBe("edit");
    expect(use2!.part.tool).toBe("write");
    expect(pairedTools(t.events).paired).toBe(true);
    expect(totals(t.events).cost).toBe(Math.round((fin1!.part.cost + fin2!.part.cost) * 1e8) / 1e8);
    expect(fs.readFileSync(path.join(cwd, "notes", "hello.txt"), "utf8").length).toBeGreaterThan(0);
  });

  test("plan agent: no tool calls; resume keeps the session", async () => {
    const cwd = project(world, "plan");
    const first = await simTurn("opencode", { prompt: TICK_PROMPT, cwd, readOnly: true }, { home: world.home });
    expect(first.events.some((e) => e.type === "tool_call")).toBe(false);
    const id = (first.events[0] as { sessionId: string }).sessionId;
    const second = await simTurn("opencode", { prompt: TEXT_PROMPT, cwd, resumeSessionId: id }, { home: world.home });
    expect(second.events[0]).toEqual({ type: "session", sessionId: id });
    expect(joinedText(second.events)).toContain("This is turn 2 of this session.");
  });

  test("rate limit: APIError 429 with the ISO reset from the message", async () => {
    const t = await simTurn(
      "opencode",
      { prompt: TEXT_PROMPT, cwd: project(world, "ratelimit") },
      { home: world.home, fault: "ratelimit" },
    );
    expect(t.raw.map(sig)).toEqual(["error", "done"]);
    const message = t.raw[0]!.error.data.message as string;
    expect(t.events).toEqual([
      { type: "session", sessionId: t.raw[0]!.sessionID },
      {
        type: "error",
        kind: "rate_limit",
        fatal: true,
        message: `Simulator hit a usage or rate limit: ${message}`,
        resetsAt: /resets at (\S+)$/.exec(message)![1],
      },
      { type: "done", ok: false, totalCostUsd: 0 },
    ]);
    expect(t.exit).toBeNull();
  });

  test("auth: APIError 401", async () => {
    const t = await simTurn("opencode", { prompt: TEXT_PROMPT, cwd: project(world, "auth") }, { home: world.home, fault: "auth" });
    expect(t.events.slice(1)).toEqual([
      { type: "error", kind: "auth", fatal: true, message: "Simulator is not logged in or its API key was rejected: invalid x-api-key." },
      { type: "done", ok: false, totalCostUsd: 0 },
    ]);
  });

  test("crash", async () => {
    const t = await simTurn("opencode", { prompt: TEXT_PROMPT, cwd: project(world, "crash") }, { home: world.home, fault: "crash" });
    expect(t.events.map((e) => e.type)).toEqual(["session", "text"]);
    expect(t.exit).toEqual({
      type: "error",
      kind: "crash",
      fatal: true,
      message: "Simulator crashed (exit 1): maestro-sim: simulated crash (MAESTRO_SIM_FAULT=crash)",
    });
  });

  test("malformed", async () => {
    const t = await simTurn(
      "opencode",
      { prompt: TEXT_PROMPT, cwd: project(world, "malformed") },
      { home: world.home, fault: "malformed" },
    );
    expect(t.events.map((e) => e.type)).toEqual(["session", "raw", "text", "usage", "done"]);
    expect(t.events[1]).toEqual({ type: "raw", line: t.run.lines[1] });
  });
});

const line = (o: unknown) => JSON.stringify(o);

describe("opencode parser on hand-written lines", () => {
  test("versions without `done`: the last step_finish with reason stop ends the turn at end of stream", () => {
    const p = createParser();
    const s = { sessionID: "ses_1" };
    expect(p.parse(line({ type: "step_start", ...s, part: {} }))).toEqual([{ type: "session", sessionId: "ses_1" }]);
    expect(p.parse(line({ type: "text", ...s, part: { text: "hi", messageID: "m" } }))).toEqual([
      { type: "text", text: "hi", messageId: "m" },
    ]);
    expect(
      p.parse(
        line({
          type: "step_finish",
          ...s,
          part: { reason: "stop", cost: 0.01, tokens: { input: 1, output: 2, reasoning: 3, cache: { read: 4, write: 5 } } },
        }),
      ),
    ).toEqual([{ type: "usage", inputTokens: 1, outputTokens: 5, cacheReadTokens: 4, cacheWriteTokens: 5, costUsd: 0.01 }]);
    expect(p.end!()).toEqual([{ type: "done", ok: true, result: "hi", totalCostUsd: 0.01 }]);
  });

  test("tool errors, running tools, rejected permissions, retry-after resets", () => {
    const p = createParser({ now: () => Date.parse("2026-05-01T00:00:00Z") });
    const s = { sessionID: "ses_2" };
    expect(
      p.parse(
        line({
          type: "tool_use",
          ...s,
          part: { id: "prt_1", callID: "c1", tool: "bash", state: { status: "error", input: { command: "false" }, error: "exit 1" } },
        }),
      ),
    ).toEqual([
      { type: "session", sessionId: "ses_2" },
      { type: "tool_call", id: "c1", name: "bash", input: { command: "false" }, status: "failed" },
      { type: "tool_result", id: "c1", output: "exit 1", isError: true },
    ]);
    expect(p.parse(line({ type: "tool_use", ...s, part: { id: "prt_2", tool: "task", state: { status: "running", input: {} } } }))).toEqual(
      [{ type: "tool_call", id: "prt_2", name: "task", input: {}, status: "running" }],
    );
    expect(
      p.parse(
        line({
          type: "error",
          ...s,
          error: { name: "APIError", data: { message: "Too Many Requests", statusCode: 429, responseHeaders: { "retry-after": "30" } } },
        }),
      ),
    ).toEqual([
      {
        type: "error",
        kind: "rate_limit",
        fatal: true,
        message: "OpenCode hit a usage or rate limit: Too Many Requests",
        resetsAt: "2026-05-01T00:00:30.000Z",
      },
    ]);
    expect(p.parse(line({ type: "done", ...s, reason: "idle", rejected: ["external_directory", "external_directory"] }))).toEqual([
      {
        type: "error",
        kind: "permission",
        fatal: false,
        message: "OpenCode turned down permission requests it could not ask about: external_directory.",
      },
      { type: "done", ok: false, totalCostUsd: 0 },
    ]);
    expect(p.parse(line({ type: "done", ...s }))).toEqual([]);
  });

  test("ProviderAuthError and unknown error shapes", () => {
    const p = createParser();
    expect(
      p.parse(
        line({ type: "error", sessionID: "s", error: { name: "ProviderAuthError", data: { providerID: "openai", message: "no key" } } }),
      )[1],
    ).toMatchObject({ kind: "auth", fatal: true });
    expect(
      createParser().parse(
        line({ type: "error", error: { name: "UnknownError", data: { message: "prompt is too long: 210000 tokens > 200000 maximum" } } }),
      )[0],
    ).toMatchObject({ kind: "context_full" });
    expect(createParser().parse(line({ type: "error", error: "weird" }))).toEqual([
      { type: "error", kind: "provider", fatal: true, message: "OpenCode reported an error: unknown error" },
    ]);
  });
});
