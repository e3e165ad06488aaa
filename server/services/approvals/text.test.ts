import { describe, expect, test } from "vitest";
import { historySummary, pushBody, pushShowsAll, whatOf } from "./text";

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

  test("model text is cleaned: escapes and controls go, bidi controls show", () => {
    const cmd = "echo hi\u001b[2K\u001b[1G\u0007 \u202egnp.exe";
    expect(pushBody("Bash", { command: cmd })).toBe("wants to run: echo hi ⟪U+202E⟫gnp.exe");
    expect(whatOf("Bash", { command: "ls\u0000\u009b" })).toBe("ls");
    expect(historySummary("denied", "Bash", { command: "a\u2066b" }, "Pix\u001b[31mel")).toBe("Denied `a⟪U+2066⟫b` — Pixel");
    expect(pushBody("Bash", { command: "x" }, { document: "d\u202e.md", task: "t\u0007" })).toBe(
      "wants to run: x (Auto Run d⟪U+202E⟫.md: t)",
    );
    expect(pushBody("mcp\u202e", {})).toBe("wants to use mcp⟪U+202E⟫");
    expect(firstLineOf(pushBody("AskUserQuestion", { questions: [{ question: "ok?\u001b]0;x\u0007" }] }))).toBe("asks: ok?");
  });

  test("the push shows all of a command only when it is short, one line and has no whitespace runs", () => {
    expect(pushShowsAll("Bash", { command: "rm -rf build" })).toBe(true);
    expect(pushShowsAll("Write", { file_path: "/p/a.txt" })).toBe(true);
    expect(pushShowsAll("TodoWrite", { todos: [] })).toBe(true);
    expect(pushShowsAll("Bash", { command: `touch a${" ".repeat(400)}; rm -rf ~` })).toBe(false);
    expect(pushShowsAll("Bash", { command: `echo ${"x".repeat(200)}` })).toBe(false);
    expect(pushShowsAll("Bash", { command: "touch a\nrm -rf ~" })).toBe(false);
    expect(pushShowsAll("Bash", { command: "touch a\trm" })).toBe(false);
    expect(pushShowsAll("Bash", { command: `touch a\u001b[8m${"x".repeat(110)}` })).toBe(true);
  });
});

const firstLineOf = (s: string) => s.split("\n")[0];
