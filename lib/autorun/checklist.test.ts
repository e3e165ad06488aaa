import { describe, expect, test } from "vitest";
import { clearHalt, codeLines, parseChecklist, setTaskDone, StaleTaskError, type ChecklistTask } from "./checklist";

/** [text, done, depth] of every task, the shape most cases compare. */
const shape = (md: string) => parseChecklist(md).tasks.map((t) => [t.text, t.done, t.depth]);

describe("what counts as a task", () => {
  test.each<[string, string, (string | boolean | number)[][]]>([
    [
      "dash, star, plus bullets",
      "- [ ] a\n* [ ] b\n+ [ ] c",
      [
        ["a", false, 0],
        ["b", false, 0],
        ["c", false, 0],
      ],
    ],
    [
      "done marks x X ✓ ✔",
      "- [x] a\n- [X] b\n- [✓] c\n- [✔] d\n- [✔️] e",
      [
        ["a", true, 0],
        ["b", true, 0],
        ["c", true, 0],
        ["d", true, 0],
        ["e", true, 0],
      ],
    ],
    [
      "spaces inside the box",
      "- [  ] wide\n- [ x ] padded",
      [
        ["wide", false, 0],
        ["padded", true, 0],
      ],
    ],
    ["other box contents are not tasks", "- [] empty\n- [y] y\n- [-] dash\n- [xx] two", []],
    ["the box needs a space after it", "- [ ]no space\n- [ ] yes", [["yes", false, 0]]],
    ["the bullet needs a space before the box", "-[ ] a\n- [ ] b", [["b", false, 0]]],
    ["numbered items do not count", "1. [ ] one\n2) [x] two\n- [ ] real", [["real", false, 0]]],
    ["text is trimmed and keeps inner markdown", "-   [ ]   **bold** `code`  ", [["**bold** `code`", false, 0]]],
    ["plain bullets and links are not tasks", "- item\n- [link](x)\n[ ] bare box", []],
    [
      "nested tasks count, depth from indentation",
      "- [ ] a\n  - [ ] b\n    - [x] c\n  - [ ] d\n- [ ] e",
      [
        ["a", false, 0],
        ["b", false, 1],
        ["c", true, 2],
        ["d", false, 1],
        ["e", false, 0],
      ],
    ],
    [
      "nested under a plain bullet or a number",
      "- parent\n  - [ ] child\n1. step\n   - [ ] sub",
      [
        ["child", false, 1],
        ["sub", false, 1],
      ],
    ],
    [
      "tabs indent (a tab is 4 columns)",
      "- [ ] a\n\t- [ ] b\n\t\t- [x] c",
      [
        ["a", false, 0],
        ["b", false, 1],
        ["c", true, 2],
      ],
    ],
    ["tab after the bullet", "-\t[ ]\ttabbed", [["tabbed", false, 0]]],
    [
      "a heading resets nesting",
      "- [ ] a\n# H\n  - [ ] b",
      [
        ["a", false, 0],
        ["b", false, 0],
      ],
    ],
    [
      "CRLF line ends",
      "- [ ] a\r\n  - [x] b\r\n",
      [
        ["a", false, 0],
        ["b", true, 1],
      ],
    ],
    [
      "unicode text",
      "- [ ] café ☕ 日本語 🚀\n- [✓] Ünïcödé",
      [
        ["café ☕ 日本語 🚀", false, 0],
        ["Ünïcödé", true, 0],
      ],
    ],
    // GitHub renders task lists inside blockquotes as checkboxes, so they are tasks here too.
    [
      "a checkbox in a blockquote is a task",
      "> - [ ] quoted\n> > * [x] deeper\n>- [ ] tight",
      [
        ["quoted", false, 0],
        ["deeper", true, 0],
        ["tight", false, 0],
      ],
    ],
  ])("%s", (_name, md, expected) => {
    expect(shape(md)).toEqual(expected);
  });
});

