import { describe, expect, test } from "vitest";
import { DEFAULT_OPENAI_PRICE, openaiCostUsd, openaiPrice } from "./pricing";

describe("openai prices", () => {
  test.each<[string | null, number, number, number]>([
    ["gpt-5-codex", 1.25, 0.125, 10],
    ["gpt-5.1-codex-max", 1.25, 0.125, 10],
    ["gpt-5.1-codex-mini", 0.25, 0.025, 2],
    ["gpt-5-mini", 0.25, 0.025, 2],
    ["gpt-5-nano", 0.05, 0.005, 0.4],
    ["gpt-5.2-codex", 1.75, 0.175, 14],
    ["gpt-5.3-codex", 1.75, 0.175, 14],
    ["gpt-5.4", 2.5, 0.25, 15],
    ["gpt-5.4-mini", 0.75, 0.075, 4.5],
    ["gpt-5.5", 5, 0.5, 30],
    ["openai/GPT-5.5", 5, 0.5, 30],
    ["o3", 2, 0.5, 8],
    ["o4-mini", 1.1, 0.275, 4.4],
    ["gpt-oss-120b", 0, 0, 0],
    [null, DEFAULT_OPENAI_PRICE.input, DEFAULT_OPENAI_PRICE.cachedInput, DEFAULT_OPENAI_PRICE.output],
    ["some-future-model", DEFAULT_OPENAI_PRICE.input, DEFAULT_OPENAI_PRICE.cachedInput, DEFAULT_OPENAI_PRICE.output],
  ])("%s", (model, input, cachedInput, output) => {
    expect(openaiPrice(model)).toEqual({ input, cachedInput, output });
  });

  test("cost of a turn", () => {
    expect(openaiCostUsd("gpt-5-codex", { inputTokens: 1000, cachedInputTokens: 10_000, outputTokens: 500 })).toBe(0.0075);
    expect(openaiCostUsd("gpt-5-codex", { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 })).toBe(0);
  });
});
