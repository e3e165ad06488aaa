// The simulator's phrase matching: prompt → what it will do (a plan of N tasks, a file with
// content, or nothing new), and the checklist it answers a plan with.
import { describe, expect, test } from "vitest";
import { parseChecklist } from "../lib/autorun/checklist";
import { DEFAULT_PROMPT } from "../lib/autorun/run-prompt";
import { readIntent } from "./intent.mjs";
import { makeChecklist, slugOf } from "./make-checklist.mjs";

const plan = (subject: string, count = 4, file: string | null = null) => ({ kind: "plan", subject, count, file });
const write = (name: string, content: string | null) => ({ kind: "write", name, content });

const SPEC_PROMPT =
  "Write a markdown checklist for: add user avatars. Save it as /home/me/My Project/.maestro/playbooks/avatars.md using GitHub task-list syntax (`- [ ] task`), one task per line.";

const TABLE: [string, object | null][] = [
  // plans, in the reply
  ["make a plan to add a login page", plan("add a login page")],
  ["Make a plan to add a login page.", plan("add a login page")],
  ["write a checklist for releasing v2", plan("releasing v2")],
  ["plan: migrate the database to Postgres", plan("migrate the database to Postgres")],
  ["Plan: migrate the database", plan("migrate the database")],
  ["break this into tasks: set up CI for the repo", plan("set up CI for the repo")],
  ["Break adding dark mode into 5 tasks", plan("adding dark mode", 5)],
  ["break it down into steps", plan("")],
  ["spec out the billing page", plan("the billing page")],
  ["plan a todo app", plan("a todo app")],
  ["I want to plan the office move", plan("the office move")],
  ["Can you make a 3-step plan for the move?", plan("the move", 3)],
  ["give me a checklist with six steps for onboarding a teammate", plan("onboarding a teammate", 6)],
  ["write a todo list for the weekend", plan("the weekend")],
  ["checklist for the launch", plan("the launch")],
  ["What are the steps to deploy the app?", plan("deploy the app")],
  ["plan a todo app in 7 steps", plan("a todo app", 7)],
  ["make a plan with 50 tasks for the rewrite", plan("the rewrite", 12)],
  ["Draft a short spec for the search box", plan("the search box")],
  ["list the steps to cut a release", plan("cut a release")],
  ["make a plan to write hello.txt containing hi", plan("write hello.txt containing hi")],
  // the empty conversation's examples (components/conversation/empty-state.tsx)
  ["Plan a todo app", plan("a todo app")],
  ["Plan a todo app in the Auto Run folder", plan("a todo app", 4, ".maestro/playbooks/todo-app.md")],
  // plans saved to a file
  [SPEC_PROMPT, plan("add user avatars", 4, "/home/me/My Project/.maestro/playbooks/avatars.md")],
  ["Write a checklist for: ship v2. Save it as `/tmp/x/ship.md`, one task per line.", plan("ship v2", 4, "/tmp/x/ship.md")],
  ["write a checklist for releasing v2 into release.md", plan("releasing v2", 4, "release.md")],
  ["make a plan of 3 tasks for the demo and save it to docs/demo.md", plan("the demo", 3, "docs/demo.md")],
  ["plan a todo app in the Auto Run folder", plan("a todo app", 4, ".maestro/playbooks/todo-app.md")],
  [
    "Write a checklist for the launch and save it in the Auto Run folder as launch.md",
    plan("the launch", 4, ".maestro/playbooks/launch.md"),
  ],
  ["write a checklist for ../../escape into ../../escape.md", plan("../../escape", 4, "../../escape.md")],
  // writes
  ["Write a file named hello.txt containing hi", write("hello.txt", "hi")],
  ["write a file named hello.txt containing hi.", write("hello.txt", "hi")],
  ["create hello.txt with the text hi", write("hello.txt", "hi")],
  ["Create a new file hello.txt containing hi there. Then stop.", write("hello.txt", "hi there")],
  ["make a file called notes.md that says remember the milk", write("notes.md", "remember the milk")],
  ["put 'hi' in hello.txt", write("hello.txt", "hi")],
  ["Put “hello world” into greeting.txt", write("greeting.txt", "hello world")],
  ["save the word hello to greeting.txt", write("greeting.txt", "hello")],
  ["write hi to hello.txt", write("hello.txt", "hi")],
  ['write a file called "my notes.txt" containing "a, b. C"', write("my notes.txt", "a, b. C")],
  ["Write out/hello.txt containing line one\\nline two", write("out/hello.txt", "line one\nline two")],
  ["Write a file named notes.md with the content:\n# Notes\n\nhello", write("notes.md", "# Notes\n\nhello")],
  ["Create a file named notes.md", write("notes.md", null)],
  ["create a file named README containing hi", write("README", "hi")],
  ["Create a file named login-page/goal.md containing Goal: add a login page", write("login-page/goal.md", "Goal: add a login page")],
  ["write a file named notes.txt containing make a plan", write("notes.txt", "make a plan")],
  ["Write a file named ../evil.txt containing x", write("../evil.txt", "x")],
  ["create a file named /etc/evil containing x", write("/etc/evil", "x")],
  // nothing new: a text answer, or the older rules (ticking, `write <path>`) decide
  ["Say hello and describe yourself in one line.", null],
  ["Explain this project", null],
  ["Write hello.txt", null],
  ["Write hello.txt with a greeting", null],
  ["Please write ../escape.txt now", null],
  ["Create file `out/deep/notes.txt` with the notes", null],
  ["Do the first unchecked task in docs/plan.md and tick its box.", null],
  ["Work through all unchecked tasks in docs/plan.md (per-document mode).", null],
  ["Read AGENTS.md for context. Do the first unchecked task in docs/plan.md", null],
  [DEFAULT_PROMPT.replace("{{DOCUMENT_PATH}}", "/work/.maestro/playbooks/plan.md"), null],
  ["create a todo app", null],
  ["the plan is fine, go ahead", null],
  ["Save it as notes.md", null],
  ["Fix the bug", null],
  ["- [ ] tick this", null],
];

