import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import type { Db } from "../../db";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../../testing/harness";
import { makeZip, snapshot, unzip } from "../../testing/zip";
import { createBundleInstaller } from "./install-bundle";

/**
 * Our own fixture in desktop's bundle layout, as its `playbooks:export` writes one
 * (pedramamini/Maestro src/main/ipc/handlers/playbooks.ts): `manifest.json` with `version`, `name`,
 * `documents` (filenames without `.md`), `loopEnabled`, `maxLoops`, `prompt`, `worktreeSettings`
 * (src/shared/types.ts: `branchNameTemplate`, `createPROnCompletion`, `prTargetBranch`),
 * `exportedAt`; then `documents/<filename>.md` and `assets/<file>`.
 */
const MANIFEST = {
  version: 1,
  name: "Release prep",
  documents: [
    { filename: "1_PLAN", resetOnCompletion: false },
    { filename: "checks/2_VERIFY", resetOnCompletion: true },
  ],
  loopEnabled: false,
  maxLoops: null,
  prompt: "",
  worktreeSettings: { branchNameTemplate: "release/{{DATE}}", createPROnCompletion: true, prTargetBranch: "main" },
  exportedAt: 1767225600000,
};
const PLAN = "# Plan\n\n- [ ] Write the release notes\n";
const VERIFY = "# Verify\n\n- [ ] Run the checks\n";
const PNG = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const YAML = "checks:\n  - lint\n";

const desktopZip = () =>
  makeZip([
    { name: "manifest.json", data: JSON.stringify(MANIFEST, null, 2) },
    { name: "documents/1_PLAN.md", data: PLAN },
    { name: "documents/checks/2_VERIFY.md", data: VERIFY },
    { name: "assets/diagram.png", data: PNG, compress: false },
    { name: "assets/config.yaml", data: YAML },
  ]);

let services: ReturnType<typeof createTestServices>;
let caller: ReturnType<typeof callerFor>;
let agentId: string;
let root: string;
let project: string;
let folder: string;
const simHome = tempDir("maestro-simhome-");

beforeAll(async () => {
  process.env.MAESTRO_SIM_HOME = simHome;
  services = createTestServices();
  caller = callerFor(services, (await pairedOwner(services)).principal);
});
beforeEach(async () => {
  root = tempDir("maestro-bundle-");
  project = path.join(root, "project");
  fs.mkdirSync(project);
  folder = path.join(project, ".maestro", "playbooks");
  agentId = (await caller.agents.create({ name: `pb ${Date.now()}`, folder: project, provider: "simulator" })).id;
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(simHome, { recursive: true, force: true });
});

const b64 = (b: Buffer) => b.toString("base64");
/** What a call that must fail threw. */
async function refusal(call: Promise<unknown>): Promise<Error & { code?: string }> {
  return call.then(
    () => {
      throw new Error("expected a refusal");
    },
    (err: Error & { code?: string }) => err,
  );
}
const read = (rel: string) => fs.readFileSync(path.join(folder, rel));

test("a desktop .maestro-playbook.zip imports, re-exports with desktop's manifest fields byte for byte, and runs", async () => {
  const imported = await caller.playbooks.importZip({ agentId, zip: b64(await desktopZip()) });
  if (imported.kind !== "playbook") throw new Error("expected a playbook");
  expect(imported).toMatchObject({ name: "Release prep", missing: [], unchanged: [] });
  expect(imported.written.sort()).toEqual(["1_PLAN.md", "assets/config.yaml", "assets/diagram.png", "checks/2_VERIFY.md"]);
  expect(read("1_PLAN.md").toString()).toBe(PLAN);
  expect(read("checks/2_VERIFY.md").toString()).toBe(VERIFY);
  expect(read("assets/diagram.png").equals(PNG)).toBe(true);
  expect(read("assets/config.yaml").toString()).toBe(YAML);
  expect(imported.config.worktreeSettings).toEqual(MANIFEST.worktreeSettings);
  expect((await caller.documents.list({ agentId })).documents.map((d) => d.path)).toEqual(["1_PLAN.md", "checks/2_VERIFY.md"]);

  const before = Date.now();
  const exported = await caller.playbooks.exportZip({ id: imported.id });
  expect(exported.filename).toBe("Release_prep.maestro-playbook.zip");
  expect(exported.missing).toEqual([]);
  const files = await unzip(Buffer.from(exported.zip, "base64"));
  expect([...files.keys()].sort()).toEqual([
    "assets/config.yaml",
    "assets/diagram.png",
    "documents/1_PLAN.md",
    "documents/checks/2_VERIFY.md",
    "manifest.json",
  ]);
  const manifest = JSON.parse(files.get("manifest.json")!.toString()) as Record<string, unknown>;
  expect(Object.keys(manifest)).toEqual(Object.keys(MANIFEST));
  for (const [key, value] of Object.entries(MANIFEST)) {
    if (key === "exportedAt") expect(manifest.exportedAt).toBeGreaterThanOrEqual(before);
    else expect(JSON.stringify(manifest[key]), key).toBe(JSON.stringify(value));
  }
  expect(files.get("documents/1_PLAN.md")!.toString()).toBe(PLAN);
  expect(files.get("documents/checks/2_VERIFY.md")!.toString()).toBe(VERIFY);
  expect(files.get("assets/diagram.png")!.equals(PNG)).toBe(true);

  // Its worktreeSettings ask for a branch: this agent's folder is no repository, so the run is refused, saying why.
  await expect(caller.playbooks.run({ id: imported.id })).rejects.toThrow(/not in a git repository: a run in a new worktree needs one/);
  await caller.playbooks.update({ id: imported.id, config: { ...imported.config, worktreeSettings: null } });
  // Desktop names documents without `.md`; a run finds them all the same.
  const run = await caller.playbooks.run({ id: imported.id });
  await services.autorun.settled(run.id);
  expect((await services.autorun.byId(run.id)).status).toBe("done");
  expect(read("1_PLAN.md").toString()).toContain("- [x] Write the release notes");
});

