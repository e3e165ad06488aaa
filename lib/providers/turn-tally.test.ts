import { describe, expect, test } from "vitest";
import { createTurnTally, REPLY_HEAD_CHARS } from "./turn-tally";

describe("turn tally", () => {
  test("sums usage, keeps the session, the reported totals and the reply", () => {
    const t = createTurnTally();
    t.take({ type: "session", sessionId: "s-1" });
    t.take({ type: "text", text: "Hello", messageId: "m1" });
    t.take({ type: "text", text: " world\nlast line ", messageId: "m1", delta: true });
    t.take({ type: "usage", inputTokens: 10, outputTokens: 5, costUsd: 0.01 });
    t.take({ type: "usage", inputTokens: 3, outputTokens: 2, cacheReadTokens: 4, cacheWriteTokens: 6, contextWindow: 200_000 });
    t.take({ type: "usage", inputTokens: 0, outputTokens: 0, cacheReadTokens: 1 });
    t.take({ type: "done", ok: true, reported: { costUsd: 0.5 } });
    expect(t.totals).toEqual({ inputTokens: 13, outputTokens: 7, costUsd: 0.01 });
    expect(t.cache).toEqual({ cacheReadTokens: 5, cacheWriteTokens: 6, contextWindow: 200_000 });
    expect(t.sessionId).toBe("s-1");
    expect(t.sawDone).toBe(true);
    expect(t.reported).toEqual({ costUsd: 0.5 });
    expect(t.failed).toBeNull();
    expect(t.replyHead).toBe("Hello world\nlast line ");
    expect(t.lastLine()).toBe("last line");
    expect(t.reply().text).toBe("Hello world\nlast line ");
  });

  test("the first fatal error is the one kept; warnings are not failures", () => {
    const t = createTurnTally();
    t.take({ type: "error", kind: "malformed", fatal: false, message: "a bad line" });
    t.take({ type: "error", kind: "rate_limit", fatal: true, message: "slow down" });
    t.take({ type: "error", kind: "crash", fatal: true, message: "then it crashed" });
    expect(t.failed).toMatchObject({ kind: "rate_limit", message: "slow down" });
    expect(t.sawDone).toBe(false);
  });

  test("separate messages are joined by a blank line in the head, which stops growing at its limit", () => {
    const t = createTurnTally();
    t.take({ type: "text", text: "first" });
    t.take({ type: "text", text: "second" });
    expect(t.replyHead).toBe("first\n\nsecond");
    t.take({ type: "text", text: "x".repeat(REPLY_HEAD_CHARS * 2) });
    expect(t.replyHead.length).toBe(REPLY_HEAD_CHARS);
    // The tail follows the newest message only.
    t.take({ type: "text", text: "done now" });
    expect(t.lastLine()).toBe("done now");
  });

  test("totals are a copy: a caller cannot change the tally", () => {
    const t = createTurnTally();
    t.take({ type: "usage", inputTokens: 1, outputTokens: 1 });
    t.totals.inputTokens = 99;
    expect(t.totals.inputTokens).toBe(1);
  });
});
