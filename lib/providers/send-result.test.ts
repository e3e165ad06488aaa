import { describe, expect, test } from "vitest";
import { contextUsagePercent, sendResultFrom } from "./send-result";

describe("contextUsagePercent (desktop's estimateContextUsage)", () => {
  const u = { inputTokens: 1000, outputTokens: 500, cacheReadTokens: 200, cacheWriteTokens: 100 };
  test("claude counts input + cache reads + cache writes", () => {
    expect(contextUsagePercent(u, 200_000, "claude")).toBe(1); // 1300 / 200000 = 0.65 → 1
    expect(contextUsagePercent({ ...u, inputTokens: 99_700 }, 200_000, "claude")).toBe(50);
  });
  test("OpenAI-style CLIs count input + cache writes + output", () => {
    expect(contextUsagePercent({ ...u, inputTokens: 19_400 }, 40_000, "codex")).toBe(50); // 19400+100+500
  });
  test("null without a window or past it (sums over many calls); 0 when nothing was counted", () => {
    expect(contextUsagePercent(u, 0, "claude")).toBeNull();
    expect(contextUsagePercent({ ...u, inputTokens: 300_000 }, 200_000, "claude")).toBeNull();
    expect(contextUsagePercent({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, 1000, "gemini")).toBe(0);
  });
});

describe("sendResultFrom", () => {
  const base = { agent: { id: "a1", name: "api" }, tabId: "t1", turnId: "u1", dialect: "claude" as const, errorMessage: null };
  test("the default window when the CLI reports none; usage null without usage events", () => {
    const r = sendResultFrom({
      ...base,
      status: "done",
      events: [
        { type: "session", data: { sessionId: "s-9" } },
        { type: "text", data: { text: "Hello" } },
        { type: "usage", data: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 2, costUsd: 0.01 } },
        { type: "done", data: { ok: true } },
      ],
    });
    expect(r).toEqual({
      agentId: "a1",
      agentName: "api",
      sessionId: "t1",
      providerSessionId: "s-9",
      turnId: "u1",
      response: "Hello",
      success: true,
      usage: {
        inputTokens: 10,
        outputTokens: 5,
        cacheReadInputTokens: 2,
        cacheCreationInputTokens: 0,
        totalCostUsd: 0.01,
        contextWindow: 200_000,
        contextUsagePercent: 0,
      },
    });
    const quiet = sendResultFrom({ ...base, dialect: "gemini", status: "stopped", events: [{ type: "text", data: { text: "x" } }] });
    expect(quiet).toMatchObject({ success: false, response: null, usage: null, error: "The turn ended stopped." });
  });
});
