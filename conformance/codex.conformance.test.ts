/**
 * Real `codex` (@openai/codex, pinned in tools.json) through Maestro's codex adapter and turn
 * runner, against the scripted OpenAI Responses server (a custom model provider in
 * $CODEX_HOME/config.toml).
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { describeCli, describeTurn, useWorld, xdgEnv, type World } from "./harness";
import { allText, messageText, type Usage } from "./servers/common";
import { responsesToolOutputs, startResponsesServer } from "./servers/openai-responses";

const MODEL = "gpt-5.5";
/** Each scripted reply: 150 input tokens of which 50 cached, 20 output. */
const USAGE: Usage = { input: 100, cacheRead: 50, output: 20 };
// Codex reports no cost; Maestro prices gpt-5.5 at $5 input, $0.50 cached input, $30 output per
// million tokens (lib/providers/pricing.ts): 100 × 5 + 50 × 0.5 + 20 × 30 = 1125 µ$ per reply.
const ONE_REPLY_USD = 0.001125;
const TWO_REPLIES_USD = 0.00225;

const UUID = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

function writeConfig(w: World) {
  const codexHome = path.join(w.home, ".codex");
  fs.mkdirSync(codexHome, { recursive: true });
  fs.writeFileSync(
    path.join(codexHome, "config.toml"),
    [
      `model = "${MODEL}"`,
      `model_provider = "conformance"`,
      "",
      "[model_providers.conformance]",
      `name = "Conformance"`,
      `base_url = "${w.server.url}/v1"`,
      `wire_api = "responses"`,
      `env_key = "CONFORMANCE_OPENAI_KEY"`,
      "stream_max_retries = 0",
      "request_max_retries = 0",
      "",
      "[analytics]",
      "enabled = false",
      "",
      "[features]",
      "plugins = false",
      "unbounded_connection_retries = false",
      "",
    ].join("\n"),
  );
}

function settings(w: World, binary: string) {
  return {
    binaryPath: binary,
    model: MODEL,
    env: { ...xdgEnv(w.home), CODEX_HOME: path.join(w.home, ".codex"), CONFORMANCE_OPENAI_KEY: "sk-conformance" },
  };
}

function textTurnEvents(
  prompt: string,
  sessionId: unknown,
  text: string,
  reported: unknown = { inputTokens: 150, cacheReadTokens: 50, outputTokens: 20 },
) {
  return [
    { type: "prompt", prompt, images: 0 },
    { type: "session", sessionId },
    { type: "text", text, messageId: expect.stringMatching(/^item_\d+$/) },
    { type: "usage", inputTokens: 100, outputTokens: 20, cacheReadTokens: 50, costUsd: ONE_REPLY_USD },
    { type: "done", ok: true, result: text, totalCostUsd: ONE_REPLY_USD, reported },
    { type: "turn_end", status: "done", durationMs: expect.any(Number), inputTokens: 100, outputTokens: 20, costUsd: ONE_REPLY_USD },
  ];
}

