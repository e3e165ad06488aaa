// The simulator's real work in the folder: ticking boxes byte-exactly, writing files, and
// honouring each CLI's permission / sandbox / approval mode.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseChecklist } from "../lib/autorun/checklist";
import { DIALECTS, byName, runSim, tempWorld, type Ev } from "./harness";
import { findTasks, findWriteTargets, tickLine } from "./work.mjs";

let world: ReturnType<typeof tempWorld>;
beforeAll(() => {
  world = tempWorld();
});
afterAll(() => world.cleanup());

// CRLF, tabs, unicode, fenced blocks (``` and indented ~~~), numbered checkboxes, a quoted task,
// odd box spacing, several done marks, and no newline at the end.
const DOC = [
  "# Plan ✓ ünïcödé — 日本語",
  "",
  "```md",
  "- [ ] fenced backtick task",
  "```",
  "   ~~~",
  "   - [ ] fenced tilde task, indented",
  "   ~~~",
  "1. [ ] numbered checkbox",
  "2) [ ] numbered with a paren",
  "- [x] already done",
  "* [✓] done with a check mark",
  "+ [X] done upper case",
  "- [✔] done with a heavy check",
  "- parent without a box",
  "\t- [  ] nested, tab-indented, two spaces in the box",
  "    * [ ] second nested (star)",
  "> - [ ] quoted task",
  "- [ ] last task, no newline at the end",
].join("\r\n");
const FIRST = "\t- [  ] nested, tab-indented, two spaces in the box";

function docDir(name: string, text = DOC) {
  const dir = path.join(world.cwd, name);
  fs.mkdirSync(path.join(dir, "docs"), { recursive: true });
  fs.writeFileSync(path.join(dir, "docs", "plan.md"), text);
  return dir;
}

describe.concurrent("checklist parsing (the simulator's own small implementation)", () => {
  test("counts only real tasks: nested and quoted yes; fenced and numbered no", () => {
    const tasks = findTasks(DOC);
    expect(tasks.map((t) => [t.text, t.checked])).toEqual([
      ["already done", true],
      ["done with a check mark", true],
      ["done upper case", true],
      ["done with a heavy check", true],
      ["nested, tab-indented, two spaces in the box", false],
      ["second nested (star)", false],
      ["quoted task", false],
      ["last task, no newline at the end", false],
    ]);
    expect(tickLine("> - [ ] quoted task")).toBe("> - [x] quoted task");
    expect(tickLine(FIRST)).toBe("\t- [x] nested, tab-indented, two spaces in the box");
  });

  test("a fence only closes with the same marker, at least as long", () => {
    const t = findTasks("````\n```\n- [ ] still fenced\n````\n- [ ] real\n~~~\n```\n- [ ] fenced again\n");
    expect(t.map((x) => x.text)).toEqual(["real"]);
  });

  test("write targets: write/create/create file, backticks, relative paths with an extension", () => {
    expect(findWriteTargets("Please write `docs/out.md` and create file notes/a.txt, then create ../escape.txt.")).toEqual([
      "docs/out.md",
      "notes/a.txt",
      "../escape.txt",
    ]);
    expect(findWriteTargets("Write the README and create a summary")).toEqual([]);
  });
});

describe.concurrent.each(DIALECTS)("$name ticks boxes byte-exactly", (d) => {
  test("first unchecked task only; everything else byte-identical (CRLF, tabs, unicode)", async () => {
    const cwd = docDir(`first-${d.name}`);
    const r = await runSim(d.args("Do the first unchecked task in docs/plan.md, then tick its box.", { write: true }), {
      cwd,
      home: world.home,
    });
    expect(r.code).toBe(0);
    const after = fs.readFileSync(path.join(cwd, "docs", "plan.md"));
    expect(after.equals(Buffer.from(DOC.replace(FIRST, "\t- [x] nested, tab-indented, two spaces in the box"), "utf8"))).toBe(true);
    expect(d.reply(r.events)).toMatch(/^Ticked task 'nested, tab-indented, two spaces in the box' in docs\/plan\.md\./);
    // no temp files left behind by the atomic write
    expect(fs.readdirSync(path.join(cwd, "docs"))).toEqual(["plan.md"]);
  });
});

