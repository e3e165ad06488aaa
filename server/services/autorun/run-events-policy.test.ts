import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DesktopJsonl } from "../../../lib/autorun/run-events";
import { createBus } from "../../events/bus";
import { createTestServices, tempDir } from "../../testing/harness";
import { createRunEvents, desktopLines } from "./run-events";
import { autorunProject } from "./test-project";

/**
 * What a reader of a run's JSONL (the CLI) sees at the edges: a rate limit's pause goes on by
 * itself (a non-final `paused` line, then `resumed`, then the rest), a turn that could not even
 * start still closes its `task_start`, and a skipped document still gets its `document_complete`.
 * Real simulator processes, real SQLite, real files.
 */
let services: ReturnType<typeof createTestServices>;
const simHome = tempDir("maestro-simhome-");
const dirs: string[] = [simHome];

beforeAll(() => {
  process.env.MAESTRO_SIM_HOME = simHome;
  services = createTestServices({ turns: { idleTimeoutMs: 10_000, stopGraceMs: 300 } });
});
afterAll(async () => {
  await services.cleanup();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const types = (lines: DesktopJsonl[]) => lines.map((l) => l.type);
const setEnv = (agentId: string, env: Record<string, string>) =>
  services.db.agent.update({ where: { id: agentId }, data: { settingsJson: JSON.stringify({ env }) } });

async function collect(runId: string, onLine: (l: DesktopJsonl) => Promise<void> | void = () => {}) {
  const out: DesktopJsonl[] = [];
  for await (const l of services.autorun.desktopLines(runId, { fromStart: true })) {
    out.push(l);
    await onLine(l);
  }
  return out;
}

describe("the CLI's pause policy and pairing", () => {
  test("a rate limit with a known end: paused (not final), resumed, and the run's own complete", async () => {
    const { agent } = await autorunProject(services, dirs, { "plan.md": "- [ ] one\n- [ ] two\n" }, "ratelimit");
    await setEnv(agent.id, { MAESTRO_SIM_FAULT: "ratelimit", MAESTRO_SIM_RESET_SEC: "1" });
    const run = await services.autorun.start({ agentId: agent.id, config: { documents: [{ filename: "plan.md" }] } });
    // The limit lifts: the next turns run without the fault.
    const lines = await collect(run.id, async (l) => {
      if (l.type === "paused") await setEnv(agent.id, {});
    });
    expect(types(lines)).toEqual([
      "start",
      "document_start",
      "task_start",
      "task_complete",
      "paused",
      "resumed",
      "task_start",
      "task_complete",
      "task_start",
      "task_complete",
      "document_complete",
      "complete",
    ]);
    const paused = lines[4]!;
    expect(paused).toMatchObject({ pauseKind: "rate_limit", document: "plan" });
    expect(typeof paused.resumeAt).toBe("number");
    expect(lines.at(-1)).toMatchObject({ success: true, status: "done", totalTasksCompleted: 2 });
  }, 30_000);

  test("a turn that cannot start still gets task_complete{success:false}, then the final halt", async () => {
    const { agent } = await autorunProject(services, dirs, { "plan.md": "- [ ] one\n" }, "nostart");
    await services.db.agent.update({ where: { id: agent.id }, data: { provider: "no-such-provider" } });
    const run = await services.autorun.start({ agentId: agent.id, config: { documents: [{ filename: "plan.md" }] } });
    const lines = await collect(run.id);
    expect(types(lines)).toEqual(["start", "document_start", "task_start", "task_complete", "halt", "complete"]);
    expect(lines[3]).toMatchObject({ success: false, status: "failed", taskIndex: 0, turnId: null });
    expect(String(lines[3]!.fullResponse)).toMatch(/Unknown provider/);
    expect(lines[4]).toMatchObject({ pauseKind: "error", document: "plan" });
    expect(lines[5]).toMatchObject({ success: false, status: "paused" });
    const attempt = await services.db.autorunAttempt.findFirstOrThrow({ where: { runId: run.id } });
    expect(attempt.status).toBe("failed");
  });

  test("skipping the paused document: document_complete, resumed, then the rest of the run", async () => {
    const { agent } = await autorunProject(services, dirs, { "a.md": "- [ ] one\n- [ ] two\n", "b.md": "- [ ] three\n" }, "skip");
    await setEnv(agent.id, { MAESTRO_SIM_FAULT: "auth" });
    const run = await services.autorun.start({
      agentId: agent.id,
      config: { documents: [{ filename: "a.md" }, { filename: "b.md" }] },
    });
    const first = await collect(run.id);
    expect(types(first).slice(-2)).toEqual(["halt", "complete"]);
    await setEnv(agent.id, {});
    await services.autorun.skipDocument(run.id);
    const rest = await collect(run.id);
    expect(types(rest)).toEqual([
      "start",
      "document_complete",
      "resumed",
      "document_start",
      "task_start",
      "task_complete",
      "document_complete",
      "complete",
    ]);
    expect(rest[1]).toMatchObject({ document: "a", tasksCompleted: 0 });
    expect(rest[3]).toMatchObject({ document: "b", index: 1 });
    expect(rest.at(-1)).toMatchObject({ status: "done" });
  });
});

describe("a run's replay log stays small", () => {
  const usage = { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, contextWindow: 0 };
  const task = (n: number) =>
    ({
      type: "task-completed",
      runId: "r1",
      document: "plan.md",
      docIndex: 0,
      loop: 1,
      taskIndex: n,
      attemptId: `a${n}`,
      turnId: `t${n}`,
      success: true,
      status: "done",
      summary: `task ${n}`,
      response: "x".repeat(10_000),
      elapsedMs: 1,
      usage,
      providerSessionId: null,
    }) as const;

  test("only the newest 20 task events keep their reply; the live event is never changed", () => {
    const bus = createBus();
    const live: unknown[] = [];
    bus.subscribe("autorun.event", (e) => live.push(e));
    const events = createRunEvents(bus);
    for (let n = 0; n < 25; n++) events.emit(task(n));
    const log = events.log("r1");
    const kept = log.map((e) => (e.type === "task-completed" ? e.response.length : -1));
    expect(kept).toEqual([...Array(5).fill(0), ...Array(20).fill(10_000)]);
    expect(log.slice(0, 5).every((e) => e.type === "task-completed" && e.responseDropped)).toBe(true);
    expect((live[0] as { response: string }).response).toHaveLength(10_000);
    expect(events.dropped("r1")).toBe(0);
  });

  test("a replay of a log that dropped its middle says so: start, then gap, then the rest", async () => {
    const { agent } = await autorunProject(services, dirs, { "plan.md": "- [ ] one\n" }, "gap");
    const row = await services.db.autorunRun.create({
      data: { agentId: agent.id, name: "long", configJson: JSON.stringify({ documents: [{ filename: "plan.md" }] }), status: "done" },
    });
    const bus = createBus();
    const events = createRunEvents(bus);
    const started = { runId: row.id, kind: "direct", playbookId: null, name: "long", tabId: null } as const;
    events.emit({ type: "run-started", ...started, agent: { id: agent.id, name: agent.name, folder: agent.folder } });
    for (let n = 0; n < 505; n++) events.emit({ type: "resumed", runId: row.id });
    const totals = { tasksDone: 0, tasksFailed: 0, elapsedMs: 0, costUsd: 0 };
    events.emit({ type: "run-ended", runId: row.id, status: "done", reason: "r", totals, halt: null });
    const lines: DesktopJsonl[] = [];
    for await (const l of desktopLines({ db: services.db, bus, events }, row.id, { fromStart: true })) lines.push(l);
    expect(types(lines.slice(0, 2))).toEqual(["start", "gap"]);
    expect(lines[1]).toMatchObject({ dropped: 7, runId: row.id });
    expect(lines).toHaveLength(2 + 498 + 1);
    expect(lines.at(-1)).toMatchObject({ type: "complete", success: true });
  });

  test("past 500 events the middle goes, the start stays, and the log counts what it dropped", () => {
    const events = createRunEvents(createBus());
    events.emit({
      type: "run-started",
      runId: "r2",
      kind: "direct",
      playbookId: null,
      name: "n",
      tabId: null,
      agent: { id: "a", name: "a", folder: "/" },
    });
    for (let n = 0; n < 510; n++) events.emit({ type: "resumed", runId: "r2" });
    const log = events.log("r2");
    expect(log).toHaveLength(500);
    expect(log[0]!.type).toBe("run-started");
    expect(log[1]!.seq).toBe(13);
    expect(events.dropped("r2")).toBe(11);
  });
});
