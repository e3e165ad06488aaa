import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestServices, tempDir } from "../../testing/harness";

let services: ReturnType<typeof createTestServices>;
let agentId: string;
const project = tempDir("maestro-autorun-start-");

beforeAll(async () => {
  services = createTestServices();
  agentId = (await services.agents.create({ name: "starter", folder: project })).id;
  const folder = path.join(project, ".maestro", "playbooks");
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "plan.md"), "- [ ] one\n");
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(project, { recursive: true, force: true });
});

test("a run that cannot be stored leaves no tab behind and announces nothing", async () => {
  const tabsBefore = await services.db.tab.count({ where: { agentId } });
  await services.db.$executeRawUnsafe(
    `CREATE TRIGGER refuse_run BEFORE INSERT ON "AutorunRun" BEGIN SELECT RAISE(ABORT, 'no runs today'); END`,
  );
  const seen: string[] = [];
  const offTabs = services.bus.subscribe("tabs.changed", () => seen.push("tabs"));
  const offRuns = services.bus.subscribe("autorun.changed", () => seen.push("autorun"));
  try {
    await expect(services.autorun.start({ agentId, config: { documents: [{ filename: "plan.md" }] } })).rejects.toThrow();
  } finally {
    offTabs();
    offRuns();
    await services.db.$executeRawUnsafe("DROP TRIGGER refuse_run");
  }
  expect(await services.db.tab.count({ where: { agentId } })).toBe(tabsBefore);
  expect(await services.db.autorunRun.count({ where: { agentId } })).toBe(0);
  expect(seen).toEqual([]);
});

test("a run starts with its own tab, announced after both are stored, and is sent without its raw config", async () => {
  const seen: string[] = [];
  const offTabs = services.bus.subscribe("tabs.changed", () => seen.push("tabs"));
  const offRuns = services.bus.subscribe("autorun.changed", () => seen.push("autorun"));
  const run = await services.autorun.start({ agentId, config: { documents: [{ filename: "plan.md" }] } });
  offTabs();
  offRuns();
  await services.autorun.abort(run.id).catch(() => {});
  expect(await services.db.tab.findUnique({ where: { id: run.tabId! } })).toMatchObject({ agentId, name: "Auto Run · plan.md" });
  expect(seen.slice(0, 2)).toEqual(["tabs", "autorun"]);
  expect(run.config.documents).toEqual([{ filename: "plan.md", resetOnCompletion: false }]);
  expect(run).not.toHaveProperty("configJson");
  expect(run).not.toHaveProperty("docStateJson");
});
