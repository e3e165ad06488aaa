import { describe, expect, test } from "vitest";
import { turnStatus } from "./agent-turn";

/**
 * The status decision alone: the race it settles (the participant timer firing while a "done"
 * outcome is being delivered) cannot be staged with real processes without timing games, so the
 * decision the turn makes from its flags is checked for each combination that matters.
 */
describe("turnStatus", () => {
  const base = { timedOut: false, interrupted: false, stopped: false };

  test("a done outcome wins over a timer that fired late", () => {
    expect(turnStatus({ ...base, timedOut: true, outcome: "done" })).toBe("done");
  });

  test("a timer that stopped the turn is a timeout", () => {
    expect(turnStatus({ ...base, timedOut: true, outcome: "stopped" })).toBe("timeout");
    expect(turnStatus({ ...base, timedOut: true, outcome: null })).toBe("timeout");
  });

  test("Stop and a shutdown", () => {
    expect(turnStatus({ ...base, stopped: true, outcome: "stopped" })).toBe("stopped");
    expect(turnStatus({ ...base, stopped: true, interrupted: true, outcome: "stopped" })).toBe("interrupted");
  });

  test("plain outcomes", () => {
    expect(turnStatus({ ...base, outcome: "done" })).toBe("done");
    expect(turnStatus({ ...base, outcome: "error" })).toBe("failed");
    expect(turnStatus({ ...base, outcome: null })).toBe("failed");
  });
});