describe.concurrent("ticking modes and work", () => {
  test("'all unchecked tasks' ticks every real task and nothing fenced or numbered", async () => {
    const cwd = docDir("all");
    const d = byName("claude");
    const r = await runSim(d.args("Work through all unchecked tasks in docs/plan.md (per-document mode).", { write: true }), {
      cwd,
      home: world.home,
    });
    expect(r.code).toBe(0);
    const want = DOC.replace(FIRST, "\t- [x] nested, tab-indented, two spaces in the box")
      .replace("    * [ ] second nested", "    * [x] second nested")
      .replace("> - [ ] quoted task", "> - [x] quoted task")
      .replace("- [ ] last task", "- [x] last task");
    expect(fs.readFileSync(path.join(cwd, "docs", "plan.md"), "utf8")).toBe(want);
    expect(r.events.filter((e) => e.type === "assistant" && e.message.content[0].type === "tool_use")).toHaveLength(4);
    expect(r.events.filter((e) => e.type === "user")).toHaveLength(4);
    expect(d.reply(r.events)).toMatch(/^Ticked 4 tasks in docs\/plan\.md: /);
    expect(d.reply(r.events)).toContain("docs/plan.md now has 8 of 8 tasks checked.");
  });

  test("an absolute document path works; a missing one means a text-only reply", async () => {
    const cwd = docDir("abs", "- [ ] only task\n");
    const abs = path.join(cwd, "docs", "plan.md");
    const r = await runSim(byName("gemini").args(`Do the first unchecked task in ${abs}`, { write: true }), { cwd, home: world.home });
    expect(fs.readFileSync(abs, "utf8")).toBe("- [x] only task\n");
    expect(r.events.filter((e) => e.type === "tool_use")).toHaveLength(1);
    const none = await runSim(byName("gemini").args("Do the first unchecked task in docs/missing.md", { write: true }), {
      cwd,
      home: world.home,
    });
    expect(none.events.filter((e) => e.type === "tool_use")).toHaveLength(0);
    expect(byName("gemini").reply(none.events)).toMatch(/^Answered without changing any file/);
  });

  test("a prompt naming several .md files works on the one with open tasks", async () => {
    const cwd = docDir("multi", "- [ ] the real task\n");
    fs.writeFileSync(path.join(cwd, "AGENTS.md"), "# Agents\n\nNo tasks here.\n");
    const r = await runSim(byName("opencode").args("Read AGENTS.md for context. Do the first unchecked task in docs/plan.md"), {
      cwd,
      home: world.home,
    });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(cwd, "docs", "plan.md"), "utf8")).toBe("- [x] the real task\n");
    expect(fs.readFileSync(path.join(cwd, "AGENTS.md"), "utf8")).toBe("# Agents\n\nNo tasks here.\n");
  });

  test("a document with every box checked: nothing to tick", async () => {
    const cwd = docDir("done", "- [x] a\n- [X] b\n");
    const r = await runSim(byName("codex").args("Do the first unchecked task in docs/plan.md", { write: true }), { cwd, home: world.home });
    expect(r.events.map(byName("codex").sig)).toEqual(byName("codex").textSeq);
    expect(byName("codex").reply(r.events)).toMatch(/^Found no unchecked task in docs\/plan\.md; all 2 tasks are already checked\./);
  });
});

describe.concurrent.each(DIALECTS)("$name writes the files a task names", (d) => {
  test("the ticked task's `create file <path>` is written (parents created)", async () => {
    const cwd = docDir(`write-${d.name}`, "- [x] done\n- [ ] Create file `out/deep/notes.txt` with the notes\n");
    const r = await runSim(d.args("Do the first unchecked task in docs/plan.md", { write: true }), { cwd, home: world.home });
    expect(r.code).toBe(0);
    const file = path.join(cwd, "out", "deep", "notes.txt");
    expect(fs.readFileSync(file, "utf8")).toBe("Written by maestro-sim for the task: Create file `out/deep/notes.txt` with the notes\n");
    expect(fs.readFileSync(path.join(cwd, "docs", "plan.md"), "utf8")).toBe(
      "- [x] done\n- [x] Create file `out/deep/notes.txt` with the notes\n",
    );
    expect(d.reply(r.events)).toContain("Created out/deep/notes.txt (");
    const ev = r.events;
    if (d.name === "claude")
      expect(ev.find((e) => e.message?.content?.[0]?.name === "Write")?.message.content[0].input).toEqual({
        file_path: file,
        content: fs.readFileSync(file, "utf8"),
      });
    if (d.name === "codex")
      expect(ev.find((e) => e.item?.type === "file_change" && e.item.changes[0].path === file)?.item).toMatchObject({
        changes: [{ kind: "add" }],
        status: "completed",
      });
    if (d.name === "opencode")
      expect(ev.find((e) => e.part?.tool === "write")?.part.state).toMatchObject({ status: "completed", input: { filePath: file } });
    if (d.name === "gemini") expect(ev.find((e) => e.tool_name === "write_file")?.parameters).toMatchObject({ file_path: file });
  });

  test("a path outside the working folder is refused: no write, an error in the dialect's shape", async () => {
    const cwd = docDir(`escape-${d.name}`, "- [ ] nothing here\n");
    const escape = path.join(world.cwd, `escape-${d.name}.txt`);
    const r = await runSim(d.args(`Please write ../escape-${d.name}.txt now`, { write: true }), { cwd, home: world.home });
    expect(r.code).toBe(0);
    expect(fs.existsSync(escape)).toBe(false);
    expect(d.reply(r.events)).toContain(`Refused to write ../escape-${d.name}.txt: it resolves outside the working folder.`);
    const ev = r.events;
    if (d.name === "claude") {
      const tr = ev.find((e) => e.type === "user")!.message.content[0];
      expect(tr.is_error).toBe(true);
      expect(ev.at(-1)!.permission_denials).toEqual([
        { tool_name: "Write", tool_use_id: tr.tool_use_id, tool_input: { file_path: escape, content: expect.any(String) } },
      ]);
    }
    if (d.name === "codex")
      expect(ev.find((e) => e.item?.type === "file_change")!.item).toMatchObject({ status: "failed", changes: [{ path: escape }] });
    if (d.name === "opencode") {
      expect(ev.find((e) => e.type === "tool_use")!.part.state).toMatchObject({
        status: "error",
        error: expect.stringContaining("rejected permission"),
      });
      expect(ev.at(-1)).toMatchObject({ type: "done", rejected: ["external_directory"] });
    }
    if (d.name === "gemini")
      expect(ev.find((e) => e.type === "tool_result")).toMatchObject({ status: "error", error: { type: "path_not_in_workspace" } });
  });
});

