import { describe, expect, it } from "vitest";
import { formatCost, formatDuration, formatElapsed, formatTokens } from "./format";
import { editQueued, enqueue, moveQueued, parseQueue, removeQueued } from "./queue";
import { clip, formatToolInput, summarizeToolInput } from "./tools";

describe("format", () => {
  it("shows cost with four decimals", () => {
    expect(formatCost(0)).toBe("$0.0000");
    expect(formatCost(0.012345)).toBe("$0.0123");
    expect(formatCost(1.5)).toBe("$1.5000");
    expect(formatCost(NaN)).toBe("$0.0000");
    expect(formatCost(12345)).toBe("$12,345");
  });
  it("shortens token counts", () => {
    expect(formatTokens(0)).toBe("0");
    expect(formatTokens(950)).toBe("950");
    expect(formatTokens(1200)).toBe("1.2k");
    expect(formatTokens(1234)).toBe("1.23k");
    expect(formatTokens(12_345)).toBe("12.3k");
    expect(formatTokens(2_500_000)).toBe("2.5M");
  });
  it("formats durations", () => {
    expect(formatDuration(840)).toBe("0.8 s");
    expect(formatDuration(12_400)).toBe("12 s");
    expect(formatDuration(125_000)).toBe("2 min 05 s");
    expect(formatDuration(3_780_000)).toBe("1 h 03 min");
    expect(formatElapsed(12_900)).toBe("12 s");
    expect(formatElapsed(-5)).toBe("0 s");
  });
});

describe("tool summaries", () => {
  it("picks the telling field", () => {
    expect(summarizeToolInput("Bash", { command: "npm test\n  --watch", description: "run" })).toBe("npm test --watch");
    expect(summarizeToolInput("Write", { file_path: "/p/hello.txt", content: "hi" })).toBe("/p/hello.txt");
    expect(summarizeToolInput("Grep", { pattern: "TODO", path: "src" })).toBe("TODO in src");
    expect(
      summarizeToolInput("file_change", {
        changes: [
          { path: "a.txt", kind: "add" },
          { path: "b", kind: "update" },
        ],
      }),
    ).toBe("add a.txt, update b");
    expect(
      summarizeToolInput("todo_list", {
        items: [
          { text: "a", completed: true },
          { text: "b", completed: false },
        ],
      }),
    ).toBe("2 items, 1 done");
    expect(summarizeToolInput("x", { weird: 1 })).toBe('{"weird":1}');
    expect(summarizeToolInput("x", {})).toBe("");
    expect(summarizeToolInput("x", null)).toBe("");
    expect(summarizeToolInput("x", "raw text")).toBe("raw text");
  });
  it("clips long text", () => {
    expect(clip("a".repeat(200), 10)).toBe(`${"a".repeat(9)}…`);
  });
  it("formats input for the expanded row", () => {
    expect(formatToolInput({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatToolInput("x")).toBe("x");
    expect(formatToolInput(undefined)).toBe("");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatToolInput(cyclic)).toBe("[object Object]");
  });
});

describe("queue", () => {
  const q = enqueue(enqueue(enqueue([], "one", "a", 1), "two", "b", 2), "three", "c", 3);
  it("adds, edits, removes and reorders", () => {
    expect(q.map((m) => m.text)).toEqual(["one", "two", "three"]);
    expect(enqueue(q, "   ", "d", 4)).toHaveLength(3);
    expect(editQueued(q, "b", "TWO").map((m) => m.text)).toEqual(["one", "TWO", "three"]);
    expect(editQueued(q, "b", " ").map((m) => m.id)).toEqual(["a", "c"]);
    expect(removeQueued(q, "a").map((m) => m.id)).toEqual(["b", "c"]);
    expect(moveQueued(q, "c", -1).map((m) => m.id)).toEqual(["a", "c", "b"]);
    expect(moveQueued(q, "a", -1).map((m) => m.id)).toEqual(["a", "b", "c"]);
    expect(moveQueued(q, "c", 1).map((m) => m.id)).toEqual(["a", "b", "c"]);
  });
  it("parses stored queues tolerantly", () => {
    expect(parseQueue(JSON.stringify(q))).toEqual(q);
    expect(parseQueue(null)).toEqual([]);
    expect(parseQueue("{not json")).toEqual([]);
    expect(parseQueue(JSON.stringify({ a: 1 }))).toEqual([]);
    expect(
      parseQueue(
        JSON.stringify([
          { id: "x", text: "ok" },
          { id: 1, text: "bad" },
          { id: "y", text: "  " },
        ]),
      ),
    ).toEqual([{ id: "x", text: "ok", at: 0 }]);
  });
});
