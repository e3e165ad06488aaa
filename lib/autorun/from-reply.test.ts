import { describe, expect, test } from "vitest";
import { checklistFromReply, suggestDocumentName } from "./from-reply";

const REPLY = `Sure! Here is a plan.

## Tiny **static** site

- [ ] Create a file named index.html containing a heading
- [ ] Create a file named style.css containing body styles
  - [ ] a nested step
- [x] Create a file named README.md containing how to serve it

Tell me if you want changes.`;

describe("checklistFromReply", () => {
  test("keeps the heading as the title and the lines from the first task to the last", () => {
    const c = checklistFromReply(REPLY)!;
    expect(c.title).toBe("Tiny static site");
    expect(c.markdown).toBe(`# Tiny static site

- [ ] Create a file named index.html containing a heading
- [ ] Create a file named style.css containing body styles
  - [ ] a nested step
- [x] Create a file named README.md containing how to serve it
`);
    expect(c.tasks.map((t) => [t.text, t.done, t.depth])).toEqual([
      ["Create a file named index.html containing a heading", false, 0],
      ["Create a file named style.css containing body styles", false, 0],
      ["a nested step", false, 1],
      ["Create a file named README.md containing how to serve it", true, 0],
    ]);
  });

  test("a reply without a heading gives no title; a list nested in the reply starts at the margin", () => {
    const c = checklistFromReply("Steps:\r\n\r\n   - [ ] one\r\n     - [ ] two\r\n")!;
    expect(c.title).toBeNull();
    expect(c.markdown).toBe("- [ ] one\n  - [ ] two\n");
    expect(c.tasks).toHaveLength(2);
  });

  test.each([
    ["no tasks at all", "Just text.\n\n- a bullet\n"],
    ["numbered boxes are not tasks", "1. [ ] one\n2. [ ] two\n"],
    ["tasks inside a code fence are not tasks", "```\n- [ ] fenced\n```\n"],
    ["an empty box is not a task", "- [] nothing\n"],
  ])("%s → null", (_why, text) => {
    expect(checklistFromReply(text)).toBeNull();
  });
});

describe("suggestDocumentName", () => {
  test.each([
    ["Tiny static site", "plan: whatever", "tiny-static-site"],
    [null, "plan: four steps to set up a tiny static site", "four-steps-to-set-up-a-tiny-static-site"],
    [null, "/spec ship it\nmore lines", "ship-it"],
    [null, "Plan the migration", "plan-the-migration"],
    [null, null, "spec"],
  ])("%j, %j → %j", (title, prompt, name) => {
    expect(suggestDocumentName(title, prompt)).toBe(name);
  });
});
