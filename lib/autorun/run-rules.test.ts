import { describe, expect, test } from "vitest";
import { runCopyName } from "./run-prompt";
import { gateBefore, madeProgress, nextLoop } from "./run-rules";

test.each([
  [{ done: 1, total: 5 }, { done: 2, total: 5 }, true],
  [{ done: 1, total: 5 }, { done: 1, total: 5 }, false],
  [{ done: 1, total: 5 }, { done: 1, total: 6 }, true],
  [{ done: 1, total: 5 }, { done: 1, total: 4 }, true],
])("progress %o → %o: %s", (a, b, want) => expect(madeProgress(a, b)).toBe(want));

const base = { loopEnabled: true, maxLoops: null, loop: 1, passTasksDone: 2, nonResetAllDone: null };
test.each([
  [{ ...base, loopEnabled: false }, false],
  [{ ...base, maxLoops: 2, loop: 2 }, false],
  [{ ...base, maxLoops: 2, loop: 1 }, true],
  [{ ...base, passTasksDone: 0 }, false],
  [{ ...base, nonResetAllDone: true }, false],
  [{ ...base, nonResetAllDone: false }, true],
])("loop decision %o → again %s", (s, again) => expect(nextLoop(s).again).toBe(again));

describe("review gate", () => {
  const reviews = [
    { line: 3, reason: "check the plan" },
    { line: 8, reason: "second" },
  ];
  test.each([
    [1, [], null],
    [4, [1], "check the plan"],
    [4, [], "check the plan"],
    [9, [1, 4], "second"],
    [10, [1, 4, 9], null],
  ])("task on line %i with done lines %o → %s", (line, done, want) => expect(gateBefore(line, done, reviews)?.reason ?? null).toBe(want));
});

test("run copy name", () => {
  expect(runCopyName("sub/Plan.md", new Date(2026, 10, 23, 9, 5, 7), 2)).toBe("runs/Plan-20261123-090507-loop-2.md");
});
