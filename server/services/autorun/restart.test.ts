import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startBridge } from "../../../e2e/bridge-process";
import { parseChecklist } from "../../../lib/autorun/checklist";
import { buildApp, needsBuild } from "../../next-build";
import { pairedBridgeClient } from "../../testing/bridge-client";
import { tempDir } from "../../testing/harness";

/**
 * The real bridge process is killed with SIGKILL while a task runs, started again on the same
 * data dir, and the run is resumed: it comes back paused at the right task and finishes with no
 * task done twice.
 */
const dataDir = tempDir("maestro-restart-home-");
const project = tempDir("maestro-restart-project-");
const simHome = tempDir("maestro-restart-sim-");
const docFile = path.join(project, ".maestro", "playbooks", "plan.md");
// Slow enough that a task is surely in flight when the bridge dies.
const env = { MAESTRO_SIM_HOME: simHome, MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "120" };
const bridges: Awaited<ReturnType<typeof startBridge>>[] = [];

beforeAll(() => {
  if (needsBuild()) buildApp();
  fs.mkdirSync(path.dirname(docFile), { recursive: true });
  fs.writeFileSync(docFile, "# Plan\n\n- [ ] one\n- [ ] two\n  - [ ] two nested\n- [ ] three\n- [ ] four\n");
}, 600_000);
afterAll(async () => {
  for (const b of bridges) {
    if (b.child.exitCode === null && b.child.signalCode === null) {
      b.child.kill("SIGTERM");
      await new Promise((r) => b.child.once("exit", r));
    }
  }
  for (const d of [dataDir, project, simHome]) fs.rmSync(d, { recursive: true, force: true });
});

/** A paired tRPC client for a running bridge (cookie from the real pairing endpoint). */
const client = (base: string) => pairedBridgeClient(dataDir, base, "restart test");

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const doneInFile = () => parseChecklist(fs.readFileSync(docFile, "utf8")).done;

test("SIGKILL mid-run: the run comes back paused at the right task and resumes to the end, no task twice", async () => {
  const first = await startBridge(dataDir, env);
  bridges.push(first);
  const api = await client(first.url);
  const agent = await api.mutate("agents.create", { name: "restart", folder: project, provider: "simulator" });
  const pb = await api.mutate("playbooks.create", {
    agentId: agent.id,
    name: "Restart",
    config: { documents: [{ filename: "plan.md", resetOnCompletion: false }] },
  });
  const run = await api.mutate("playbooks.run", { id: pb.id });

  // Two tasks ticked and the third in flight.
  await waitFor("two tasks done, a third running", async () => {
    if (doneInFile() < 2) return null;
    const { run: r } = await api.query("autorun.byId", { id: run.id });
    return r.currentTurnId && r.currentTask ? r : null;
  });
  first.child.kill("SIGKILL");
  await new Promise((r) => first.child.once("exit", r));
  // Let the orphaned simulator of the killed bridge finish or die on its broken pipe.
  await new Promise((r) => setTimeout(r, 2500));
  const doneAtKill = doneInFile();
  expect(doneAtKill).toBeGreaterThanOrEqual(2);
  expect(doneAtKill).toBeLessThan(5);

  const second = await startBridge(dataDir, env);
  bridges.push(second);
  expect(second.output()).toMatch(/Paused 1 Auto Run run\(s\) interrupted by the last shutdown/);
  const api2 = await client(second.url);
  const back = await api2.query("autorun.byId", { id: run.id });
  expect(back.run).toMatchObject({ status: "paused", pauseKind: "restart", currentTurnId: null });
  expect(back.run.pauseReason).toMatch(/bridge restarted/);
  expect(back.documents[0]).toMatchObject({ filename: "plan.md", done: doneAtKill, total: 5 });
  // The task cut off by the kill is settled from the file at start: counted once if its box got ticked.
  expect(back.run.tasksDone).toBe(doneAtKill);
  expect(back.attempts.filter((a: { status: string }) => a.status === "running" || a.status === "interrupted")).toHaveLength(0);
  expect(back.attempts.filter((a: { status: string }) => a.status === "done")).toHaveLength(doneAtKill);

  await api2.mutate("autorun.resume", { id: run.id });
  const done = await waitFor(
    "run done",
    async () => {
      const r = await api2.query("autorun.byId", { id: run.id });
      return r.run.status === "done" ? r : null;
    },
    60_000,
  );
  expect(doneInFile()).toBe(5);
  expect(done.run.tasksDone).toBe(5);

  // Each task was completed by exactly one attempt; nothing ran again after its box was ticked.
  type Attempt = { taskText: string; status: string; startedAt: string };
  const byTask = new Map<string, Attempt[]>();
  for (const a of done.attempts as Attempt[]) byTask.set(a.taskText, [...(byTask.get(a.taskText) ?? []), a]);
  expect([...byTask.keys()].sort()).toEqual(["four", "one", "three", "two", "two nested"]);
  for (const [task, attempts] of byTask) {
    expect(
      attempts.filter((a) => a.status === "done"),
      task,
    ).toHaveLength(1);
    expect(attempts[attempts.length - 1]!.status, task).toBe("done");
  }
  const history = await api2.query("autorun.history", { runId: run.id });
  const ok = (history as { kind: string; success: boolean; detail: string }[]).filter((h) => h.kind === "autorun-task" && h.success);
  expect(ok.map((h) => h.detail).sort()).toEqual(["four", "one", "three", "two", "two nested"]);
}, 240_000);