test("a registry manifest: the import answers with its playbooks; picking one saves it and names the missing documents", async () => {
  // Our fixture in the registry's manifest.json shape (RunMaestro/Maestro-Playbooks): title, prompt null.
  const registry = {
    lastUpdated: "2026-02-01",
    playbooks: [
      {
        id: "quality-lint-sweep",
        title: "Lint Sweep",
        description: "Finds lint warnings and fixes the safe ones.",
        category: "Quality",
        author: "Fixture Author",
        lastUpdated: "2026-02-01",
        path: "Quality/Lint",
        documents: [
          { filename: "1_SCAN", resetOnCompletion: false },
          { filename: "2_FIX", resetOnCompletion: true },
        ],
        loopEnabled: true,
        maxLoops: 3,
        prompt: null,
      },
    ],
  };
  const text = JSON.stringify(registry);
  const before = await services.db.playbook.count();
  const answer = await caller.playbooks.import({ agentId, text });
  expect(answer).toEqual({
    kind: "manifest",
    skipped: [],
    choices: [
      {
        key: "quality-lint-sweep",
        name: "Lint Sweep",
        description: "Finds lint warnings and fixes the safe ones.",
        category: "Quality",
        author: "Fixture Author",
        documents: 2,
      },
    ],
  });
  expect(await services.db.playbook.count()).toBe(before);

  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "1_SCAN.md"), "- [ ] scan\n");
  const picked = await caller.playbooks.import({ agentId, text, pick: "quality-lint-sweep" });
  expect(picked).toMatchObject({
    kind: "playbook",
    name: "Lint Sweep",
    written: [],
    missing: ["2_FIX.md"],
    config: { prompt: "", loopEnabled: true, maxLoops: 3, documents: [{ filename: "1_SCAN" }, { filename: "2_FIX" }] },
  });
  expect(await services.db.playbook.count()).toBe(before + 1);
});

test("a clash is refused with the files named and nothing changed; the same bytes are no clash; Replace replaces", async () => {
  const zip = b64(await desktopZip());
  await caller.playbooks.importZip({ agentId, zip });
  const again = await caller.playbooks.importZip({ agentId, zip });
  expect(again).toMatchObject({ kind: "playbook", written: [] });

  fs.writeFileSync(path.join(folder, "1_PLAN.md"), "my own plan\n");
  fs.writeFileSync(path.join(folder, "assets", "config.yaml"), "mine: true\n");
  const count = await services.db.playbook.count();
  const state = snapshot(root);
  const err = await refusal(caller.playbooks.importZip({ agentId, zip }));
  expect(err).toMatchObject({ code: "CONFLICT" });
  expect(err.message).toBe(
    "2 files of this playbook already exist in the Auto Run folder with other content: 1_PLAN.md, assets/config.yaml. Nothing was imported.",
  );
  expect(snapshot(root)).toEqual(state);
  expect(await services.db.playbook.count()).toBe(count);

  const replaced = await caller.playbooks.importZip({ agentId, zip, overwrite: true });
  expect(replaced).toMatchObject({ kind: "playbook", written: ["1_PLAN.md", "assets/config.yaml"] });
  expect(read("1_PLAN.md").toString()).toBe(PLAN);
  expect(fs.readdirSync(folder).filter((n) => n.startsWith("."))).toEqual([]);
});