describe("code fences hide tasks", () => {
  test.each<[string, string, string[]]>([
    ["backtick fence", "- [ ] a\n```\n- [ ] hidden\n```\n- [ ] b", ["a", "b"]],
    ["tilde fence", "~~~md\n- [ ] hidden\n~~~\n- [ ] b", ["b"]],
    ["longer fence needs a longer close", "````\n```\n- [ ] hidden\n````\n- [ ] b", ["b"]],
    ["tilde does not close backticks", "```\n~~~\n- [ ] hidden\n```\n- [ ] b", ["b"]],
    ["indented fence inside a list item", "- [ ] a\n  ```sh\n  - [ ] hidden\n  ```\n- [ ] b", ["a", "b"]],
    ["fence in a blockquote", "> ```\n> - [ ] hidden\n> ```\n> - [ ] b", ["b"]],
    ["unclosed fence runs to the end", "- [ ] a\n```\n- [ ] hidden", ["a"]],
    ["inline backticks are not a fence", "``` x ` y\n- [ ] b", ["b"]],
    ["CRLF fences", "```\r\n- [ ] hidden\r\n```\r\n- [ ] b\r\n", ["b"]],
  ])("%s", (_name, md, expected) => {
    expect(parseChecklist(md).tasks.map((t) => t.text)).toEqual(expected);
  });
});

describe("counts and positions", () => {
  const md = "# Plan\r\n- [x] one\r\n  - [ ] two ☕\r\n- [✓] three\r\n- [ ] four\r\n";
  const c = parseChecklist(md);

  test("totals and first unchecked", () => {
    expect([c.total, c.done]).toEqual([4, 2]);
    expect(c.firstUnchecked?.text).toBe("two ☕");
    expect(c.firstUnchecked?.index).toBe(1);
  });

  test("offsets point into the source", () => {
    for (const t of c.tasks) {
      expect(md.slice(t.lineStart).startsWith(md.split("\n")[t.line]!)).toBe(true);
      expect(md[t.boxOffset - 1]).toBe("[");
      expect(md[t.boxOffset + t.boxLength]).toBe("]");
    }
    expect(c.tasks.map((t) => t.line)).toEqual([1, 2, 3, 4]);
  });

  test("empty and all-done documents", () => {
    expect(parseChecklist("")).toMatchObject({ total: 0, done: 0, firstUnchecked: null, halt: null, reviews: [] });
    expect(parseChecklist("- [x] a\n- [X] b").firstUnchecked).toBeNull();
  });
});

describe("markers", () => {
  test("halt: the first outside a fence, reason trimmed", () => {
    const md = "```\n<!-- maestro:halt: in code -->\n```\n- [ ] a\n<!--maestro:halt:  needs a key  -->\n<!-- maestro:halt: second -->";
    expect(parseChecklist(md).halt).toEqual({ line: 4, reason: "needs a key" });
  });

  test.each([
    ["<!-- maestro:halt -->", ""],
    ["text <!-- maestro:halt: mid-line --> more", "mid-line"],
  ])("halt %j", (md, reason) => {
    expect(parseChecklist(md).halt?.reason).toBe(reason);
  });

  test("look-alikes are not markers", () => {
    expect(parseChecklist("<!-- maestro:halted -->\n<!-- maestro:reviewer -->\nmaestro:halt: x").halt).toBeNull();
  });

  test("review gates in order, outside fences, quoted either way", () => {
    const md =
      '<!-- maestro:review reason="check the diff" -->\n~~~\n<!-- maestro:review reason="no" -->\n~~~\n- [ ] a\n<!-- maestro:review -->\n<!-- maestro:review reason=\'single\' -->';
    expect(parseChecklist(md).reviews).toEqual([
      { line: 0, reason: "check the diff", kind: "review", artifact: null },
      { line: 5, reason: "", kind: "review", artifact: null },
      { line: 6, reason: "single", kind: "review", artifact: null },
    ]);
  });

  test("clearHalt removes marker lines and keeps everything else", () => {
    expect(clearHalt("- [ ] a\r\n<!-- maestro:halt: stop -->\r\n- [ ] b\r\n")).toBe("- [ ] a\r\n- [ ] b\r\n");
    expect(clearHalt("- [ ] a <!-- maestro:halt: x -->\n")).toBe("- [ ] a \n");
    expect(clearHalt("- [ ] a\n<!-- maestro:halt -->")).toBe("- [ ] a");
    expect(clearHalt("- [ ] a\r\n<!-- maestro:halt -->")).toBe("- [ ] a");
    expect(clearHalt("<!-- maestro:halt -->")).toBe("");
    const fenced = "```\n<!-- maestro:halt: example -->\n```\n<!-- maestro:halt: a -->\n<!-- maestro:halt: b -->\nend";
    expect(clearHalt(fenced)).toBe("```\n<!-- maestro:halt: example -->\n```\nend");
    expect(parseChecklist(clearHalt(fenced)).halt).toBeNull();
  });
});

