import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runAgainConfig } from "../../../lib/autorun/direct-run";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../../testing/harness";

/** From a task of History back to the document it ran on, then "Run again" after an edit: real simulator, files and SQLite. */
let services: ReturnType<typeof createTestServices>;
const simHome = tempDir("maestro-simhome-");
const project = fs.realpathSync(tempDir("maestro-tasksource-"));
const folder = path.join(project, ".maestro", "playbooks");
let agentId: string;

beforeAll(async () => {
  process.env.MAESTRO_SIM_HOME = simHome;
  services = createTestServices({ turns: { idleTimeoutMs: 10_000, stopGraceMs: 300 } });
  agentId = (await services.agents.create({ name: "refiner", folder: project, provider: "simulator" })).id;
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "plan.md"), "# Plan\n\n- [ ] first task\n- [ ] second task\n");
  fs.writeFileSync(path.join(folder, "loop.md"), "- [ ] copied task\n");
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(simHome, { recursive: true, force: true });
});

async function runToEnd(config: Parameters<typeof services.autorun.start>[0]["config"]) {
  const run = await services.autorun.start({ agentId, config });
  for (let i = 0; i < 300; i++) {
    await services.autorun.settled(run.id);
    const row = await services.db.autorunRun.findUniqueOrThrow({ where: { id: run.id } });
    if (!["running", "stopping"].includes(row.status)) {
      expect(row.status).toBe("done");
      return run.id;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("the run did not end");
}

const taskEntries = async (runId: string) =>
  (await services.autorun.history(runId)).filter((e) => e.kind === "autorun-task").map((e) => ({ id: e.id, task: e.detail }));

test("a task of a run on the document itself opens that document, with its summary; Run again after unticking runs just that task", async () => {
  const runId = await runToEnd({ documents: [{ filename: "plan.md" }] });
  const tasks = await taskEntries(runId);
  expect(tasks.map((t) => t.task)).toEqual(["first task", "second task"]);
  const source = await services.autorun.taskSource(tasks[1]!.id);
  expect(source).toMatchObject({
    agentId,
    runId,
    path: "plan.md",
    original: "plan.md",
    task: "second task",
    success: true,
    loop: 1,
    runStatus: "done",
  });
  expect(source.summary).toMatch(/^Ticked task 'second task' in .*plan\.md\./);

  // The user unticks the first task in the editor and runs the document again.
  const doc = await services.documents.read(agentId, "plan.md");
  await services.documents.setTask(agentId, "plan.md", 0, false, doc.version);
  const again = await runToEnd(runAgainConfig(source.path, source.config, source.original));
  expect((await taskEntries(again)).map((t) => t.task)).toEqual(["first task"]);
  expect(fs.readFileSync(path.join(folder, "plan.md"), "utf8")).toBe("# Plan\n\n- [x] first task\n- [x] second task\n");
});

test("a reset-on-completion run's task opens the loop copy it ran on (the audit trail), and Run again works on that copy", async () => {
  const runId = await runToEnd({ documents: [{ filename: "loop.md", resetOnCompletion: true }] });
  const [entry] = await taskEntries(runId);
  const source = await services.autorun.taskSource(entry!.id);
  expect(source.original).toBe("loop.md");
  expect(source.path).toMatch(/^runs\/loop-\d{8}-\d{6}-loop-1\.md$/);
  expect(fs.readFileSync(path.join(folder, source.path), "utf8")).toBe("- [x] copied task\n");
  expect(fs.readFileSync(path.join(folder, "loop.md"), "utf8")).toBe("- [ ] copied task\n");

  const config = runAgainConfig(source.path, source.config, source.original);
  expect(config.documents).toEqual([{ filename: source.path, resetOnCompletion: false }]);
  const copies = () => fs.readdirSync(path.join(folder, "runs")).length;
  const before = copies();
  fs.writeFileSync(path.join(folder, source.path), "- [x] copied task\n- [ ] added by hand\n");
  const again = await runToEnd(config);
  expect((await taskEntries(again)).map((t) => t.task)).toEqual(["added by hand"]);
  expect(fs.readFileSync(path.join(folder, source.path), "utf8")).toBe("- [x] copied task\n- [x] added by hand\n");
  expect(copies()).toBe(before);
});

test("anything but an Auto Run task is NOT_FOUND, through the router too", async () => {
  const caller = callerFor(services, (await pairedOwner(services)).principal);
  const runEnd = (await services.db.historyEntry.findFirstOrThrow({ where: { kind: "autorun-run" } })).id;
  await expect(caller.autorun.taskSource({ id: runEnd })).rejects.toMatchObject({ code: "NOT_FOUND", message: /not an Auto Run task/ });
  await expect(caller.autorun.taskSource({ id: "no-such-entry" })).rejects.toMatchObject({ code: "NOT_FOUND" });
});
