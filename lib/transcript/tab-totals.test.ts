import { describe, expect, it } from "vitest";
import { buildTranscript, type TranscriptEvent } from "./build";
import { tabTotals, type TabSnapshot } from "./tab-totals";

let nextId = 1000;
function ev(turnId: string, type: string, data: Record<string, unknown> = {}): TranscriptEvent {
  const id = nextId++;
  return { id, turnId, type, data, at: new Date(1_700_000_000_000 + id * 1000).toISOString() };
}

/** A finished turn using `n` thousand tokens in, n hundred out, n cents. */
function finished(turnId: string, n: number): TranscriptEvent[] {
  return [
    ev(turnId, "prompt", { prompt: `prompt ${turnId}`, images: 0 }),
    ev(turnId, "text", { text: "ok" }),
    ev(turnId, "turn_end", { status: "done", durationMs: 10, inputTokens: n * 1000, outputTokens: n * 100, costUsd: n / 100 }),
  ];
}
/** A turn still running, with the usage reported so far. */
function running(turnId: string, n: number): TranscriptEvent[] {
  return [
    ev(turnId, "prompt", { prompt: `prompt ${turnId}`, images: 0 }),
    ev(turnId, "usage", { inputTokens: n * 1000, outputTokens: n * 100, costUsd: n / 100 }),
  ];
}
const usage = (n: number) => ({ inputTokens: n * 1000, outputTokens: n * 100, costUsd: n / 100 });
/** Exact counts; cost to the cent's float error. */
function expectTotals(
  got: { turns: number; usage: { inputTokens: number; outputTokens: number; costUsd: number } },
  turns: number,
  n: number,
) {
  expect({ turns: got.turns, inputTokens: got.usage.inputTokens, outputTokens: got.usage.outputTokens }).toEqual({
    turns,
    inputTokens: n * 1000,
    outputTokens: n * 100,
  });
  expect(got.usage.costUsd).toBeCloseTo(n / 100, 10);
}
const snapshot = (count: number, newestTurnId: string | null, n: number, isRunning = false): TabSnapshot => ({
  count,
  newestTurnId,
  running: isRunning,
  totals: usage(n),
});

describe("tabTotals", () => {
  it("a tab loaded whole is counted from its transcript, live", () => {
    const t = buildTranscript([...finished("a", 1), ...running("b", 2)]);
    expectTotals(tabTotals(t, snapshot(2, "b", 1, true)), 2, 3);
    expectTotals(tabTotals(t, undefined), 2, 3);
  });

  it("a long tab with only its newest turns loaded counts every turn (500 turns, 2 loaded)", () => {
    const t = buildTranscript([...finished("t499", 1), ...finished("t500", 2)]);
    expectTotals(tabTotals(t, snapshot(500, "t500", 700)), 500, 700);
  });

  it("the turn running when the snapshot was taken adds its live usage once", () => {
    const t = buildTranscript([...finished("t9", 1), ...running("t10", 4)]);
    // The snapshot counted t10 as 0: its 4 come from the stream.
    expectTotals(tabTotals(t, snapshot(10, "t10", 50, true)), 10, 54);
  });

  it("turns that started after a stale snapshot are added, and not twice", () => {
    const t = buildTranscript([...finished("t9", 1), ...finished("t10", 2), ...finished("t11", 3), ...running("t12", 1)]);
    // Taken when t10 was the newest and already done (its 2 are inside the 40).
    expectTotals(tabTotals(t, snapshot(10, "t10", 40)), 12, 44);
  });

  it("before the snapshot's newest turn is loaded, the snapshot is all there is", () => {
    const t = buildTranscript([...finished("t1", 1)]);
    expectTotals(tabTotals(t, snapshot(30, "t30", 90)), 30, 90);
  });
});
