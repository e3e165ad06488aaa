import { describe, expect, test } from "vitest";
import { runCopyName } from "./run-prompt";
import { parseChecklist } from "./checklist";
import { decideWait, gateBefore, madeProgress, nextLoop, waitsForPerson } from "./run-rules";

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

test("the loop's end says when documents wait for a person", () => {
  expect(nextLoop({ ...base, nonResetAllDone: true, nonResetWaiting: 2 })).toEqual({
    again: false,
    reason: "Every document without reset is done or waits for a person (2).",
  });
});

describe("waits for a person", () => {
  test.each<[string, string, boolean]>([
    ["nothing left", "- [x] a", false],
    ["agent work left", "- [x] a\n- [ ] b", false],
    ["only a human task left", "- [x] a\n- [ ] (human) sign", true],
    ["only tasks behind a gate", '- [x] a\n<!-- maestro:review reason="r" -->\n- [ ] b\n- [ ] c', true],
    ["a gate consumed by a ticked task below it", "- [x] a\n<!-- maestro:review -->\n- [x] b\n- [ ] c", false],
    ["a human task, then agent work after it", "- [ ] human: sign\n- [ ] b", false],
    ["a HITL gate then a human task", '<!-- MAESTRO:HITL reason="r" -->\n- [ ] Human approved\n- [ ] [human] deploy', true],
  ])("%s", (_name, md, want) => expect(waitsForPerson(parseChecklist(md))).toBe(want));
});

describe("before a task: must a person act first?", () => {
  const decide = (md: string, passed: number[] = [], askedBefore: number[] = []) => {
    const c = parseChecklist(md);
    const d = decideWait({ task: c.firstUnchecked!, tasks: c.tasks, reviews: c.reviews, passed, askedBefore });
    return d.action === "run" ? "run" : `${d.action} ${d.at.kind}@${d.at.line}`;
  };
  const gated = '- [x] a\n<!-- MAESTRO:HITL reason="r" artifact="x.md" -->\n- [ ] b';
  test.each<[string, string, number[], number[], string]>([
    ["a plain task runs", "- [ ] a", [], [], "run"],
    ["a gate pauses", gated, [], [], "pause hitl@1"],
    ["a gate let through runs", gated, [1], [], "run"],
    ["a gate asked about in an earlier pass is skipped", gated, [], [1], "skip hitl@1"],
    ["a human task pauses", "- [x] a\n- [ ] (human) b", [], [], "pause human@1"],
    ["a human task let through leaves the document", "- [x] a\n- [ ] (human) b", [1], [], "leave human@1"],
    ["a human task asked about before is skipped", "- [x] a\n- [ ] (human) b", [], [1], "skip human@1"],
    ["a gate before a human task: the gate first", "<!-- maestro:review -->\n- [ ] (human) b", [], [], "pause review@0"],
    ["then the human task", "<!-- maestro:review -->\n- [ ] (human) b", [0], [], "pause human@1"],
  ])("%s", (_name, md, passed, asked, want) => expect(decide(md, passed, asked)).toBe(want));
});

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