describe.concurrent("permission, sandbox and approval modes", () => {
  const PROMPT = "Do the first unchecked task in docs/plan.md";
  const ORIGINAL = "- [ ] keep me open\n";
  const unchanged = (cwd: string) => expect(fs.readFileSync(path.join(cwd, "docs", "plan.md"), "utf8")).toBe(ORIGINAL);

  test("claude default mode: the Edit is denied and listed in permission_denials", async () => {
    const cwd = docDir("perm-claude", ORIGINAL);
    const r = await runSim(byName("claude").args(PROMPT), { cwd, home: world.home });
    unchanged(cwd);
    expect(r.events[0]!.permissionMode).toBe("default");
    const res = r.events.at(-1)!;
    expect(res.permission_denials).toHaveLength(1);
    expect(res.permission_denials[0].tool_name).toBe("Edit");
    expect(r.events.find((e) => e.type === "user")!.message.content[0]).toMatchObject({
      is_error: true,
      content: expect.stringContaining("haven't granted it yet"),
    });
    expect(res.result).toMatch(/^Could not tick task 'keep me open'/);
  });

  test("claude plan mode and opencode plan agent: no tool calls, a plan", async () => {
    const c1 = docDir("plan-claude", ORIGINAL);
    const a = await runSim(byName("claude").args(PROMPT, { extra: ["--permission-mode", "plan"] }), { cwd: c1, home: world.home });
    unchanged(c1);
    expect(a.events.map(byName("claude").sig)).toEqual(byName("claude").textSeq);
    expect(byName("claude").reply(a.events)).toMatch(/^Plan only, no changes made: I would tick task 'keep me open'/);
    const c2 = docDir("plan-opencode", ORIGINAL);
    const b = await runSim(byName("opencode").args(PROMPT, { extra: ["--agent", "plan"] }), { cwd: c2, home: world.home });
    unchanged(c2);
    expect(b.events.map((e: Ev) => e.type)).toEqual(byName("opencode").textSeq);
  });

  test("codex read-only sandbox (the default): the patch fails", async () => {
    const cwd = docDir("ro-codex", ORIGINAL);
    const r = await runSim(byName("codex").args(PROMPT), { cwd, home: world.home });
    unchanged(cwd);
    expect(r.events.find((e) => e.item?.type === "file_change")!.item.status).toBe("failed");
    expect(byName("codex").reply(r.events)).toMatch(/^Could not tick task 'keep me open'.*read-only sandbox/);
  });

  test("gemini default approval mode: no edit tools in headless mode", async () => {
    const cwd = docDir("ro-gemini", ORIGINAL);
    const r = await runSim(byName("gemini").args(PROMPT), { cwd, home: world.home });
    unchanged(cwd);
    expect(r.events.filter((e) => e.type === "tool_use")).toHaveLength(0);
    expect(byName("gemini").reply(r.events)).toContain("--approval-mode auto_edit or --yolo");
    const y = await runSim(byName("gemini").args(PROMPT, { extra: ["-y"] }), { cwd, home: world.home });
    expect(y.code).toBe(0);
    expect(fs.readFileSync(path.join(cwd, "docs", "plan.md"), "utf8")).toBe("- [x] keep me open\n");
  });
});

describe("reads a document as GitHub renders it, like the runner", () => {
  test.each<[string, string]>([
    ["a fence in an item ends with the item", "- [ ] Write the file:\n  ```markdown\n  ```bash\n  make\n  ```\n  ```\n- [ ] Next task"],
    ["a commented-out checklist", "<!--\n- [ ] a\n-->\n- [ ] b"],
    ["<details> up to a blank line", "<details>\n- [ ] a\n</details>\n\n- [ ] b"],
    ["an empty box", "- [ ]\n- [ ] b"],
    ["a quoted line in an item's fence", "- [ ] a\n  ```\n  > quoted\n  ```\n- [ ] b"],
    ["a quoted fence inside a code sample", "```md\n> ```\n> - [ ] in code\n> ```\n```\n- [ ] real"],
    ["a fence in a quote", "> ```\n> - [ ] hidden\n> ```\n> - [ ] b"],
  ])("%s: the same tasks as the engine", (_name, md) => {
    expect(findTasks(md).map((t) => t.text)).toEqual(parseChecklist(md).tasks.map((t) => t.text));
  });
});