describe("readIntent", () => {
  test.each(TABLE)("%j", (prompt, want) => {
    expect(readIntent(prompt)).toEqual(want);
  });
});

describe("makeChecklist", () => {
  test("4 tasks by default, N when asked, clamped to 1..12; parses as that many open tasks", () => {
    for (const [n, want] of [
      [undefined, 4],
      [1, 1],
      [2, 2],
      [7, 7],
      [40, 12],
    ] as const) {
      const c = makeChecklist("add a login page", n);
      expect(c.tasks).toHaveLength(want);
      const parsed = parseChecklist(c.document);
      expect(parsed.total).toBe(want);
      expect(parsed.done).toBe(0);
      expect(parsed.tasks.map((t) => t.text)).toEqual(c.tasks);
      expect(new Set(c.tasks).size).toBe(want);
    }
  });

  test("deterministic, drawn from the subject, and mostly files the simulator can write", () => {
    const a = makeChecklist("add a login page");
    expect(makeChecklist("add a login page")).toEqual(a);
    expect(a.tasks).toEqual([
      "Create a file named login-page/goal.md containing Goal: add a login page",
      "Create a file named login-page/design.md containing Design notes for: add a login page",
      "Do the main work for: add a login page",
      "Create a file named login-page/review.md containing Review of: add a login page",
    ]);
    for (const t of a.tasks.filter((x) => x.startsWith("Create")))
      expect(readIntent(t)).toMatchObject({ kind: "write", name: expect.stringMatching(/^login-page\//) });
    expect(a.intro).toBe("A 4-task plan for “add a login page”; run it with Auto Run and I will do one task per step:");
  });

  test("a subject cannot break the checklist: brackets, comments and new lines are cleaned", () => {
    const c = makeChecklist("x <!-- maestro:halt: no --> [ ] y\n- [ ] z");
    expect(parseChecklist(c.document)).toMatchObject({ total: 4, halt: null });
    expect(makeChecklist("").subject).toBe("the work");
  });

  test.each([
    ["add a login page", "login-page"],
    ["releasing v2", "releasing-v2"],
    ["a todo app", "todo-app"],
    ["the", "the"],
    ["!!!", "plan"],
    ["Ünïcode ☃ only", "unicode-only"],
  ])("slugOf(%j) = %j", (s, want) => {
    expect(slugOf(s)).toBe(want);
  });
});

describe("long prompts", () => {
  test("a long paste is read quickly, by its opening words", () => {
    const filler = " write this and save that to nowhere and put it in place".repeat(20_000);
    const started = performance.now();
    expect(readIntent(`make a plan to add a login page.${filler}`)).toEqual(plan("add a login page"));
    expect(readIntent(`Explain this.${filler} Write a file named late.txt containing x`)).toBeNull();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