test("installBundle puts every file back when the playbook cannot be saved", async () => {
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "1_PLAN.md"), "the user's plan\n");
  const state = snapshot(root);
  const failing: Db = new Proxy(services.db, {
    get: (target, key) => (key === "playbook" ? { create: () => Promise.reject(new Error("disk full")) } : Reflect.get(target, key)),
  });
  const installer = createBundleInstaller(failing, services.bus);
  const bundle = {
    name: "Doomed",
    config: { documents: [{ filename: "1_PLAN" }, { filename: "deep/new/2_NEW" }] },
    documents: [
      { filename: "1_PLAN", content: PLAN },
      { filename: "deep/new/2_NEW", content: VERIFY },
    ],
    assets: [{ path: "img/x.png", data: PNG }],
  };
  await expect(installer.install(agentId, bundle, { overwrite: true })).rejects.toThrow("disk full");
  expect(snapshot(root)).toEqual(state);

  // A file someone else writes into a folder the import made, while it is being saved, outlives the rollback.
  const racing: Db = new Proxy(services.db, {
    get: (target, key) =>
      key === "playbook"
        ? {
            create: () => {
              fs.writeFileSync(path.join(folder, "deep", "new", "theirs.md"), "written meanwhile\n");
              return Promise.reject(new Error("disk full"));
            },
          }
        : Reflect.get(target, key),
  });
  await expect(createBundleInstaller(racing, services.bus).install(agentId, bundle, { overwrite: true })).rejects.toThrow("disk full");
  expect(fs.readFileSync(path.join(folder, "deep", "new", "theirs.md"), "utf8")).toBe("written meanwhile\n");
  expect(fs.existsSync(path.join(folder, "deep", "new", "2_NEW.md"))).toBe(false);
  expect(fs.readFileSync(path.join(folder, "1_PLAN.md"), "utf8")).toBe("the user's plan\n");
  fs.rmSync(path.join(folder, "deep"), { recursive: true });
  expect(snapshot(root)).toEqual(state);

  // The same bundle through the real service: installed, and the Exchange's entry point answers like an import.
  const ok = await services.playbooks.installBundle(agentId, bundle, { overwrite: true });
  expect(ok.written.sort()).toEqual(["1_PLAN.md", "assets/img/x.png", "deep/new/2_NEW.md"]);
  expect(ok.missing).toEqual([]);
});

test.each([
  [
    "a document named out of the folder",
    { documents: [{ filename: "../../escape.md", content: "x" }], assets: [] },
    /may not contain '\.\.'|Names cannot use “\.\.”/,
  ],
  [
    "an asset climbing out",
    { documents: [], assets: [{ path: "../../escape.sh", data: Buffer.from("x") }] },
    /leads out of the assets folder/,
  ],
  [
    "an absolute asset",
    { documents: [], assets: [{ path: "/tmp/escape.sh", data: Buffer.from("x") }] },
    /must be a name inside the assets folder/,
  ],
  [
    "an oversized document",
    { documents: [{ filename: "big", content: "x".repeat(5 * 1024 * 1024 + 1) }], assets: [] },
    /limited to 5\.0 MB/,
  ],
  [
    "a file written twice",
    {
      documents: [
        { filename: "a", content: "1" },
        { filename: "A.md", content: "2" },
      ],
      assets: [],
    },
    /writes “A\.md” twice/,
  ],
])("installBundle refuses %s and writes nothing", async (_name, files, message) => {
  const state = snapshot(root);
  const count = await services.db.playbook.count();
  const err = await refusal(
    services.playbooks.installBundle(agentId, { name: "Bad", config: { documents: [{ filename: "a" }] }, ...files }),
  );
  expect(err.message).toMatch(message);
  expect(snapshot(root)).toEqual(state);
  expect(await services.db.playbook.count()).toBe(count);
});

test("a zip whose manifest.json lists several playbooks answers with them; the picked one gets the zip's documents", async () => {
  const manifest = {
    playbooks: [
      { id: "a", title: "First", documents: [{ filename: "1_SCAN" }, { filename: "2_FIX" }], prompt: null },
      { id: "b", title: "Second", documents: [{ filename: "9_OTHER" }] },
    ],
  };
  const zip = b64(
    await makeZip([
      { name: "manifest.json", data: JSON.stringify(manifest) },
      { name: "documents/1_SCAN.md", data: "- [ ] scan\n" },
    ]),
  );
  expect(await caller.playbooks.importZip({ agentId, zip })).toMatchObject({ kind: "manifest", choices: [{ key: "a" }, { key: "b" }] });
  expect(fs.existsSync(folder)).toBe(false);
  const picked = await caller.playbooks.importZip({ agentId, zip, pick: "a" });
  expect(picked).toMatchObject({ kind: "playbook", name: "First", written: ["1_SCAN.md"], missing: ["2_FIX.md"] });
});

test("an export sizes assets before reading them: one over the limit is refused by its size", async () => {
  fs.mkdirSync(path.join(folder, "assets"), { recursive: true });
  fs.writeFileSync(path.join(folder, "1_PLAN.md"), PLAN);
  // A sparse file: 10 MB + 1 byte on paper, nothing on disk, so the test reads nothing big.
  const fd = fs.openSync(path.join(folder, "assets", "huge.bin"), "w");
  fs.ftruncateSync(fd, 10 * 1024 * 1024 + 1);
  fs.closeSync(fd);
  const pb = await caller.playbooks.create({ agentId, name: "Big", config: { documents: [{ filename: "1_PLAN.md" }] } });
  await expect(caller.playbooks.exportZip({ id: pb.id })).rejects.toThrow(
    /“assets\/huge\.bin” is 10\.0 MB; assets are limited to 10\.0 MB\./,
  );
});
