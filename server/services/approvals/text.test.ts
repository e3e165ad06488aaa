import { describe, expect, test } from "vitest";
import { historySummary, pushBody, whatOf } from "./text";

describe("what approvals say", () => {
  test.each<[string, unknown, string]>([
    ["Bash", { command: "rm -rf build", description: "Clean" }, "wants to run: rm -rf build"],
    ["Write", { file_path: "/p/a.txt", content: "x" }, "wants to edit: /p/a.txt"],
    ["WebFetch", { url: "https://example.com/a", prompt: "read it" }, "wants to use WebFetch: https://example.com/a"],
    ["TodoWrite", { todos: [] }, "wants to use TodoWrite"],
    ["AskUserQuestion", { questions: [{ question: "Which colour?\nPick one.", options: [] }] }, "asks: Which colour? Pick one."],
  ])("%s → %s", (tool, input, body) => expect(pushBody(tool, input)).toBe(body));

  test("an Auto Run task names its document and task", () => {
    expect(pushBody("Bash", { command: "npm test" }, { document: "phase-1.md", task: "Run the tests" })).toBe(
      "wants to run: npm test (Auto Run phase-1.md: Run the tests)",
    );
  });

  test("long commands are cut to one line", () => {
    const what = whatOf("Bash", { command: `echo ${"x".repeat(300)}\nls` });
    expect(what.length).toBe(120);
    expect(what.endsWith("…")).toBe(true);
  });

  test("History lines", () => {
    expect(historySummary("allowed", "Bash", { command: "rm -rf build" }, "Pixel 8")).toBe("Allowed `rm -rf build` — Pixel 8");
    expect(historySummary("denied", "Write", { file_path: "/p/a.txt" }, "Link for Ana")).toBe("Denied `/p/a.txt` — Link for Ana");
    expect(historySummary("allowed", "AskUserQuestion", { questions: [{ question: "Which colour?" }] }, "Pixel 8")).toBe(
      "Allowed question “Which colour?” — Pixel 8",
    );
  });
});
