import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseChecklist } from "../../../lib/autorun/checklist";
import type { RunConfigInput } from "../../../lib/autorun/run-config";
import type { BusEvents } from "../../events/bus";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../../testing/harness";
import { autorunProject } from "./test-project";

/**
 * Auto Run against real simulator child processes, real SQLite and real files: the happy path,
 * then each fault the issue names (crash, halt, stall, rate limit), Stop, review gates, resets.
 */
let services: ReturnType<typeof createTestServices>;
const simHome = tempDir("maestro-simhome-");
const dirs: string[] = [simHome];
const notices: BusEvents["notify"][] = [];

beforeAll(() => {
  process.env.MAESTRO_SIM_HOME = simHome;
  services = createTestServices({ turns: { idleTimeoutMs: 10_000, stopGraceMs: 300 } });
  services.bus.subscribe("notify", (n) => notices.push(n));
});
afterAll(async () => {
  await services.cleanup();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const FIVE_TASKS = `# Plan

- [ ] write alpha.txt
- [ ] second task
  - [ ] nested one
  - [ ] nested two
- [ ] last task
`;

/** An agent on a fresh project whose Auto Run folder holds the given documents. */
async function agentWith(docs: Record<string, string>, settings: Record<string, unknown> = {}) {
  const made = await autorunProject(services, dirs, docs);
  await setEnv(made.agent.id, settings);
  return made;
}

async function setEnv(agentId: string, settings: Record<string, unknown>) {
  await services.db.agent.update({ where: { id: agentId }, data: { settingsJson: JSON.stringify(settings) } });
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const runOf = (id: string) => services.db.autorunRun.findUniqueOrThrow({ where: { id } });
const waitStatus = (id: string, status: string, timeoutMs?: number) =>
  waitFor(
    `run ${status}`,
    async () => {
      const r = await runOf(id);
      return r.status === status ? r : null;
    },
    timeoutMs,
  );
const config = (filenames: string[], extra: Partial<RunConfigInput> = {}): RunConfigInput => ({
  documents: filenames.map((filename) => ({ filename })),
  ...extra,
});
const taskHistory = (runId: string) =>
  services.db.historyEntry.findMany({ where: { runId, kind: "autorun-task" }, orderBy: { createdAt: "asc" } });

describe("a run", () => {
  test("ticks every task (nested too) with one fresh session per task, and records history", async () => {
    const { agent, doc } = await agentWith({ "plan.md": FIVE_TASKS });
    const run = await services.autorun.start({ agentId: agent.id, config: config(["plan.md"]), name: "Five" });
    await expect(services.autorun.start({ agentId: agent.id, config: config(["plan.md"]) })).rejects.toThrow(
      /already has a running Auto Run/,
    );
    await services.autorun.settled(run.id);
    const done = await runOf(run.id);
    expect(done).toMatchObject({ status: "done", tasksDone: 5, tasksFailed: 0, loop: 1 });
    expect(done.outputTokens).toBeGreaterThan(0);
    const checklist = parseChecklist(doc("plan.md"));
    expect(checklist).toMatchObject({ total: 5, done: 5 });
    // The task the text names really happened.
    expect(fs.existsSync(path.join(agent.folder, "alpha.txt"))).toBe(true);

    const tasks = await taskHistory(run.id);
    expect(tasks).toHaveLength(5);
    for (const [i, t] of tasks.entries()) {
      expect(t.success).toBe(true);
      expect(t.summary).toMatch(/^Ticked task '.+' in /);
      expect(t.summary).not.toContain("\n");
      expect(t.detail).toBe(checklist.tasks[i]!.text);
      expect(t.turnId).toBeTruthy();
    }
    // Fresh provider session per task: every turn started a new simulator session.
    const turns = await services.db.turn.findMany({ where: { tabId: done.tabId! }, orderBy: { startedAt: "asc" } });
    expect(turns).toHaveLength(5);
    const sessions = await services.db.event.findMany({ where: { turnId: { in: turns.map((t) => t.id) }, type: "session" } });
    expect(new Set(sessions.map((s) => JSON.parse(s.payload).sessionId)).size).toBe(5);
    expect(await services.db.historyEntry.count({ where: { runId: run.id, kind: "autorun-loop" } })).toBe(1);
    expect(await services.db.historyEntry.count({ where: { runId: run.id, kind: "autorun-run", success: true } })).toBe(1);
    expect(notices.filter((n) => n.url === `/autorun/runs/${run.id}`).map((n) => n.kind)).toEqual(["document-done", "run-done"]);
    // The task turns are Auto Run's: History has them as tasks, not also as user turns.
    expect(await services.db.historyEntry.count({ where: { kind: "turn", tabId: done.tabId! } })).toBe(0);
  });

  test("runs on two agents go in parallel", async () => {
    const a = await agentWith({ "a.md": "- [ ] one\n- [ ] two\n" }, { env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "60" } });
    const b = await agentWith({ "b.md": "- [ ] one\n- [ ] two\n" }, { env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "60" } });
    const ra = await services.autorun.start({ agentId: a.agent.id, config: config(["a.md"]) });
    const rb = await services.autorun.start({ agentId: b.agent.id, config: config(["b.md"]) });
    // Both have a task in flight at the same moment.
    await waitFor("both busy", async () => (await runOf(ra.id)).currentTurnId && (await runOf(rb.id)).currentTurnId);
    await Promise.all([services.autorun.settled(ra.id), services.autorun.settled(rb.id)]);
    expect((await runOf(ra.id)).status).toBe("done");
    expect((await runOf(rb.id)).status).toBe("done");
  });

  test("the provider crashes mid-task: the run pauses; Resume goes on with nothing done twice", async () => {
    const { agent, doc } = await agentWith({ "plan.md": FIVE_TASKS });
    const run = await services.autorun.start({ agentId: agent.id, config: config(["plan.md"]) });
    await waitFor("first task done", async () => parseChecklist(doc("plan.md")).done >= 1);
    await setEnv(agent.id, { env: { MAESTRO_SIM_FAULT: "crash" } });
    const paused = await waitStatus(run.id, "paused");
    expect(paused.pauseKind).toBe("error");
    expect(paused.pauseReason).toMatch(/crash|exit/i);
    expect(paused.tasksFailed).toBe(1);
    const failed = (await taskHistory(run.id)).filter((h) => !h.success);
    expect(failed).toHaveLength(1);
    expect(notices.filter((n) => n.url.endsWith(run.id)).map((n) => n.kind)).toEqual(expect.arrayContaining(["task-failed", "run-paused"]));
    await expect(services.autorun.start({ agentId: agent.id, config: config(["plan.md"]) })).rejects.toThrow(
      /already has a paused Auto Run/,
    );

    await setEnv(agent.id, {});
    await services.autorun.resume(run.id);
    await services.autorun.settled(run.id);
    expect(await runOf(run.id)).toMatchObject({ status: "done", tasksDone: 5 });
    expect(parseChecklist(doc("plan.md")).done).toBe(5);
    const attempts = await services.autorun.attempts(run.id);
    const doneTexts = attempts.filter((a) => a.status === "done").map((a) => a.taskText);
    expect(doneTexts).toHaveLength(5);
    expect(new Set(doneTexts).size).toBe(5);
  });

  test("Skip document and Abort while paused", async () => {
    const { agent, doc } = await agentWith(
      { "a.md": "- [ ] one\n- [ ] two\n", "b.md": "- [ ] three\n" },
      { env: { MAESTRO_SIM_FAULT: "auth" } },
    );
    const run = await services.autorun.start({ agentId: agent.id, config: config(["a.md", "b.md"]) });
    const paused = await waitStatus(run.id, "paused");
    expect(paused.pauseReason).toMatch(/log ?in|auth|API key/i);
    await setEnv(agent.id, {});
    await services.autorun.skipDocument(run.id);
    await services.autorun.settled(run.id);
    expect(await runOf(run.id)).toMatchObject({ status: "done", tasksDone: 1 });
    expect(parseChecklist(doc("a.md")).done).toBe(0);
    expect(parseChecklist(doc("b.md")).done).toBe(1);

    await setEnv(agent.id, { env: { MAESTRO_SIM_FAULT: "auth" } });
    const again = await services.autorun.start({ agentId: agent.id, config: config(["a.md"]) });
    await waitStatus(again.id, "paused");
    await services.autorun.abort(again.id);
    expect(await runOf(again.id)).toMatchObject({ status: "aborted", endReason: "Aborted by you." });
    await expect(services.autorun.resume(again.id)).rejects.toThrow(/aborted; it cannot be resumed/);
  });

  test("a halt marker stops the run and blocks the next one until cleared", async () => {
    const { agent, owner, doc } = await (async () => {
      const a = await agentWith({ "plan.md": FIVE_TASKS });
      return { ...a, owner: await pairedOwner(services) };
    })();
    const run = await services.autorun.start({ agentId: agent.id, config: config(["plan.md"]) });
    await waitFor("first task done", async () => parseChecklist(doc("plan.md")).done >= 1);
    await setEnv(agent.id, { env: { MAESTRO_SIM_FAULT: "halt" } });
    const halted = await waitStatus(run.id, "halted");
    expect(halted.endReason).toMatch(/plan\.md says halt: simulator was told to halt/);
    const after = parseChecklist(doc("plan.md"));
    expect(after.halt?.reason).toBe("simulator was told to halt");
    expect(after.done).toBeLessThan(5);

    await setEnv(agent.id, {});
    const caller = callerFor(services, owner.principal);
    await expect(caller.autorun.start({ agentId: agent.id, config: config(["plan.md"]) })).rejects.toThrow(
      /plan\.md has a halt marker from an earlier run/,
    );
    await caller.autorun.clearHalt({ agentId: agent.id, filename: "plan.md" });
    expect(parseChecklist(doc("plan.md")).halt).toBeNull();
    const next = await caller.autorun.start({ agentId: agent.id, config: config(["plan.md"]) });
    await services.autorun.settled(next.id);
    expect((await runOf(next.id)).status).toBe("done");
    expect(parseChecklist(doc("plan.md")).done).toBe(5);
  });

  test("a document with no progress in 3 runs stalls and the run moves on", async () => {
    // Plan mode: the agent answers but may not write, so the boxes never get ticked.
    const { agent } = await agentWith({ "stuck.md": "- [ ] cannot happen\n", "next.md": "- [ ] also read-only\n" }, { readOnly: true });
    const run = await services.autorun.start({ agentId: agent.id, config: config(["stuck.md", "next.md"]) });
    await services.autorun.settled(run.id);
    const r = await runOf(run.id);
    expect(r.status).toBe("done");
    const attempts = await services.autorun.attempts(run.id);
    expect(attempts.map((a) => `${a.docIndex}:${a.status}`)).toEqual([
      "0:no-progress",
      "0:no-progress",
      "0:no-progress",
      "1:no-progress",
      "1:no-progress",
      "1:no-progress",
    ]);
    const docs = await services.autorun.documents(run.id);
    expect(docs.map((d) => d.stalled)).toEqual([true, true]);
    const stalls = (await taskHistory(run.id)).filter((h) => /stalled/.test(h.summary));
    expect(stalls.map((s) => s.summary)).toEqual([
      expect.stringMatching(/^stuck\.md stalled: 3 runs/),
      expect.stringMatching(/^next\.md stalled: 3 runs/),
    ]);
  });

  test("a rate limit pauses the run until the reset time, then it goes on by itself", async () => {
    const { agent, doc } = await agentWith(
      { "plan.md": "- [ ] one\n- [ ] two\n" },
      { env: { MAESTRO_SIM_FAULT: "ratelimit", MAESTRO_SIM_RESET_SEC: "2" } },
    );
    const started = Date.now();
    const run = await services.autorun.start({ agentId: agent.id, config: config(["plan.md"]) });
    const paused = await waitStatus(run.id, "paused");
    expect(paused.pauseKind).toBe("rate_limit");
    expect(paused.pauseReason).toMatch(/^Rate limited: waiting until /);
    expect(paused.resumeAt!.getTime()).toBeGreaterThan(Date.now());
    expect(paused.resumeAt!.getTime()).toBeLessThan(started + 5000);
    await setEnv(agent.id, {});
    const done = await waitStatus(run.id, "done", 15_000);
    expect(Date.now()).toBeGreaterThanOrEqual(paused.resumeAt!.getTime());
    expect(done.tasksDone).toBe(2);
    expect(parseChecklist(doc("plan.md")).done).toBe(2);
  });

  test("a rate-limit wait left by a bridge that died is re-armed at start, and the run goes on by itself", async () => {
    const { agent, doc } = await agentWith({ "plan.md": "- [ ] one\n- [ ] two\n" });
    // The row as a bridge killed during the wait leaves it: paused, with the reset time stored.
    const tab = await services.db.tab.create({ data: { agentId: agent.id, name: "Auto Run · plan.md", sortOrder: 10_000 } });
    const resumeAt = new Date(Date.now() + 1500);
    const run = await services.db.autorunRun.create({
      data: {
        agentId: agent.id,
        name: "plan.md",
        configJson: JSON.stringify(config(["plan.md"])),
        tabId: tab.id,
        status: "paused",
        pauseKind: "rate_limit",
        pauseReason: "Rate limited: waiting until …",
        resumeAt,
      },
    });
    await services.autorun.recover();
    expect((await runOf(run.id)).status).toBe("paused");
    const done = await waitStatus(run.id, "done", 15_000);
    expect(Date.now()).toBeGreaterThanOrEqual(resumeAt.getTime());
    expect(done.tasksDone).toBe(2);
    expect(parseChecklist(doc("plan.md")).done).toBe(2);
  });

  test("per-document sessions: a document's tasks share one provider session, the next document starts its own", async () => {
    const { agent, doc } = await agentWith({ "a.md": "- [ ] one\n- [ ] two\n- [ ] three\n", "b.md": "- [ ] four\n- [ ] five\n" });
    const run = await services.autorun.start({
      agentId: agent.id,
      config: config(["a.md", "b.md"], { taskSelectionMode: "One session per document" }),
    });
    await services.autorun.settled(run.id);
    const done = await runOf(run.id);
    expect(done).toMatchObject({ status: "done", tasksDone: 5 });
    expect(parseChecklist(doc("a.md")).done).toBe(3);
    expect(parseChecklist(doc("b.md")).done).toBe(2);
    const turns = await services.db.turn.findMany({ where: { tabId: done.tabId! }, orderBy: { startedAt: "asc" } });
    expect(turns).toHaveLength(5);
    const sessionOf = async (turnId: string) =>
      JSON.parse((await services.db.event.findFirstOrThrow({ where: { turnId, type: "session" } })).payload).sessionId as string;
    const sessions = await Promise.all(turns.map((t) => sessionOf(t.id)));
    expect(new Set(sessions.slice(0, 3)).size).toBe(1);
    expect(new Set(sessions.slice(3)).size).toBe(1);
    expect(sessions[3]).not.toBe(sessions[0]);
  });

  test("Stop finishes the current task first; Pause waits after it", async () => {
    const slow = { env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "80" } };
    const { agent, doc } = await agentWith({ "plan.md": FIVE_TASKS }, slow);
    const run = await services.autorun.start({ agentId: agent.id, config: config(["plan.md"]) });
    await waitFor("a task in flight", async () => (await runOf(run.id)).currentTurnId);
    expect((await services.autorun.stop(run.id)).status).toBe("stopping");
    await services.autorun.settled(run.id);
    expect(await runOf(run.id)).toMatchObject({ status: "aborted", endReason: "Stopped by you.", tasksDone: 1 });
    expect(parseChecklist(doc("plan.md")).done).toBe(1);

    const second = await services.autorun.start({ agentId: agent.id, config: config(["plan.md"]) });
    await waitFor("a task in flight", async () => (await runOf(second.id)).currentTurnId);
    await services.autorun.pause(second.id);
    const paused = await waitStatus(second.id, "paused");
    expect(paused).toMatchObject({ pauseKind: "user", tasksDone: 1 });
    expect(parseChecklist(doc("plan.md")).done).toBe(2);
    await setEnv(agent.id, {});
    await services.autorun.resume(second.id);
    await services.autorun.settled(second.id);
    expect(await runOf(second.id)).toMatchObject({ status: "done", tasksDone: 4 });
  });

  test("deleting the agent ends its running run at once and removes its playbooks; no process is left", async () => {
    const slow = { env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "200" } };
    const { agent } = await agentWith({ "plan.md": FIVE_TASKS }, slow);
    const owner = callerFor(services, (await pairedOwner(services)).principal);
    await owner.playbooks.create({ agentId: agent.id, name: "Nightly", config: config(["plan.md"]) });
    const run = await services.autorun.start({ agentId: agent.id, config: config(["plan.md"]) });
    await waitFor("a task in flight", async () => (await runOf(run.id)).currentTurnId);
    const { tabId } = await runOf(run.id);

    await owner.agents.remove({ id: agent.id });
    expect(await runOf(run.id)).toMatchObject({ status: "aborted", endReason: "The agent was deleted." });
    expect(services.turns.isBusy(tabId!)).toBe(false);
    expect(await services.db.playbook.count({ where: { agentId: agent.id } })).toBe(0);
  });

  test("a review gate pauses before the task under it", async () => {
    const { agent, doc } = await agentWith({
      "plan.md": `- [ ] one\n- [ ] two\n<!-- maestro:review reason="look at one and two" -->\n- [ ] three\n`,
    });
    const run = await services.autorun.start({ agentId: agent.id, config: config(["plan.md"]) });
    const paused = await waitStatus(run.id, "paused");
    expect(paused.pauseKind).toBe("review");
    expect(paused.pauseReason).toMatch(/look at one and two/);
    expect(parseChecklist(doc("plan.md")).done).toBe(2);
    await services.autorun.resume(run.id);
    await services.autorun.settled(run.id);
    expect(await runOf(run.id)).toMatchObject({ status: "done", tasksDone: 3 });
  });

  test("reset on completion works on run copies, loops to max loops, never changes the original", async () => {
    const original = "# Daily\n\n- [ ] check {{AGENT_NAME}} on loop {{LOOP_NUMBER}}\n- [ ] second\n";
    const { agent, folder, doc } = await agentWith({ "daily.md": original });
    const run = await services.autorun.start({
      agentId: agent.id,
      config: { documents: [{ filename: "daily.md", resetOnCompletion: true }], loopEnabled: true, maxLoops: 2 },
    });
    await services.autorun.settled(run.id);
    expect(await runOf(run.id)).toMatchObject({ status: "done", loop: 2, tasksDone: 4, endReason: "Reached the maximum of 2 loops." });
    expect(doc("daily.md")).toBe(original);
    const copies = fs.readdirSync(path.join(folder, "runs")).sort();
    expect(copies).toHaveLength(2);
    expect(copies[0]).toMatch(/^daily-\d{8}-\d{6}-loop-1\.md$/);
    expect(copies[1]).toMatch(/^daily-\d{8}-\d{6}-loop-2\.md$/);
    const second = fs.readFileSync(path.join(folder, "runs", copies[1]!), "utf8");
    expect(parseChecklist(second).done).toBe(2);
    expect(second).toContain(`check ${agent.name} on loop 2`);
    expect(await services.db.historyEntry.count({ where: { runId: run.id, kind: "autorun-loop" } })).toBe(2);
  });
});

