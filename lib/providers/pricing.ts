/**
 * Prices of OpenAI models for turns whose CLI reports tokens but no cost (codex).
 * USD per million tokens: standard (not Batch/Flex/Priority) tier.
 * Source: OpenAI API pricing (developers.openai.com/api/docs/pricing) and the Codex rate card in
 * the OpenAI Help Center, as republished in May–June 2026; checked 2026-06. Cost is an estimate:
 * a ChatGPT-plan login is billed by plan, not by token.
 */

export interface ModelPrice {
  input: number;
  cachedInput: number;
  output: number;
}

const p = (input: number, cachedInput: number, output: number): ModelPrice => ({ input, cachedInput, output });

/** First match wins, so the more specific names come first. */
const OPENAI_PRICES: [RegExp, ModelPrice][] = [
  [/^gpt-oss/, p(0, 0, 0)], // open weights, run locally (codex --oss)
  [/^gpt-5\.5-pro/, p(30, 30, 180)],
  [/^gpt-5\.5/, p(5, 0.5, 30)],
  [/^gpt-5\.4-pro/, p(30, 30, 180)],
  [/^gpt-5\.4-nano/, p(0.2, 0.02, 1.25)],
  [/^gpt-5\.4-mini/, p(0.75, 0.075, 4.5)],
  [/^gpt-5\.4/, p(2.5, 0.25, 15)],
  [/^gpt-5\.3-codex-spark/, p(0, 0, 0)], // research preview, not charged
  [/^gpt-5\.[23]-pro/, p(21, 21, 168)],
  [/^gpt-5\.[23]/, p(1.75, 0.175, 14)],
  [/^gpt-5(?:\.\d+)?-pro/, p(15, 15, 120)],
  [/^gpt-5(?:\.\d+)?(?:-codex)?-nano/, p(0.05, 0.005, 0.4)],
  [/^gpt-5(?:\.\d+)?(?:-codex)?-mini|^codex-mini/, p(0.25, 0.025, 2)],
  [/^gpt-5/, p(1.25, 0.125, 10)], // gpt-5, gpt-5-codex, gpt-5.1, gpt-5.1-codex(-max)
  [/^o1-pro/, p(150, 150, 600)],
  [/^o1/, p(15, 7.5, 60)],
  [/^o3-pro/, p(20, 20, 80)],
  [/^o3-mini/, p(1.1, 0.55, 4.4)],
  [/^o3/, p(2, 0.5, 8)],
  [/^o4-mini/, p(1.1, 0.275, 4.4)],
  [/^gpt-4\.1-nano/, p(0.1, 0.025, 0.4)],
  [/^gpt-4\.1-mini/, p(0.4, 0.1, 1.6)],
  [/^gpt-4\.1/, p(2, 0.5, 8)],
  [/^gpt-4o-mini/, p(0.15, 0.075, 0.6)],
  [/^gpt-4o/, p(2.5, 1.25, 10)],
];

/** When the model is unknown (codex's configured default): the current mid-range gpt-5.4 price. */
export const DEFAULT_OPENAI_PRICE: ModelPrice = p(2.5, 0.25, 15);

export function openaiPrice(model: string | null | undefined): ModelPrice {
  const m = (model ?? "")
    .trim()
    .toLowerCase()
    .replace(/^openai\//, "");
  if (!m) return DEFAULT_OPENAI_PRICE;
  for (const [re, price] of OPENAI_PRICES) if (re.test(m)) return price;
  return DEFAULT_OPENAI_PRICE;
}

/** USD for a turn; `inputTokens` excludes the cached ones. Rounded to 1e-8 like the CLIs do. */
export function openaiCostUsd(
  model: string | null | undefined,
  t: { inputTokens: number; cachedInputTokens: number; outputTokens: number },
): number {
  const price = openaiPrice(model);
  const usd = (t.inputTokens * price.input + t.cachedInputTokens * price.cachedInput + t.outputTokens * price.output) / 1e6;
  return Math.round(usd * 1e8) / 1e8;
}
