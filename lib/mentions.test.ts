import { describe, expect, test } from "vitest";
import { activeMention, applyMention, rankPaths, scorePath } from "./mentions";

describe("activeMention", () => {
  test.each([
    ["look at @src/ma", 15, { start: 8, query: "src/ma" }],
    ["@", 1, { start: 0, query: "" }],
    ["mail me@example.com", 19, null],
    ["@a b", 4, null],
    ["x @abc", 4, { start: 2, query: "a" }],
  ])("%j at %i", (text, caret, expected) => {
    expect(activeMention(text, caret)).toEqual(expected);
  });
});

describe("ranking", () => {
  const paths = ["src/main.ts", "src/lib/maestro.ts", "README.md", "docs/manual.md", "test/main.test.ts"];
  test("file-name prefix beats scattered matches", () => {
    expect(rankPaths(paths, "main")[0]).toBe("src/main.ts");
    expect(rankPaths(paths, "readme")).toEqual(["README.md"]);
  });
  test("characters must appear in order", () => {
    expect(scorePath("abc", "cb")).toBeNull();
    expect(rankPaths(paths, "zzz")).toEqual([]);
  });
  test("empty query lists shortest paths first, limited", () => {
    expect(rankPaths(paths, "", 2)).toEqual(["README.md", "src/main.ts"]);
  });
});

test("applyMention inserts the path and quotes spaces", () => {
  expect(applyMention("see @ma now", { start: 4, query: "ma" }, "src/main.ts")).toEqual({ text: "see @src/main.ts  now", caret: 17 });
  expect(applyMention("@x", { start: 0, query: "x" }, "my file.md").text).toBe('@"my file.md" ');
});