describe("hostile input on a run's path (as the editor refuses it)", () => {
  test("an Auto Run folder that links out of the project: the run is refused and nothing is written outside", async () => {
    const outside = tempDir("maestro-autorun-outside-");
    dirs.push(outside);
    fs.writeFileSync(path.join(outside, "plan.md"), "- [ ] write alpha.txt\n");
    const project = tempDir("maestro-autorun-project-");
    dirs.push(project);
    fs.mkdirSync(path.join(project, ".maestro"));
    fs.symlinkSync(outside, path.join(project, ".maestro", "playbooks"));
    const agent = await services.agents.create({
      name: `linked ${Math.random().toString(36).slice(2, 7)}`,
      folder: project,
      provider: "simulator",
    });

    for (const resetOnCompletion of [false, true]) {
      await expect(
        services.autorun.start({ agentId: agent.id, config: { documents: [{ filename: "plan.md", resetOnCompletion }] } }),
      ).rejects.toThrow(/The Auto Run folder “\.maestro\/playbooks” is not inside the project/);
    }
    expect(fs.readdirSync(outside)).toEqual(["plan.md"]);
    expect(fs.readFileSync(path.join(outside, "plan.md"), "utf8")).toBe("- [ ] write alpha.txt\n");
    expect(await services.db.autorunRun.count({ where: { agentId: agent.id } })).toBe(0);
  });

  test("a document over the size limit is refused at start, and pauses a run it grows in", async () => {
    // Just over the 5 MB limit: enough to be refused, small enough not to load a shared CI machine.
    const big = `- [ ] one\n${"x".repeat(6 * 1024 * 1024)}\n`;
    const { agent, folder } = await agentWith(
      { "huge.md": big, "plan.md": "- [ ] one\n- [ ] two\n" },
      { env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "100" } },
    );
    await expect(services.autorun.start({ agentId: agent.id, config: config(["huge.md"]) })).rejects.toThrow(
      /huge\.md” is [\d.]+ MB; Auto Run documents are limited to 5/,
    );

    // A document that passes at start and is blown up while the first task runs.
    const run = await services.autorun.start({ agentId: agent.id, config: config(["plan.md"]) });
    await waitFor("a task in flight", async () => (await runOf(run.id)).currentTurnId);
    fs.appendFileSync(path.join(folder, "plan.md"), "x".repeat(6 * 1024 * 1024));
    const paused = await waitStatus(run.id, "paused", 20_000);
    expect(paused.pauseKind).toBe("error");
    expect(paused.pauseReason).toMatch(/plan\.md” is [\d.]+ MB; Auto Run documents are limited to 5/);
    await services.autorun.abort(run.id);
    await services.autorun.settled(run.id);
  }, 40_000);
});
