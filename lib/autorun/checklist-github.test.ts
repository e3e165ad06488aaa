/**
 * Real documents nobody here wrote (playbooks, spec-kit task lists, PR and release templates)
 * where the engine once disagreed with GitHub's rendering. Each row is a repro: what GitHub shows
 * as checkboxes is what Auto Run runs.
 */
import { describe, expect, test } from "vitest";
import { clearHalt, parseChecklist } from "./checklist";

const texts = (md: string) => parseChecklist(md).tasks.map((t) => t.text);

describe("a fence ends with the list item or quote it was opened in", () => {
  test.each<[string, string, string[]]>([
    [
      "a fence in an item quoting another fence (the playbook that lost its tasks)",
      "- [ ] Write the file:\n  ```markdown\n  ```bash\n  make\n  ```\n  ```\n- [ ] Next task",
      ["Write the file:", "Next task"],
    ],
    ["an unclosed fence in an item", "- [ ] a\n  ````\n- [ ] b", ["a", "b"]],
    [
      "blank lines inside the item's fence keep it open",
      "- [ ] a\n  ```\n  - [ ] hidden\n\n  - [ ] hidden too\n  ```\n- [ ] b",
      ["a", "b"],
    ],
    ["a nested item's fence ends at the next sibling", "- [ ] a\n  - [ ] b\n    ```\n  - [ ] c", ["a", "b", "c"]],
    ["a fence opened on the item's own line", "- ```\n  - [ ] hidden\n  ```\n- [ ] b", ["b"]],
    ["a fence in a blockquote ends with the quote", "> ```\n> - [ ] hidden\n- [ ] b", ["b"]],
    ["a top-level unclosed fence still runs to the end", "- [ ] a\n```\n- [ ] hidden", ["a"]],
    ["a quoted line in an item's fence is content, not the item's end", "- [ ] a\n  ```\n  > quoted\n  ```\n- [ ] b", ["a", "b"]],
    ["a quoted fence line inside a code sample does not close it", "```md\n> ```\n> - [ ] in code\n> ```\n```\n- [ ] real", ["real"]],
    ["a closing fence indented four columns past its item is content", "- a\n  ```\n        ```\n  - [ ] x", []],
  ])("%s", (_name, md, expected) => expect(texts(md)).toEqual(expected));
});

describe("HTML comments and HTML blocks hold no tasks", () => {
  test.each<[string, string, string[]]>([
    ["a commented-out checklist", "<!--\n- [ ] a\n-->\n- [ ] b", ["b"]],
    ["a one-line comment", "<!-- - [ ] a -->\n- [ ] b", ["b"]],
    ["an unclosed comment runs to the end", "- [ ] a\n<!--\n- [ ] b", ["a"]],
    ["a comment inside an item", "- [ ] a\n  <!--\n  - [ ] hidden\n  -->\n- [ ] b", ["a", "b"]],
    ["an unclosed comment inside an item ends with it", "- [ ] a\n  <!--\n- [ ] b", ["a", "b"]],
    ["<details> with no blank line", "<details>\n- [ ] a\n</details>", []],
    ["<details> with a blank line is markdown again", "<details>\n<summary>More</summary>\n\n- [ ] a\n\n</details>", ["a"]],
    ["a <div> block until the blank line", "<div>\n- [ ] a\n</div>\n\n- [ ] b", ["b"]],
    ["<script> runs to its closing tag, blank lines and all", "<script>\n\n- [ ] a\n</script>\n- [ ] b", ["b"]],
    ["a lone tag after a blank line opens a block", "<span>\n- [ ] a\n</span>", []],
    ["a lone tag cannot interrupt a paragraph", "Intro\n<span>\n- [ ] a", ["a"]],
    ["inline HTML in a paragraph is not a block", "Some <b>bold</b> text\n- [ ] a", ["a"]],
  ])("%s", (_name, md, expected) => expect(texts(md)).toEqual(expected));

  test("markers in comments and HTML blocks still count (they are comments)", () => {
    const md =
      '<details>\n<!-- maestro:review reason="in details" -->\n</details>\n\n<!-- maestro:review\n  reason="spans lines" -->\n- [ ] a';
    expect(parseChecklist(md).reviews.map((r) => [r.line, r.reason])).toEqual([
      [1, "in details"],
      [4, "spans lines"],
    ]);
    expect(parseChecklist("<!--\n-->\n<!-- maestro:halt: after a comment -->").halt).toEqual({ line: 2, reason: "after a comment" });
  });
});

