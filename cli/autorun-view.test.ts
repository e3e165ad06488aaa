import fs from "node:fs";
import * as pty from "node-pty";
import { afterAll, describe, expect, it } from "vitest";
import { createRunView } from "./commands/autorun-view.mjs";
import { createOutput } from "./output.mjs";
import { makeAgent, THREE, tmp } from "./testing/autorun-fixtures";
import { BIN, ROOT } from "./testing/fake-bridge";

/** How a run reads for a person: one live progress line on a terminal, plain lines when piped. */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function sink(isTTY: boolean) {
  let text = "";
  return { isTTY, write: (s: string) => ((text += s), true), text: () => text } as unknown as NodeJS.WriteStream & { text(): string };
}

const T = 1_800_000_000_000;
const events = [
  { type: "start", timestamp: T, playbook: { id: "r", name: "plan" }, session: { id: "a1", name: "api", cwd: "/p" }, runId: "r1" },
  { type: "document_start", timestamp: T, document: "plan", index: 0, taskCount: 3 },
  { type: "task_start", timestamp: T, document: "plan", taskIndex: 0, task: "one" },
  {
    type: "task_complete",
    timestamp: T + 62_000,
    document: "plan",
    taskIndex: 0,
    success: true,
    status: "done",
    summary: "Did one.\nmore",
    elapsedMs: 62_000,
    usageStats: { totalCostUsd: 0.04 },
  },
  { type: "task_start", timestamp: T + 62_000, document: "plan", taskIndex: 1, task: "two" },
];

describe("the run view", () => {
  it("piped: a plain line per task, no progress, no escape codes", () => {
    const stdout = sink(false);
    const stderr = sink(false);
    const ctx = { opts: {}, out: createOutput({}, { stdout, stderr, env: {} }) } as never;
    const view = createRunView(ctx, { stdout, stderr, env: {}, now: () => T + 62_000 });
    for (const e of events) view.event(e);
    view.event({ type: "complete", timestamp: T, success: true, totalTasksCompleted: 3, totalElapsedMs: 125_000, totalCost: 0.12 });
    view.end();
    expect(stdout.text()).toBe(
      "Auto Run “plan” on api (run r1)\n✓ plan · task 1: Did one. (1m 02s, $0.04)\nDone: 3 task(s) in 2m 05s, $0.12.\n",
    );
    expect(stderr.text()).toBe("");
  });

  it("on a terminal: the progress line on stderr, redrawn in place, cleared at the end", () => {
    const stdout = sink(true);
    const stderr = sink(true);
    const ctx = { opts: {}, out: createOutput({ color: false }, { stdout, stderr, env: {} }) } as never;
    const view = createRunView(ctx, { stdout, stderr, env: {}, now: () => T + 62_000 });
    for (const e of events) view.event(e);
    view.end();
    expect(stderr.text()).toContain("\r\x1b[2KTask 2 of 3 · plan · 1m 02s · $0.04");
    expect(stderr.text().endsWith("\r\x1b[2K")).toBe(true);
    expect(stdout.text()).toContain("✓ plan · task 1: Did one.");
  });

  it("no progress line with NO_COLOR or -q", () => {
    for (const [opts, env] of [
      [{}, { NO_COLOR: "1" }],
      [{ quiet: true }, {}],
    ] as const) {
      const stdout = sink(true);
      const stderr = sink(true);
      const ctx = { opts, out: createOutput(opts, { stdout, stderr, env }) } as never;
      const view = createRunView(ctx, { stdout, stderr, env, now: () => T });
      for (const e of events) view.event(e);
      view.end();
      expect(stderr.text()).toBe("");
    }
  });
});

it("a real terminal: the real bin headless shows the progress line and the task lines", async () => {
  const home = tmp("maestro-cli-tty-");
  const sim = tmp("maestro-cli-sim-");
  dirs.push(home, sim);
  const made = await makeAgent(home, "tty", { "plan.md": THREE });
  dirs.push(made.project);
  const { NO_COLOR: _n, MAESTRO_HOME: _h, ...inherited } = process.env;
  const term = pty.spawn(process.execPath, [BIN, "--data-dir", home, "run-doc", "plan", "-a", "tty"], {
    cwd: ROOT,
    cols: 120,
    rows: 30,
    env: { ...inherited, MAESTRO_SIM_HOME: sim },
  });
  let text = "";
  term.onData((d) => (text += d));
  const code = await new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  const plain = text.replace(/\x1b\[[0-9;]*m/g, "");
  expect(code, plain).toBe(0);
  expect(plain).toMatch(/Task 1 of 3 · plan · \d+s · \$\d+\.\d\d/);
  expect(plain).toMatch(/✓ plan · task 3: /);
  expect(plain).toMatch(/Done: 3 task\(s\) in \d+s/);
}, 60_000);
