import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { parseChecklist } from "../../../lib/autorun/checklist";
import { createTestServices, tempDir } from "../../testing/harness";

let services: ReturnType<typeof createTestServices>;
let agentId: string;
const project = tempDir("maestro-clear-halt-");
const folder = path.join(project, ".maestro", "playbooks");
const outside = path.join(project, "outside.md");
const doc = (name: string) => path.join(folder, name);

beforeAll(async () => {
  services = createTestServices();
  agentId = (await services.agents.create({ name: "halted", folder: project })).id;
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(doc("plan.md"), "- [x] one\n- [ ] two\n<!-- maestro:halt: the build is red -->\n");
  fs.writeFileSync(doc("calm.md"), "- [ ] one\n");
  fs.writeFileSync(outside, "- [ ] secret\n<!-- maestro:halt: not yours -->\n");
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(project, { recursive: true, force: true });
});

test("removes the halt marker and keeps the tasks", async () => {
  const changed: (string | null)[] = [];
  const off = services.bus.subscribe("documents.changed", (e) => changed.push(e.path));
  await expect(services.documents.clearHalt(agentId, "plan.md")).resolves.toEqual({ ok: true });
  off();
  const after = parseChecklist(fs.readFileSync(doc("plan.md"), "utf8"));
  expect(after.halt).toBeNull();
  expect([after.done, after.total]).toEqual([1, 2]);
  expect(changed).toEqual(["plan.md"]);
});

test("refuses a document without a halt marker, and leaves it as it was", async () => {
  await expect(services.documents.clearHalt(agentId, "calm.md")).rejects.toMatchObject({
    code: "BAD_INPUT",
    message: "calm.md has no halt marker.",
  });
  expect(fs.readFileSync(doc("calm.md"), "utf8")).toBe("- [ ] one\n");
});

test.each([["../../outside.md"], [outside], ["sub/../../../outside.md"]])(
  "refuses the hostile name %s and touches nothing outside the folder",
  async (name) => {
    await expect(services.documents.clearHalt(agentId, name)).rejects.toMatchObject({ name: "AppError" });
    expect(fs.readFileSync(outside, "utf8")).toContain("maestro:halt");
  },
);

test("a missing document is NOT_FOUND", async () => {
  await expect(services.documents.clearHalt(agentId, "nope.md")).rejects.toMatchObject({ code: "NOT_FOUND" });
});
