// The simulator plays the spec-driven loop for real: asked for a plan it answers with a
// checklist, asked for a file it writes it (confined to its folder), asked to save a checklist
// it writes the document, and Auto Run then works that document through, writing its files.
// Every turn is a real spawn; the plan and write turns go through Maestro's own adapters.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseChecklist } from "../lib/autorun/checklist";
import { DEFAULT_PROMPT } from "../lib/autorun/run-prompt";
import { joinedText, pairedTools, simTurn } from "../lib/providers/sim-turn.testkit";
import { DIALECTS, byName, runSim, tempWorld } from "./harness";

let world: ReturnType<typeof tempWorld>;
beforeAll(() => {
  world = tempWorld("maestro-sim-requests-");
});
afterAll(() => world.cleanup());

function folder(name: string) {
  const dir = path.join(world.cwd, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Every file under dir, relative, sorted. */
function tree(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe.concurrent.each(DIALECTS)("$name, through Maestro's adapter", (d) => {
  test("a plan prompt streams a 4-task checklist and changes nothing", async () => {
    const cwd = folder(`plan-${d.name}`);
    const t = await simTurn(d.name, { prompt: "make a plan to add a login page", cwd }, { home: world.home });
    expect(t.run.code).toBe(0);
    expect(t.exit).toBeNull();
    const text = joinedText(t.events);
    expect(text).toContain("A 4-task plan for “add a login page”");
    expect(text).toContain("- [ ] Create a file named login-page/goal.md containing Goal: add a login page\n");
    const list = parseChecklist(text);
    expect(list.total).toBe(4);
    expect(list.done).toBe(0);
    expect(list.tasks[3]!.text).toBe("Create a file named login-page/review.md containing Review of: add a login page");
    expect(t.events.filter((e) => e.type === "tool_call")).toEqual([]);
    expect(tree(cwd)).toEqual([]);
    // deterministic: the same prompt gives the same checklist
    const again = await simTurn(d.name, { prompt: "make a plan to add a login page", cwd }, { home: world.home });
    expect(parseChecklist(joinedText(again.events)).tasks.map((x) => x.text)).toEqual(list.tasks.map((x) => x.text));
  });

  test("“Write a file named hello.txt containing hi” writes it, with the write tool call", async () => {
    const cwd = folder(`hello-${d.name}`);
    const t = await simTurn(d.name, { prompt: "Write a file named hello.txt containing hi", cwd }, { home: world.home });
    expect(t.run.code).toBe(0);
    expect(fs.readFileSync(path.join(cwd, "hello.txt"), "utf8")).toBe("hi\n");
    expect(tree(cwd)).toEqual(["hello.txt"]);
    expect(joinedText(t.events)).toContain("Created hello.txt (3 bytes) containing “hi”.");
    const calls = t.events.filter((e) => e.type === "tool_call");
    expect(calls).toHaveLength(1);
    expect(pairedTools(t.events).paired).toBe(true);
    expect(t.events.find((e) => e.type === "tool_result")).toMatchObject({ isError: false });
  });
});

describe.concurrent.each(DIALECTS)("$name refuses names outside its folder", (d) => {
  // [case, the prompt and where its file would land, from the temp root]
  const n = d.name;
  const cases: [string, (root: string) => [string, string]][] = [
    ["up", (root) => [`Write a file named ../evil-${n}.txt containing x`, path.join(root, "work", `evil-${n}.txt`)]],
    ["absolute", (root) => [`create a file named ${path.join(root, `abs-${n}.txt`)} containing x`, path.join(root, `abs-${n}.txt`)]],
    ["put", (root) => [`put 'x' in ../../put-${n}.txt`, path.join(root, `put-${n}.txt`)]],
  ];
  test.each(cases)("%s", async (kind, make) => {
    const [prompt, target] = make(world.root);
    const cwd = folder(`hostile-${n}-${kind}`);
    const r = await runSim(d.args(prompt, { write: true }), { cwd, home: world.home });
    expect(r.code).toBe(0);
    expect(d.reply(r.events)).toMatch(/^Refused to write \S+: it resolves outside the working folder\./);
    expect(fs.existsSync(target)).toBe(false);
    expect(tree(cwd)).toEqual([]);
    expect(fs.readdirSync(world.root).sort()).toEqual(["home", "work"]);
  });
});

const specPrompt = (file: string) =>
  `Write a markdown checklist for: add user avatars. Save it as ${file} using GitHub task-list syntax (\`- [ ] task\`), one task per line.`;

describe.concurrent("a checklist saved to a file, then worked through with Auto Run", () => {
  test.each(DIALECTS.map((d) => [d.name]))("%s: the /spec prompt writes the document into the Auto Run folder", async (name) => {
    const d = byName(name);
    const cwd = folder(`spec-${name}`);
    const file = path.join(cwd, ".maestro", "playbooks", "avatars.md");
    const r = await runSim(d.args(specPrompt(file), { write: true }), { cwd, home: world.home });
    expect(r.code).toBe(0);
    const doc = fs.readFileSync(file, "utf8");
    expect(doc.startsWith("# Plan: add user avatars\n\n- [ ] ")).toBe(true);
    expect(parseChecklist(doc)).toMatchObject({ total: 4, done: 0 });
    expect(d.reply(r.events)).toMatch(
      /^Saved a 4-task checklist for “add user avatars” to \.maestro\/playbooks\/avatars\.md \(\d+ bytes\), ready for Auto Run\./,
    );
    expect(tree(cwd)).toEqual([".maestro/playbooks/avatars.md"]);
  });

  test("an existing document named by the /spec prompt is replaced, not ticked", async () => {
    const cwd = folder("spec-existing");
    const file = path.join(cwd, "plan.md");
    fs.writeFileSync(file, "- [ ] old task\n");
    const r = await runSim(byName("claude").args(specPrompt(file), { write: true }), { cwd, home: world.home });
    expect(r.code).toBe(0);
    expect(parseChecklist(fs.readFileSync(file, "utf8")).tasks.map((t) => t.text)).not.toContain("old task");
  });

  test("outside the folder the checklist is refused, and shown in the reply instead", async () => {
    const cwd = folder("spec-outside");
    const outside = path.join(world.root, "outside.md");
    const r = await runSim(byName("gemini").args(specPrompt(outside), { write: true }), { cwd, home: world.home });
    expect(fs.existsSync(outside)).toBe(false);
    const reply = byName("gemini").reply(r.events);
    expect(reply).toContain(`Refused to write ${outside}: it resolves outside the working folder.`);
    expect(parseChecklist(reply).total).toBe(4);
  });

  test("codex read-only: nothing written, the checklist is in the reply", async () => {
    const cwd = folder("spec-readonly");
    const r = await runSim(byName("codex").args(specPrompt(path.join(cwd, "avatars.md"))), { cwd, home: world.home });
    expect(tree(cwd)).toEqual([]);
    const reply = byName("codex").reply(r.events);
    expect(reply).toMatch(/^Could not write avatars\.md: patch rejected/);
    expect(parseChecklist(reply).total).toBe(4);
  });

  test("the saved checklist, run task by task with the Auto Run prompt, writes its files", async () => {
    const d = byName("claude");
    const cwd = folder("spec-run");
    const file = path.join(cwd, ".maestro", "playbooks", "avatars.md");
    await runSim(d.args("make a plan for user avatars in the Auto Run folder as avatars.md", { write: true }), { cwd, home: world.home });
    const tasks = parseChecklist(fs.readFileSync(file, "utf8")).tasks;
    expect(tasks).toHaveLength(4);
    const prompt = DEFAULT_PROMPT.replace("{{DOCUMENT_PATH}}", file);
    for (let i = 0; i < tasks.length; i++) {
      const r = await runSim(d.args(prompt, { write: true }), { cwd, home: world.home });
      expect(d.reply(r.events)).toMatch(new RegExp(`^Ticked task '${tasks[i]!.text.slice(0, 20)}`));
      expect(parseChecklist(fs.readFileSync(file, "utf8")).done).toBe(i + 1);
    }
    expect(tree(cwd)).toEqual([
      ".maestro/playbooks/avatars.md",
      "user-avatars/design.md",
      "user-avatars/goal.md",
      "user-avatars/review.md",
    ]);
    expect(fs.readFileSync(path.join(cwd, "user-avatars", "goal.md"), "utf8")).toBe("Goal: user avatars\n");
  });
});

describe.concurrent("modes and faults are unchanged for the new requests", () => {
  test("claude plan mode: a plan is still answered; a write is described, not made", async () => {
    const cwd = folder("modes-plan");
    const c = byName("claude");
    const a = await runSim(c.args("plan a todo app in 6 steps", { extra: ["--permission-mode", "plan"] }), { cwd, home: world.home });
    expect(a.events.map(c.sig)).toEqual(c.textSeq);
    expect(parseChecklist(c.reply(a.events)).total).toBe(6);
    const b = await runSim(c.args("Write a file named hello.txt containing hi", { extra: ["--permission-mode", "plan"] }), {
      cwd,
      home: world.home,
    });
    expect(c.reply(b.events)).toMatch(/^I would write hello\.txt, but made no change\./);
    expect(tree(cwd)).toEqual([]);
  });

  test("crash and rate-limit faults strike a plan turn as any other", async () => {
    const cwd = folder("modes-faults");
    const c = byName("claude");
    const crash = await runSim(c.args("make a plan to add a login page"), { cwd, home: world.home, env: { MAESTRO_SIM_FAULT: "crash" } });
    expect(crash.code).toBe(1);
    expect(crash.stderr).toContain("simulated crash");
    const rl = await runSim(c.args("Write a file named hello.txt containing hi", { write: true }), {
      cwd,
      home: world.home,
      env: { MAESTRO_SIM_FAULT: "ratelimit" },
    });
    expect(c.reply(rl.events)).toMatch(/^You've hit your limit/);
    expect(tree(cwd)).toEqual([]);
  });
});
