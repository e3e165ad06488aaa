import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../testing/harness";

let services: ReturnType<typeof createTestServices>;
let caller: ReturnType<typeof callerFor>;
let agentId: string;
const project = tempDir("maestro-playbooks-");
const simHome = tempDir("maestro-simhome-");

beforeAll(async () => {
  process.env.MAESTRO_SIM_HOME = simHome;
  services = createTestServices();
  caller = callerFor(services, (await pairedOwner(services)).principal);
  agentId = (await caller.agents.create({ name: "pb", folder: project, provider: "simulator" })).id;
  fs.mkdirSync(path.join(project, ".maestro", "playbooks"), { recursive: true });
  fs.writeFileSync(path.join(project, ".maestro", "playbooks", "a.md"), "- [ ] one\n");
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(simHome, { recursive: true, force: true });
});

test("save, list, edit, export, import, run, delete", async () => {
  const pb = await caller.playbooks.create({
    agentId,
    name: "Mine",
    config: {
      documents: [{ filename: "a.md", resetOnCompletion: false }],
      loopEnabled: false,
      maxLoops: null,
      prompt: "",
      taskSelectionMode: "task",
      worktreeSettings: null,
    },
  });
  expect((await caller.playbooks.list({ agentId })).map((p) => p.name)).toEqual(["Mine"]);
  const edited = await caller.playbooks.update({
    id: pb.id,
    name: "Renamed",
    config: { documents: [{ filename: "a.md", resetOnCompletion: true }], loopEnabled: true, maxLoops: 2 },
  });
  expect(edited.config).toMatchObject({ loopEnabled: true, maxLoops: 2, documents: [{ filename: "a.md", resetOnCompletion: true }] });
  const exported = await caller.playbooks.export({ id: pb.id });
  expect(exported.filename).toBe("Renamed.json");
  expect(Object.keys(exported.json).sort()).toEqual([
    "documents",
    "loopEnabled",
    "maxLoops",
    "name",
    "prompt",
    "taskSelectionMode",
    "worktreeSettings",
  ]);
  const imported = await caller.playbooks.import({
    agentId,
    text: JSON.stringify({ ...exported.json, name: "Copy", extraField: { ignored: true } }),
  });
  expect(imported).toMatchObject({ kind: "playbook", name: "Copy", config: edited.config });
  if (imported.kind !== "playbook") throw new Error("a playbook file imports as a playbook");
  const run = await caller.playbooks.run({ id: imported.id });
  await services.autorun.settled(run.id);
  expect((await services.autorun.byId(run.id)).status).toBe("done");
  await caller.playbooks.remove({ id: pb.id });
  expect((await caller.playbooks.list({ agentId })).map((p) => p.name)).toEqual(["Copy"]);
});

test.each([
  ["garbage", "\u0000\u0001 not json at all", /^That file is not valid JSON/],
  ["a list", "[]", /^A playbook file is a JSON object/],
  [
    "documents of the wrong type",
    '{"documents":"a.md"}',
    /^Not a valid playbook: documents must be a list of \{filename, resetOnCompletion\}\. \(at documents\)$/,
  ],
  [
    "a filename escaping the folder",
    '{"documents":[{"filename":"../../../etc/passwd"}]}',
    /may not contain '\.\.'\. \(at documents\.0\.filename\)$/,
  ],
  ["a negative maxLoops", '{"documents":[{"filename":"a.md"}],"maxLoops":-1}', /maxLoops must be at least 1/],
])("a malformed import (%s) is refused with a clear error and saves nothing", async (_name, text, message) => {
  const before = await services.db.playbook.count();
  const err = await caller.playbooks.import({ agentId, text }).catch((e) => e);
  expect(err).toBeInstanceOf(Error);
  expect(err.code).toBe("BAD_REQUEST");
  expect(err.message).toMatch(message);
  expect(await services.db.playbook.count()).toBe(before);
});