describe("setTaskDone", () => {
  test("ticks and unticks only the box, CRLF kept", () => {
    const md = "- [ ] a\r\n  - [  ] b\r\n- [x] c\r\n";
    const [a, b, c] = parseChecklist(md).tasks as [ChecklistTask, ChecklistTask, ChecklistTask];
    expect(setTaskDone(md, a, true)).toBe("- [x] a\r\n  - [  ] b\r\n- [x] c\r\n");
    expect(setTaskDone(md, b, true)).toBe("- [ ] a\r\n  - [x] b\r\n- [x] c\r\n");
    expect(setTaskDone(md, c, false)).toBe("- [ ] a\r\n  - [  ] b\r\n- [ ] c\r\n");
  });

  test("a box already in the wanted state stays as written", () => {
    const md = "- [✓] a\n- [ ] b";
    const [a, b] = parseChecklist(md).tasks as [ChecklistTask, ChecklistTask];
    expect(setTaskDone(md, a, true)).toBe(md);
    expect(setTaskDone(md, b, false)).toBe(md);
  });

  test("round trip: ticking every task leaves a fully done document", () => {
    let md = "> - [ ] q\n- [ ] 日本\n\t- [ ] t\n```\n- [ ] code\n```\n";
    for (const t of parseChecklist(md).tasks) md = setTaskDone(md, t, true);
    expect(parseChecklist(md)).toMatchObject({ total: 3, done: 3 });
    expect(md).toContain("- [ ] code");
  });

  test("a stale task is refused, not written somewhere else", () => {
    const md = "- [ ] a\n- [ ] b";
    const b = parseChecklist(md).tasks[1]!;
    expect(() => setTaskDone("- [ ] b", b, true)).toThrow(StaleTaskError);
    expect(() => setTaskDone("intro\n- [ ] a\n- [ ] b", b, true)).toThrow(/changed/);
  });
});

test("a 50,000-task document parses with every task", () => {
  const lines: string[] = ["# Big"];
  for (let i = 0; i < 50_000; i++) lines.push(`${i % 5 === 4 ? "  " : ""}- [${i % 2 ? "x" : " "}] task ${i}`);
  lines.push("```", "- [ ] not a task", "```");
  const md = lines.join("\n");
  const c = parseChecklist(md);
  expect(c.total).toBe(50_000);
  expect(c.done).toBe(25_000);
  expect(c.tasks[49_999]).toMatchObject({ text: "task 49999", done: true, depth: 1, line: 50_000 });
  const last = setTaskDone(md, c.tasks[49_998]!, true);
  expect(parseChecklist(last).done).toBe(25_001);
});

test("codeLines marks fence lines and their content", () => {
  expect([...codeLines("a\n```js\n- [ ] x\n```\nb\n~~~\nc")]).toEqual([1, 2, 3, 5, 6]);
});
