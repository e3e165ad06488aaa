import { describe, expect, test } from "vitest";
import { clipText, diffLines, MAX_DIFF_LINES, MAX_PREVIEW_LINES, renderRequest } from "./render";

describe("renderRequest", () => {
  test("Bash: the command, with the model's description", () => {
    expect(renderRequest("Bash", { command: "rm -rf build", description: "Clean the build" })).toEqual({
      kind: "command",
      title: "Claude wants to run",
      summary: "Run rm -rf build",
      command: "rm -rf build",
      long: false,
      hiddenChars: 0,
      description: "Clean the build",
    });
  });

  test("a command is never cut: whitespace runs, long lines and many lines stay whole", () => {
    const hidden = `touch a${" ".repeat(400)}; rm -rf ~`;
    const r = renderRequest("Bash", { command: hidden });
    expect(r).toMatchObject({ kind: "command", command: hidden, long: false });
    const huge = `echo ${"x".repeat(5000)} && rm -rf ~`;
    expect(renderRequest("Bash", { command: huge })).toMatchObject({ command: huge, long: true });
    const many = Array.from({ length: 80 }, (_, i) => `echo ${i}`).join("\n") + "\nrm -rf ~";
    expect(renderRequest("Bash", { command: many })).toMatchObject({ command: many, long: true, hiddenChars: 0 });
    // The bridge's own cut of a huge input is counted, so the card can say so.
    const cut = `${"y".repeat(8192)}… (4000 more characters)`;
    expect(renderRequest("Bash", { command: cut })).toMatchObject({ command: cut, hiddenChars: 4000 });
  });

  test("model text is cleaned: escapes and controls go, bidi controls show as markers", () => {
    const r = renderRequest(
      "Bash",
      { command: "ls \u202e~ fr- mr\u001b[2K\u0007", description: "Clean\u2066 up\u009b" },
      "Cl\u001b[1maude",
    );
    expect(r).toMatchObject({ title: "Claude wants to run", command: "ls ⟪U+202E⟫~ fr- mr", description: "Clean⟪U+2066⟫ up" });
    const w = renderRequest("Write", { file_path: "/p/a\u202etxt.sh", content: "x\u001b]0;t\u0007y" });
    expect(w).toMatchObject({ path: "/p/a⟪U+202E⟫txt.sh", preview: "xy" });
    const e = renderRequest("Edit", { file_path: "/p/a", old_string: "a", new_string: "b\u200f" });
    expect(e.kind === "edit" && e.diff.map((l) => l.text)).toEqual(["a", "b⟪U+200F⟫"]);
    const j = renderRequest("mcp\u202e", { "k\u2069": "v\u0000" });
    expect(j).toMatchObject({ title: "Claude wants to use mcp⟪U+202E⟫" });
    expect(j.kind === "json" && j.json).toBe('{\n  "k⟪U+2069⟫": "v"\n}');
    const q = renderRequest("AskUserQuestion", { questions: [{ question: "Pick\u061c", options: ["a\u001b[0m"] }] });
    expect(q.kind === "question" && q.questions[0]).toMatchObject({ question: "Pick⟪U+061C⟫", options: [{ label: "a" }] });
  });

  test("Write: the path and a preview of the content", () => {
    const r = renderRequest("Write", { file_path: "/p/notes/hello.txt", content: "hi\nthere\n" });
    expect(r).toEqual({
      kind: "write",
      title: "Claude wants to write",
      summary: "Write hello.txt",
      path: "/p/notes/hello.txt",
      preview: "hi\nthere\n",
      clipped: false,
    });
  });

  test("Write: a huge content is clipped by lines and characters", () => {
    const many = renderRequest("Write", { file_path: "a", content: "x\n".repeat(5000) });
    expect(many.kind === "write" && many.clipped && many.preview.split("\n").length).toBe(MAX_PREVIEW_LINES);
    const wide = renderRequest("Write", { file_path: "a", content: "y".repeat(100_000) });
    expect(wide.kind === "write" && wide.clipped && wide.preview.length).toBeLessThanOrEqual(400);
  });

  test("Edit: a diff from old_string and new_string, with shared lines as context", () => {
    const r = renderRequest("Edit", { file_path: "/p/a.md", old_string: "# T\n\n- [ ] one\nend", new_string: "# T\n\n- [x] one\nend" });
    expect(r.kind).toBe("edit");
    if (r.kind !== "edit") return;
    expect(r.summary).toBe("Edit a.md");
    expect(r.diff).toEqual([
      { op: " ", text: "# T" },
      { op: " ", text: "" },
      { op: "-", text: "- [ ] one" },
      { op: "+", text: "- [x] one" },
      { op: " ", text: "end" },
    ]);
    expect(r.replaceAll).toBe(false);
  });

  test("MultiEdit: every edit's diff, separated; replace_all is reported", () => {
    const r = renderRequest("MultiEdit", {
      file_path: "x.ts",
      edits: [
        { old_string: "a", new_string: "b" },
        { old_string: "c", new_string: "d", replace_all: true },
      ],
    });
    expect(r.kind === "edit" && r.diff.map((l) => l.op + l.text)).toEqual(["-a", "+b", " ⋯", "-c", "+d"]);
    expect(r.kind === "edit" && r.replaceAll).toBe(true);
  });

  test("a huge diff is clipped", () => {
    const r = renderRequest("Edit", { file_path: "x", old_string: "o\n".repeat(1000), new_string: "n\n".repeat(1000) });
    expect(r.kind === "edit" && r.clipped && r.diff.length).toBe(MAX_DIFF_LINES);
  });

  test("WebFetch: the URL and the prompt", () => {
    expect(renderRequest("WebFetch", { url: "https://example.com/x", prompt: "Summarise" })).toEqual({
      kind: "url",
      title: "Claude wants to fetch",
      summary: "Fetch https://example.com/x",
      url: "https://example.com/x",
      prompt: "Summarise",
    });
  });

  test("AskUserQuestion: the questions with their options", () => {
    const r = renderRequest("AskUserQuestion", {
      questions: [
        {
          question: "Which colour?",
          header: "Colour",
          options: [{ label: "Red", description: "warm" }, { label: "Blue" }, { nope: 1 }],
          multiSelect: true,
        },
      ],
    });
    expect(r).toEqual({
      kind: "question",
      title: "Claude asks",
      summary: "Which colour?",
      questions: [
        {
          question: "Which colour?",
          header: "Colour",
          options: [
            { label: "Red", description: "warm" },
            { label: "Blue", description: undefined },
          ],
          multiSelect: true,
        },
      ],
    });
  });

  test("another tool: compact JSON; odd inputs never throw", () => {
    const r = renderRequest("mcp__db__query", { sql: "select 1" });
    expect(r).toMatchObject({ kind: "json", title: "Claude wants to use mcp__db__query", json: '{\n  "sql": "select 1"\n}' });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(renderRequest("X", cyclic)).toMatchObject({ kind: "json", json: "(input that cannot be shown)" });
    expect(renderRequest("", null)).toMatchObject({ kind: "json", title: "Claude wants to use a tool", json: "null" });
    expect(renderRequest("Bash", "not an object").kind).toBe("json");
  });

  test("the agent's name can be given", () => {
    expect(renderRequest("Bash", { command: "ls" }, "Codex").title).toBe("Codex wants to run");
  });
});

describe("helpers", () => {
  test("diffLines of identical texts is only context", () => {
    expect(diffLines("a\nb", "a\nb").every((l) => l.op === " ")).toBe(true);
  });
  test("clipText keeps short text as it is", () => {
    expect(clipText("a\nb")).toEqual({ text: "a\nb", clipped: false });
  });
});
