import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseChecklist } from "../../../lib/autorun/checklist";
import { toDesktopJsonl, type DesktopJsonl, type RunEvent } from "../../../lib/autorun/run-events";
import { callerFor, createTestServices, pairedOwner, startTestBridge, tempDir } from "../../testing/harness";
import { autorunProject } from "./test-project";

/**
 * The runner's `autorun.event` topic, as desktop JSONL, for whole runs against real simulator
 * processes, real SQLite and real files: every line in order, its fields and their types, and
 * the same lines through the `autorun.onRunEvent` subscription.
 */
let services: ReturnType<typeof createTestServices>;
const simHome = tempDir("maestro-simhome-");
const dirs: string[] = [simHome];
const seen: RunEvent[] = [];

beforeAll(() => {
  process.env.MAESTRO_SIM_HOME = simHome;
  services = createTestServices({ turns: { idleTimeoutMs: 10_000, stopGraceMs: 300 } });
  services.bus.subscribe("autorun.event", (e) => seen.push(e));
});
afterAll(async () => {
  await services.cleanup();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const THREE = "# Plan\n\n- [ ] write alpha.txt\n- [ ] second task\n- [ ] third task\n";

async function agentWith(docs: Record<string, string>, env: Record<string, string> = {}) {
  const made = await autorunProject(services, dirs, docs, "events");
  await services.db.agent.update({ where: { id: made.agent.id }, data: { settingsJson: JSON.stringify({ env }) } });
  return made;
}

/** Everything the bus carried for a run, as desktop's lines. */
const linesOf = (runId: string) => seen.filter((e) => e.runId === runId).flatMap((e) => toDesktopJsonl(e));
const types = (lines: DesktopJsonl[]) => lines.map((l) => l.type);
const only = (lines: DesktopJsonl[], type: string) => lines.filter((l) => l.type === type);

/** Every line: `type`, then a numeric `timestamp`, in time order. */
function expectWellFormed(lines: DesktopJsonl[]) {
  let t = 0;
  for (const l of lines) {
    expect(Object.keys(l).slice(0, 2)).toEqual(["type", "timestamp"]);
    expect(typeof l.timestamp).toBe("number");
    expect(l.timestamp).toBeGreaterThanOrEqual(t);
    t = l.timestamp;
  }
}

function expectTaskComplete(l: DesktopJsonl, document: string, taskIndex: number, success: boolean) {
  expect(l).toMatchObject({ type: "task_complete", document, taskIndex, success });
  expect(Object.keys(l).slice(2, 10)).toEqual([
    "document",
    "taskIndex",
    "success",
    "summary",
    "fullResponse",
    "elapsedMs",
    "usageStats",
    "agentSessionId",
  ]);
  expect(typeof l.summary).toBe("string");
  expect(typeof l.fullResponse).toBe("string");
  expect(typeof l.elapsedMs).toBe("number");
  expect(typeof l.agentSessionId).toBe("string");
  const usage = l.usageStats as Record<string, unknown>;
  expect(Object.keys(usage)).toEqual([
    "inputTokens",
    "outputTokens",
    "cacheReadInputTokens",
    "cacheCreationInputTokens",
    "totalCostUsd",
    "contextWindow",
  ]);
  for (const v of Object.values(usage)) expect(typeof v).toBe("number");
}

describe("a run's events, as desktop's JSONL", () => {
  test("a 3-task document: start, document, three tasks, document, complete", async () => {
    const { agent } = await agentWith({ "plan.md": THREE });
    const run = await services.autorun.start({ agentId: agent.id, config: { documents: [{ filename: "plan.md" }] }, name: "Three" });
    await services.autorun.settled(run.id);
    const lines = linesOf(run.id);
    expect(types(lines)).toEqual([
      "start",
      "document_start",
      "task_start",
      "task_complete",
      "task_start",
      "task_complete",
      "task_start",
      "task_complete",
      "document_complete",
      "complete",
    ]);
    expectWellFormed(lines);
    expect(lines[0]).toMatchObject({
      playbook: { id: run.id, name: "Three" },
      session: { id: agent.id, name: agent.name, cwd: agent.folder },
      runId: run.id,
    });
    expect(lines[1]).toEqual({ type: "document_start", timestamp: lines[1]!.timestamp, document: "plan", index: 0, taskCount: 3 });
    const texts = parseChecklist(THREE).tasks.map((t) => t.text);
    only(lines, "task_start").forEach((l, i) => expect(l).toMatchObject({ document: "plan", taskIndex: i, task: texts[i] }));
    only(lines, "task_complete").forEach((l, i) => expectTaskComplete(l, "plan", i, true));
    // Each task's own turn: a fresh provider session per task.
    expect(new Set(only(lines, "task_complete").map((l) => l.agentSessionId)).size).toBe(3);
    expect(only(lines, "task_complete")[0]!.fullResponse).toMatch(/alpha/);
    expect(lines[8]).toEqual({ type: "document_complete", timestamp: lines[8]!.timestamp, document: "plan", tasksCompleted: 3 });
    const stored = await services.db.autorunRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(lines[9]).toMatchObject({
      success: true,
      totalTasksCompleted: 3,
      totalElapsedMs: stored.elapsedMs,
      totalCost: stored.costUsd,
      status: "done",
    });
    expect(Object.keys(lines[9]!).slice(2, 6)).toEqual(["success", "totalTasksCompleted", "totalElapsedMs", "totalCost"]);
  });

  test("two loops: loop_complete between them only, task indexes count again per pass", async () => {
    const { agent } = await agentWith({ "daily.md": "- [ ] first\n- [ ] second\n" });
    const run = await services.autorun.start({
      agentId: agent.id,
      config: { documents: [{ filename: "daily.md", resetOnCompletion: true }], loopEnabled: true, maxLoops: 2 },
    });
    await services.autorun.settled(run.id);
    const lines = linesOf(run.id);
    const pass = ["document_start", "task_start", "task_complete", "task_start", "task_complete", "document_complete"];
    expect(types(lines)).toEqual(["start", ...pass, "loop_complete", ...pass, "complete"]);
    expectWellFormed(lines);
    expect(only(lines, "task_start").map((l) => l.taskIndex)).toEqual([0, 1, 0, 1]);
    expect(only(lines, "document_complete").map((l) => l.tasksCompleted)).toEqual([2, 2]);
    expect(only(lines, "loop_complete")[0]).toMatchObject({ iteration: 1, tasksCompleted: 2 });
    expect(typeof only(lines, "loop_complete")[0]!.elapsedMs).toBe("number");
    expect(lines.at(-1)).toMatchObject({ success: true, totalTasksCompleted: 4, status: "done" });
  });

  test("a halt marker: halt after the task that wrote it, then complete{halted}; no document_complete", async () => {
    const { agent } = await agentWith({ "plan.md": THREE }, { MAESTRO_SIM_FAULT: "halt" });
    const run = await services.autorun.start({ agentId: agent.id, config: { documents: [{ filename: "plan.md" }] } });
    await services.autorun.settled(run.id);
    const lines = linesOf(run.id);
    expect(types(lines)).toEqual(["start", "document_start", "task_start", "task_complete", "halt", "complete"]);
    expectWellFormed(lines);
    expect(lines[4]).toEqual({
      type: "halt",
      timestamp: lines[4]!.timestamp,
      document: "plan",
      taskIndex: 0,
      reason: "simulator was told to halt",
    });
    expect(lines[5]).toMatchObject({ success: false, halted: true, haltReason: "simulator was told to halt", status: "halted" });
  });

  test("a failing task pauses the run: task_complete{success:false}, then halt with the pause reason", async () => {
    const { agent } = await agentWith({ "plan.md": THREE }, { MAESTRO_SIM_FAULT: "auth" });
    const run = await services.autorun.start({ agentId: agent.id, config: { documents: [{ filename: "plan.md" }] } });
    await services.autorun.settled(run.id);
    const stored = await services.db.autorunRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(stored.status).toBe("paused");
    const lines = linesOf(run.id);
    expect(types(lines)).toEqual(["start", "document_start", "task_start", "task_complete", "halt", "complete"]);
    expectWellFormed(lines);
    expect(lines[3]).toMatchObject({ success: false, status: "failed", fullResponse: stored.pauseReason });
    expect(lines[4]).toMatchObject({ document: "plan", taskIndex: 0, reason: stored.pauseReason, pauseKind: "error" });
    expect(lines[5]).toMatchObject({
      success: false,
      totalTasksCompleted: 0,
      halted: true,
      haltReason: stored.pauseReason,
      status: "paused",
      tasksFailed: 1,
    });
  });
});

describe("autorun.onRunEvent", () => {
  type Lines = AsyncIterable<DesktopJsonl>;
  async function collect(stream: Lines) {
    const out: DesktopJsonl[] = [];
    for await (const l of stream) out.push(l);
    return out;
  }

  test("subscribed after start with fromStart: every line, once, ending after complete", async () => {
    const { principal } = await pairedOwner(services);
    const caller = callerFor(services, principal);
    const { agent } = await agentWith({ "plan.md": THREE });
    const run = await caller.autorun.start({ agentId: agent.id, config: { documents: [{ filename: "plan.md" }] } });
    const lines = await collect((await caller.autorun.onRunEvent({ runId: run.id, fromStart: true })) as Lines);
    expect(lines).toEqual(linesOf(run.id));
    expect(types(lines)[0]).toBe("start");
    expect(types(lines).at(-1)).toBe("complete");
    expect(only(lines, "task_complete")).toHaveLength(3);
  });

  test("an ended run answers its complete at once; a paused one its halt; an unknown run is not found", async () => {
    const { principal } = await pairedOwner(services);
    const caller = callerFor(services, principal);
    const { agent } = await agentWith({ "plan.md": "- [ ] only\n" });
    const run = await caller.autorun.start({ agentId: agent.id, config: { documents: [{ filename: "plan.md" }] } });
    await services.autorun.settled(run.id);
    const ended = await collect((await caller.autorun.onRunEvent({ runId: run.id })) as Lines);
    expect(types(ended)).toEqual(["complete"]);
    expect(ended[0]).toMatchObject({ success: true, totalTasksCompleted: 1 });

    const failing = await agentWith({ "plan.md": THREE }, { MAESTRO_SIM_FAULT: "auth" });
    const paused = await caller.autorun.start({ agentId: failing.agent.id, config: { documents: [{ filename: "plan.md" }] } });
    await services.autorun.settled(paused.id);
    expect(types(await collect((await caller.autorun.onRunEvent({ runId: paused.id })) as Lines))).toEqual(["halt", "complete"]);

    // Resumed (and failing again): a fresh reader with fromStart gets the start and the part after the Resume.
    await services.autorun.resume(paused.id);
    await services.autorun.settled(paused.id);
    const again = await collect((await caller.autorun.onRunEvent({ runId: paused.id, fromStart: true })) as Lines);
    expect(types(again)).toEqual(["start", "resumed", "task_start", "task_complete", "halt", "complete"]);
    expect(again[2]).toMatchObject({ taskIndex: 1 });

    await expect(collect((await caller.autorun.onRunEvent({ runId: "nope" })) as Lines)).rejects.toThrow(/does not exist/);
  });

  test("live from the moment of subscription: subscribed mid-run, the rest of the run to its end", async () => {
    const { principal } = await pairedOwner(services);
    const caller = callerFor(services, principal);
    const { agent } = await agentWith({ "plan.md": "- [ ] one\n- [ ] two\n" }, { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "150" });
    const run = await caller.autorun.start({ agentId: agent.id, config: { documents: [{ filename: "plan.md" }] } });
    // Subscribed while the first task runs: the lines from then on, nothing before.
    await new Promise((r) => setTimeout(r, 50));
    const lines = await collect((await caller.autorun.onRunEvent({ runId: run.id })) as Lines);
    const all = linesOf(run.id);
    expect(lines).toEqual(all.slice(all.length - lines.length));
    expect(types(lines).at(-1)).toBe("complete");
    expect(types(lines)).not.toContain("start");
    expect(only(lines, "task_complete").length).toBeGreaterThanOrEqual(1);
  });
});

describe("autorun.onRunEvent over HTTP (what the CLI reads)", () => {
  test("start over HTTP, then subscribe with fromStart: each SSE data message is one JSONL object, the stream ends after complete", async () => {
    const bridge = await startTestBridge(services);
    try {
      const { sessionToken } = await pairedOwner(services);
      const headers = { cookie: `maestro_session=${sessionToken}`, origin: bridge.base };
      const { agent } = await agentWith({ "plan.md": THREE });
      const started = await fetch(`${bridge.base}/api/trpc/autorun.start`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ json: { agentId: agent.id, config: { documents: [{ filename: "plan.md" }] } } }),
      });
      expect(started.status).toBe(200);
      const runId = ((await started.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id;
      const input = encodeURIComponent(JSON.stringify({ json: { runId, fromStart: true } }));
      const res = await fetch(`${bridge.base}/api/trpc/autorun.onRunEvent?input=${input}`, {
        headers: { ...headers, accept: "text/event-stream" },
      });
      expect(res.status).toBe(200);
      // The body ends when the server closes the stream: after `complete`.
      const body = await res.text();
      // One message per event: `data: {"json": <line>}` (tRPC's SSE with our plain-JSON transformer).
      const messages = body
        .split(/\n\n+/)
        .map((m) => m.trim())
        .filter((m) => m.startsWith("data: "))
        .map((m) => (JSON.parse(m.slice("data: ".length)) as { json: DesktopJsonl }).json);
      expect(types(messages)).toEqual(types(linesOf(runId)));
      expect(messages).toEqual(linesOf(runId));
      expect(types(messages).at(-1)).toBe("complete");
      expect(body.trimEnd().endsWith("event: return\ndata:")).toBe(true);
    } finally {
      await bridge.close();
    }
  });
});
