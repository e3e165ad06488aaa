import { expect, test } from "vitest";
import { decideWait } from "../../../lib/autorun/run-rules";
import { parseChecklist } from "../../../lib/autorun/checklist";
import { nextPassStates, states } from "./run-state";

test("a new pass keeps, for documents without reset, where a person was asked and what they let through", () => {
  const prev = states({ docStateJson: "[]" }, 2).map((s) => ({
    ...s,
    workPath: "/x",
    stalled: true,
    noProgress: 3,
    askedBefore: [1],
    reviewsPassed: [1],
    waitsForPerson: true,
  }));
  const next = states(
    { docStateJson: JSON.stringify(nextPassStates(prev, [{ resetOnCompletion: false }, { resetOnCompletion: true }])) },
    2,
  );
  expect(next[0]).toMatchObject({
    workPath: null,
    stalled: false,
    noProgress: 0,
    waitsForPerson: false,
    askedBefore: [1],
    reviewsPassed: [1],
  });
  expect(next[1]).toMatchObject({ askedBefore: [], reviewsPassed: [] });

  // The gate approved in the last pass is not "asked and unanswered" in this one: its task runs.
  const c = parseChecklist('- [x] a\n<!-- maestro:review reason="r" -->\n- [ ] b');
  const decision = decideWait({
    task: c.firstUnchecked!,
    tasks: c.tasks,
    reviews: c.reviews,
    passed: next[0]!.reviewsPassed,
    askedBefore: next[0]!.askedBefore,
  });
  expect(decision.action).toBe("run");
});
