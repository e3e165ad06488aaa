import { expect, test } from "vitest";
import { parseChecklist } from "./checklist";
import { insertCheckbox } from "./insert";

test.each([
  ["empty document", "", 0, "- [ ] ", 6],
  ["on an empty line", "# T\n\n", 4, "# T\n- [ ] \n", 10],
  ["below a line, same indent", "  - [ ] a\nnext", 3, "  - [ ] a\n  - [ ] \nnext", 18],
  ["inside a blockquote", "> - [ ] q", 9, "> - [ ] q\n> - [ ] ", 18],
  ["CRLF document gets a CRLF line", "a\r\nb", 0, "a\r\n- [ ] \r\nb", 9],
])("%s", (_name, text, caret, out, outCaret) => {
  const r = insertCheckbox(text, caret);
  expect(r).toEqual({ text: out, caret: outCaret });
});

test("what it inserts is a task the engine counts", () => {
  expect(parseChecklist(insertCheckbox("- [x] done", 3).text + "next").total).toBe(2);
});
