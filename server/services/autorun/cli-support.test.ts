import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { callerFor, createTestServices, pairedOwner } from "../../testing/harness";
import { autorunProject } from "./test-project";

/** The two service pieces the `maestro` CLI needs besides runs: a dry run's lines and unticking a document. */
let services: ReturnType<typeof createTestServices>;
const dirs: string[] = [];

beforeAll(() => {
  services = createTestServices();
});
afterAll(async () => {
  await services.cleanup();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("autorun.dryRun", () => {
  test("desktop's dry-run lines from the run's own parse: unticked agent tasks only, nothing started", async () => {
    const { agent } = await autorunProject(services, dirs, {
      "a.md": "- [x] done\n- [ ] one\n- [ ] (human) check it\n- [ ] two\n",
      "b.md": "- [x] all done\n",
    });
    const caller = callerFor(services, (await pairedOwner(services)).principal);
    const lines = await caller.autorun.dryRun({
      agentId: agent.id,
      config: { documents: [{ filename: "a" }, { filename: "b.md" }] },
      name: "N",
    });
    expect(lines.map((l) => l.type)).toEqual(["start", "document_start", "task_preview", "task_preview", "document_complete", "complete"]);
    expect(lines[1]).toMatchObject({ document: "a", index: 0, taskCount: 2, dryRun: true });
    expect(lines.filter((l) => l.type === "task_preview").map((l) => l.task)).toEqual(["one", "two"]);
    expect(lines.at(-1)).toMatchObject({ success: true, dryRun: true, wouldProcess: 2 });
    expect(await services.db.autorunRun.count({ where: { agentId: agent.id } })).toBe(0);
  });

  test("a document outside the Auto Run folder is refused", async () => {
    const { agent } = await autorunProject(services, dirs, { "a.md": "- [ ] one\n" });
    const caller = callerFor(services, (await pairedOwner(services)).principal);
    await expect(caller.autorun.dryRun({ agentId: agent.id, config: { documents: [{ filename: "../x.md" }] } })).rejects.toThrow(/\.\./);
  });
});

describe("documents.resetTasks", () => {
  test("unticks every task, says how many, and leaves the rest of the text alone", async () => {
    const { agent, doc } = await autorunProject(services, dirs, {
      "plan.md": "# P\n\n- [x] one\n- [X] two\n  - [x] nested\n- [ ] three\ntext [x] not a task\n",
    });
    const caller = callerFor(services, (await pairedOwner(services)).principal);
    expect(await caller.documents.resetTasks({ agentId: agent.id, path: "plan.md" })).toEqual({ path: "plan.md", reset: 3 });
    expect(doc("plan.md")).toBe("# P\n\n- [ ] one\n- [ ] two\n  - [ ] nested\n- [ ] three\ntext [x] not a task\n");
    expect(await caller.documents.resetTasks({ agentId: agent.id, path: "plan.md" })).toEqual({ path: "plan.md", reset: 0 });
    await expect(caller.documents.resetTasks({ agentId: agent.id, path: "../plan.md" })).rejects.toThrow();
  });
});
