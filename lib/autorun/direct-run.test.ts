import { describe, expect, test } from "vitest";
import { DEFAULT_RUN_OPTIONS, directRunConfig, isRunCopy, moveItem, runAgainConfig, toggleSelected } from "./direct-run";
import { runConfigSchema, type RunConfig } from "./run-config";

const looped: RunConfig = {
  documents: [
    { filename: "plan.md", resetOnCompletion: true },
    { filename: "other.md", resetOnCompletion: false },
  ],
  loopEnabled: true,
  maxLoops: 3,
  prompt: "Do {{DOCUMENT_PATH}}",
  taskSelectionMode: "document",
  worktreeSettings: null,
};

describe("directRunConfig", () => {
  test("documents in the order given, with the defaults, and valid for the bridge as it is", () => {
    const config = directRunConfig(["b.md", "sprint/a.md"]);
    expect(config).toEqual({
      ...DEFAULT_RUN_OPTIONS,
      documents: [
        { filename: "b.md", resetOnCompletion: false },
        { filename: "sprint/a.md", resetOnCompletion: false },
      ],
    });
    expect(runConfigSchema.parse(config)).toEqual(config);
  });

  test("options and reset flags come from a base configuration", () => {
    expect(directRunConfig(["other.md", "plan.md", "new.md"], looped)).toEqual({
      ...looped,
      documents: [
        { filename: "other.md", resetOnCompletion: false },
        { filename: "plan.md", resetOnCompletion: true },
        { filename: "new.md", resetOnCompletion: false },
      ],
    });
  });
});

describe("runAgainConfig", () => {
  test("a loop copy runs as it stands: the run's options, never reset again", () => {
    expect(runAgainConfig("runs/plan-20260101-120000-loop-1.md", looped, "plan.md")).toEqual({
      ...looped,
      documents: [{ filename: "runs/plan-20260101-120000-loop-1.md", resetOnCompletion: false }],
    });
  });

  test("the original document keeps its own reset flag", () => {
    expect(runAgainConfig("plan.md", looped, "plan.md").documents).toEqual([{ filename: "plan.md", resetOnCompletion: true }]);
    expect(runAgainConfig("other.md", looped, null).documents).toEqual([{ filename: "other.md", resetOnCompletion: false }]);
  });

  test("isRunCopy", () => {
    expect(isRunCopy("runs/x.md")).toBe(true);
    expect(isRunCopy("runsheet.md")).toBe(false);
    expect(isRunCopy("sprint/runs/x.md")).toBe(false);
  });
});

describe("selection and order", () => {
  test("toggleSelected adds at the end and takes out", () => {
    let s = toggleSelected([], "b.md");
    s = toggleSelected(s, "a.md");
    s = toggleSelected(s, "c.md");
    expect(s).toEqual(["b.md", "a.md", "c.md"]);
    expect(toggleSelected(s, "a.md")).toEqual(["b.md", "c.md"]);
  });

  test.each([
    [1, -1, ["b", "a", "c"]],
    [1, 1, ["a", "c", "b"]],
    [0, -1, ["a", "b", "c"]],
    [2, 5, ["a", "b", "c"]],
    [7, 1, ["a", "b", "c"]],
  ])("moveItem(%i, %i)", (i, by, out) => {
    expect(moveItem(["a", "b", "c"], i, by)).toEqual(out);
  });
});