describeCli("codex", (binary) => {
  const w = useWorld("codex", startResponsesServer, writeConfig);
  let first: { tabId: string; sessionId: string; prompt: string; reply: string } | undefined;

  test("a text turn", async () => {
    const { tabId } = await w.newTab(settings(w, binary));
    const prompt = "Say hello to the conformance suite";
    const reply = "Hello from the scripted model.";
    w.server.script({ text: reply, usage: USAGE });
    const r = await w.runTurn(tabId, prompt);
    expect(r.turn.status, describeTurn(r)).toBe("done");
    const sessionId = (r.events.find((e) => e.type === "session")?.sessionId ?? "") as string;
    expect(sessionId).toEqual(UUID);
    expect(r.events).toEqual(textTurnEvents(prompt, sessionId, reply));
    expect(r.turn).toMatchObject({ inputTokens: 100, outputTokens: 20, errorKind: null, errorMessage: null });
    expect(r.turn.costUsd).toBeCloseTo(ONE_REPLY_USD, 12);
    expect((await w.services.tabs.byId(tabId)).providerSessionId).toBe(sessionId);
    const main = r.requests.filter((q) => q.kind === "main");
    expect(main).toHaveLength(1);
    expect((main[0]!.body as any).model).toBe(MODEL);
    expect(allText((main[0]!.body as any).input)).toContain(prompt);
    // It works in the agent's folder: the CLI told the model so.
    expect(allText((main[0]!.body as any).input)).toContain(w.project);
    expect(w.server.problems).toEqual([]);
    first = { tabId, sessionId, prompt, reply };
  });

  test("a turn where the model writes a file with apply_patch, then answers", async () => {
    const { tabId } = await w.newTab(settings(w, binary));
    const file = path.join(w.project, "hello-codex.txt");
    const content = "written by codex\nthrough apply_patch\n";
    const prompt = "Create hello-codex.txt";
    w.server.script({ writeFile: { path: file, content }, usage: USAGE }, { text: "I wrote hello-codex.txt.", usage: USAGE });
    const r = await w.runTurn(tabId, prompt);
    expect(r.turn.status, describeTurn(r)).toBe("done");
    expect(fs.readFileSync(file, "utf8")).toBe(content);

    const main = r.requests.filter((q) => q.kind === "main");
    expect(main).toHaveLength(2);
    const call = main[0]!.toolCall!;
    expect(call.name).toBe("apply_patch");
    const outputs = responsesToolOutputs(main[1]!.body);
    expect(outputs).toEqual([{ callId: call.callId, output: expect.stringContaining(`Success. Updated the following files:\nA ${file}`) }]);

    const sessionId = r.events.find((e) => e.type === "session")?.sessionId;
    expect(sessionId).toEqual(UUID);
    const changes = [{ path: file, kind: "add" }];
    const itemId = expect.stringMatching(/^item_\d+$/);
    expect(r.events).toEqual([
      { type: "prompt", prompt, images: 0 },
      { type: "session", sessionId },
      { type: "tool_call", id: itemId, name: "file_change", input: { changes }, status: "running" },
      { type: "tool_call", id: itemId, name: "file_change", input: { changes }, status: "completed" },
      { type: "tool_result", id: itemId, output: `add ${file}`, isError: false },
      { type: "text", text: "I wrote hello-codex.txt.", messageId: itemId },
      { type: "usage", inputTokens: 200, outputTokens: 40, cacheReadTokens: 100, costUsd: TWO_REPLIES_USD },
      {
        type: "done",
        ok: true,
        result: "I wrote hello-codex.txt.",
        totalCostUsd: TWO_REPLIES_USD,
        reported: { inputTokens: 300, cacheReadTokens: 100, outputTokens: 40 },
      },
      { type: "turn_end", status: "done", durationMs: expect.any(Number), inputTokens: 200, outputTokens: 40, costUsd: TWO_REPLIES_USD },
    ]);
    const ids = r.events.filter((e) => e.type === "tool_call" || e.type === "tool_result").map((e) => e.id);
    expect(new Set(ids).size).toBe(1);
    expect(r.turn).toMatchObject({ inputTokens: 200, outputTokens: 40 });
    expect(r.turn.costUsd).toBeCloseTo(TWO_REPLIES_USD, 12);
    expect(w.server.problems).toEqual([]);
  });

  test("a second prompt in the same tab resumes the session", async () => {
    expect(first, "the text turn must have passed first").toBeDefined();
    const prompt = "And now a follow-up";
    const reply = "Follow-up answer.";
    w.server.script({ text: reply, usage: USAGE });
    const r = await w.runTurn(first!.tabId, prompt);
    expect(r.turn.status, describeTurn(r)).toBe("done");
    // Same events as a first turn, on the same thread; the numbers are checked last.
    const numbers = (e: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(e).map(([k, v]) => [k, /Tokens$|[cC]ostUsd$/.test(k) ? expect.any(Number) : v]));
    // What codex reports is the thread's total (kept per tab as the next baseline).
    const threadTotals = { inputTokens: expect.any(Number), cacheReadTokens: expect.any(Number), outputTokens: expect.any(Number) };
    expect(r.events).toEqual(textTurnEvents(prompt, first!.sessionId, reply, threadTotals).map(numbers));
    expect((await w.services.tabs.byId(first!.tabId)).providerSessionId).toBe(first!.sessionId);
    // The model saw the earlier conversation (codex sends the whole history as `input`).
    const main = r.requests.filter((q) => q.kind === "main");
    expect(main).toHaveLength(1);
    const input = (main[0]!.body as any).input as { type: string; role?: string; content?: unknown }[];
    const said = input
      .filter((i) => i.type === "message")
      .map((m) => `${m.role}: ${messageText(m.content)}`)
      .join("\n");
    expect(said).toContain(first!.prompt);
    expect(said).toContain(`assistant: ${first!.reply}`);
    expect(said.indexOf(first!.prompt)).toBeLessThan(said.lastIndexOf(prompt));
    expect(w.server.problems).toEqual([]);
    // This turn made one request (150 in, 50 of them cached, 20 out). codex 0.169.0's
    // `exec … resume` reports turn.completed usage for the whole thread (this turn plus every
    // earlier one), so the turn must not take it as its own.
    const usage = r.events.filter((e) => e.type === "usage");
    expect
      .soft(usage, "usage of a resumed codex turn (turn.completed is thread-cumulative on resume)")
      .toEqual([{ type: "usage", inputTokens: 100, outputTokens: 20, cacheReadTokens: 50, costUsd: ONE_REPLY_USD }]);
    expect.soft(r.turn, "Turn row of a resumed codex turn").toMatchObject({ inputTokens: 100, outputTokens: 20 });
    expect.soft(r.turn.costUsd, "Turn.costUsd of a resumed codex turn").toBeCloseTo(ONE_REPLY_USD, 12);
  });
});