describe("a marker quoted in code is text", () => {
  test.each<[string, string]>([
    ["inline code", "Write `<!-- maestro:halt: reason -->` to stop.\n- [ ] a"],
    ["double backticks", "Use ``<!-- maestro:halt: x -->`` to stop.\n- [ ] a"],
    ["inline code in a task", "- [ ] Document `<!-- maestro:halt -->` in the README"],
    ["indented code", "Intro\n\n    <!-- maestro:halt: sample -->\n\n- [ ] a"],
    ["a sample document quoted in a fence", "```md\n> ```\n<!-- maestro:halt: example -->\n```"],
  ])("%s does not halt", (_name, md) => expect(parseChecklist(md).halt).toBeNull());

  test("a marker on a paragraph's indented continuation line counts", () => {
    expect(parseChecklist("para\n    <!-- maestro:halt: x -->").halt).toEqual({ line: 1, reason: "x" });
  });

  test("an unmatched backtick quotes nothing", () => {
    expect(parseChecklist("a ` then <!-- maestro:halt: real -->").halt?.reason).toBe("real");
  });

  test("clearing a halt never deletes quoted text", () => {
    const md = "Write `<!-- maestro:halt: reason -->` to stop.\n<!-- maestro:halt: real -->\n- [ ] a\n";
    expect(clearHalt(md)).toBe("Write `<!-- maestro:halt: reason -->` to stop.\n- [ ] a\n");
    const quotedOnly = "Write `<!-- maestro:halt: reason -->` to stop.";
    expect(clearHalt(quotedOnly)).toBe(quotedOnly);
  });
});

describe("other GitHub rules", () => {
  test("an empty task is no task", () => {
    expect(texts("- [ ]\n- [x]\n- [ ]   \n* [ ]\t\n- [ ] real")).toEqual(["real"]);
  });

  test("indented code holds no tasks; an indented line continuing a paragraph is text", () => {
    expect(texts("Intro\n\n    - [ ] code\n- [ ] real")).toEqual(["real"]);
    expect(texts("- [ ] a\n      - [ ] continues a's text")).toEqual(["a"]);
    expect(texts("- [ ] a\n\n      - [ ] code in a")).toEqual(["a"]);
  });

  test("depth is containment: an item indented less than its parent's content is a sibling", () => {
    expect(parseChecklist("- [ ] a\n - [ ] b\n   - [ ] c").tasks.map((t) => t.depth)).toEqual([0, 0, 1]);
  });
});

describe("desktop's human-in-the-loop gate", () => {
  test("MAESTRO:HITL is a review gate with its reason and artifact, in any case", () => {
    const md =
      '## Step 5\n<!-- MAESTRO:HITL reason="Spec ready for review" artifact=".maestro/outputs/SPEC.md" -->\n- [ ] Human has approved the spec\n<!-- maestro:hitl reason=\'second\' -->\n- [ ] b';
    expect(parseChecklist(md).reviews).toEqual([
      { line: 1, kind: "hitl", reason: "Spec ready for review", artifact: ".maestro/outputs/SPEC.md" },
      { line: 3, kind: "hitl", reason: "second", artifact: null },
    ]);
  });

  test("our markers are case-insensitive too", () => {
    const c = parseChecklist('<!-- Maestro:Halt: loud -->\n<!-- MAESTRO:REVIEW reason="r" -->');
    expect(c.halt?.reason).toBe("loud");
    expect(c.reviews.map((r) => r.kind)).toEqual(["review"]);
  });

  test("tasks marked for a human", () => {
    const md =
      "- [ ] (human) approve\n- [ ] HUMAN: sign off\n- [ ] **Human** check the copy\n- [ ] 👤 call the client\n- [ ] human-readable docs";
    expect(parseChecklist(md).tasks.map((t) => t.forHuman)).toEqual([true, true, true, true, false]);
  });
});
