import { describe, expect, test } from "vitest";
import { clip, firstParagraph } from "./summary";

describe("firstParagraph", () => {
  test.each([
    ["empty reply", "", ""],
    ["only whitespace", "  \n\n \t\n", ""],
    ["one line", "Fixed the login bug.", "Fixed the login bug."],
    ["stops at the first blank line", "Fixed the bug.\nIt was a race.\n\nDetails follow.", "Fixed the bug. It was a race."],
    ["skips leading headings", "# Summary\n## Changes\n\nRenamed the module.\n\nMore.", "Renamed the module."],
    ["a heading ends the paragraph", "Renamed it.\n## Details\nlots", "Renamed it."],
    ["skips a leading code fence", "```ts\nconst x = 1;\n\nconst y = 2;\n```\nThe constant is set.\n\nnext", "The constant is set."],
    ["a fence ends the paragraph", "Run this:\n```sh\nnpm test\n```", "Run this:"],
    ["tilde fences and longer closers", "~~~\ncode\n~~~~\nAfter.", "After."],
    ["only code gives nothing", "```\nonly code\n```", ""],
    ["only headings fall back to the first", "# Done ##\n## Other", "Done"],
    ["skips rules", "---\n\n***\nText here.", "Text here."],
    ["CRLF line ends", "First line\r\nsecond\r\n\r\nthird", "First line second"],
    ["plain text from markdown", "Updated **`src/app.ts`** and [the docs](https://x.y/z).", "Updated src/app.ts and the docs."],
    ["block quotes", "> Quoted answer\n> goes on", "Quoted answer goes on"],
    ["an Auto Run task reply, indented", "  Ticked task 'one'\nin plan.md.\n\nrest", "Ticked task 'one' in plan.md."],
  ])("%s", (_name, input, expected) => {
    expect(firstParagraph(input)).toBe(expected);
  });

  test("a very long paragraph is clipped at a word with an ellipsis", () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ");
    const out = firstParagraph(long, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out.endsWith("…")).toBe(true);
    expect(long.startsWith(out.slice(0, -1))).toBe(true);
    expect(out.slice(0, -1)).toMatch(/word\d+$/);
  });
});

describe("clip", () => {
  test.each([
    ["short", 10, "short"],
    ["exactly ten", 11, "exactly ten"],
    ["hello wonderful world", 18, "hello wonderful…"],
    ["a word too long to break nicely", 12, "a word too…"],
    ["hi incomprehensibilities", 12, "hi incompre…"],
    ["abcdefghijklmnop", 8, "abcdefg…"],
    ["one, two, three", 10, "one, two…"],
  ])("clip(%j, %d)", (text, max, expected) => {
    const out = clip(text, max);
    expect(out).toBe(expected);
    expect(out.length).toBeLessThanOrEqual(max);
  });
});
