import fs from "node:fs";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { AppError } from "../../errors";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../../testing/harness";

let services: ReturnType<typeof createTestServices>;
let project: string;
let outside: string;
let agentId: string;
let folder: string;

const docs = () => services.documents;
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(folder, rel)), { recursive: true });
  fs.writeFileSync(path.join(folder, rel), text);
};
const read = (rel: string) => fs.readFileSync(path.join(folder, rel), "utf8");
/** Every file under a folder, relative, so "nothing was written there" can be asserted exactly. */
const tree = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();

beforeAll(() => {
  services = createTestServices();
});
afterAll(async () => {
  await services.cleanup();
});
beforeEach(async () => {
  project = fs.realpathSync(tempDir("maestro-docs-project-"));
  outside = fs.realpathSync(tempDir("maestro-docs-outside-"));
  fs.writeFileSync(path.join(outside, "victim.md"), "- [ ] untouched\n");
  folder = path.join(project, ".maestro", "playbooks");
  agentId = (await services.agents.create({ name: "docs", folder: project, provider: "simulator" })).id;
});
afterEach(() => {
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

const expectAppError = async (p: Promise<unknown>, code: AppError["code"], message: RegExp) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  expect((err as AppError).message).toMatch(message);
};

describe("documents round trip", () => {
  test("a missing folder lists as empty; create makes it; counts come from the engine", async () => {
    expect(await docs().list(agentId)).toMatchObject({ folder: ".maestro/playbooks", exists: false, documents: [], runs: [] });
    const created = await docs().create(agentId, "plan", "- [ ] a\n  - [x] b\n```\n- [ ] not a task\n```\n");
    expect(created.path).toBe("plan.md");
    write("sprint/day 1.md", "- [x] one\n<!-- maestro:halt: waiting -->");
    write("runs/plan-2026.md", "- [x] copy");
    write("notes.txt", "- [ ] not markdown");
    write(".hidden.md", "- [ ] hidden");
    const list = await docs().list(agentId);
    expect(list.exists).toBe(true);
    expect(list.documents.map((d) => [d.path, d.total, d.done, d.halted])).toEqual([
      ["plan.md", 2, 1, false],
      ["sprint/day 1.md", 1, 1, true],
    ]);
    expect(list.runs.map((d) => d.path)).toEqual(["runs/plan-2026.md"]);
    expect(list.documents[0]!).toMatchObject({ size: Buffer.byteLength(read("plan.md")) });
    expect(list.documents[0]!.mtimeMs).toBeGreaterThan(0);
  });

  test("create refuses an existing name", async () => {
    await docs().create(agentId, "plan.md", "mine");
    await expectAppError(docs().create(agentId, "plan", "other"), "CONFLICT", /already exists/);
    expect(read("plan.md")).toBe("mine");
  });

  test("save with the loaded version writes; an external edit in between is a conflict, not an overwrite", async () => {
    await docs().create(agentId, "plan.md", "- [ ] a\n");
    const loaded = await docs().read(agentId, "plan.md");
    const saved = await docs().save(agentId, "plan.md", "- [ ] a\n- [ ] b\n", loaded.version);
    expect(read("plan.md")).toBe("- [ ] a\n- [ ] b\n");
    expect(saved.version).not.toBe(loaded.version);
    write("plan.md", "edited elsewhere\n");
    await expectAppError(docs().save(agentId, "plan.md", "mine\n", saved.version), "CONFLICT", /changed outside the editor/);
    expect(read("plan.md")).toBe("edited elsewhere\n");
    fs.rmSync(path.join(folder, "plan.md"));
    await expectAppError(docs().save(agentId, "plan.md", "mine\n", saved.version), "CONFLICT", /deleted or renamed/);
    expect(fs.existsSync(path.join(folder, "plan.md"))).toBe(false);
  });

  test("setTask ticks through the engine and keeps CRLF; a stale version is refused", async () => {
    write("crlf.md", "# T\r\n- [ ] a\r\n  - [ ] b\r\n");
    const before = await docs().read(agentId, "crlf.md");
    const after = await docs().setTask(agentId, "crlf.md", 1, true, before.version);
    expect(read("crlf.md")).toBe("# T\r\n- [ ] a\r\n  - [x] b\r\n");
    await expectAppError(docs().setTask(agentId, "crlf.md", 0, true, before.version), "CONFLICT", /nothing was ticked/);
    await docs().setTask(agentId, "crlf.md", 1, false, after.version);
    expect(read("crlf.md")).toBe("# T\r\n- [ ] a\r\n  - [ ] b\r\n");
    await expectAppError(docs().setTask(agentId, "crlf.md", 7, true), "NOT_FOUND", /no task 8/);
  });

  test("rename and remove", async () => {
    await docs().create(agentId, "a.md", "- [ ] x");
    await docs().create(agentId, "b.md", "- [ ] y");
    await expectAppError(docs().rename(agentId, "a.md", "b"), "CONFLICT", /already exists/);
    expect(await docs().rename(agentId, "a.md", "done/a2")).toMatchObject({ path: "done/a2.md", total: 1 });
    expect(read("done/a2.md")).toBe("- [ ] x");
    expect(fs.existsSync(path.join(folder, "a.md"))).toBe(false);
    await docs().remove(agentId, "b.md");
    expect(fs.existsSync(path.join(folder, "b.md"))).toBe(false);
    await expectAppError(docs().remove(agentId, "b.md"), "NOT_FOUND", /does not exist/);
  });

  test("a custom Auto Run folder from the agent settings", async () => {
    await services.agents.updateSettings(agentId, { autorunFolder: "docs/checklists" });
    await docs().create(agentId, "x", "- [ ] a");
    expect(fs.readFileSync(path.join(project, "docs/checklists/x.md"), "utf8")).toBe("- [ ] a");
    expect((await docs().list(agentId)).folder).toBe("docs/checklists");
  });
});

describe("hostile input: a clear error and nothing written outside the folder", () => {
  afterEach(() => {
    expect(tree(outside)).toEqual(["victim.md"]);
    expect(fs.readFileSync(path.join(outside, "victim.md"), "utf8")).toBe("- [ ] untouched\n");
  });

  test.each([
    ["../escape", /“\.\.”/],
    ["sub/../../../escape.md", /“\.\.”/],
    ["/etc/passwd", /absolute path/],
    ["C:/x.md", /absolute path/],
    ["a\0b.md", /NUL/],
    ["bell\u0007.md", /control character U\+0007/],
    ["new\nline.md", /control character U\+000A/],
    ["what?.md", /“\?”/],
    ["back\\slash.md", /“\\”/],
    ["a//b.md", /empty/],
    ["folder /padded.md", /space/],
    ["", /Give the document a name/],
    [".md", /Give the document a name/],
    ["x".repeat(130), /at most 120/],
  ])("name %j is refused", async (name, message) => {
    await expectAppError(docs().create(agentId, name, "- [ ] x"), "BAD_INPUT", message);
    await expectAppError(docs().read(agentId, name), "BAD_INPUT", message);
    expect(fs.existsSync(folder) ? tree(folder) : []).toEqual([]);
  });

  // Confinement compares path segments, not string prefixes: "..v2" is a name, not "..".
  test("a folder or name that merely starts with two dots is inside, and allowed", async () => {
    await docs().create(agentId, "..v2/plan.md", "- [ ] x");
    expect(tree(folder)).toEqual(["..v2", "..v2/plan.md"]);
    expect((await docs().read(agentId, "..v2/plan.md")).content).toBe("- [ ] x");
    await services.agents.updateSettings(agentId, { autorunFolder: "..playbooks" });
    await docs().create(agentId, "plan.md", "- [ ] y");
    expect(fs.readFileSync(path.join(project, "..playbooks", "plan.md"), "utf8")).toBe("- [ ] y");
  });

  test("unicode names are fine", async () => {
    await docs().create(agentId, "日本語 ☕.md", "- [ ] x");
    expect(tree(folder)).toEqual(["日本語 ☕.md"]);
  });

  test("a symlink pointing out of the folder: reading, saving, ticking, deleting through it are refused", async () => {
    fs.mkdirSync(folder, { recursive: true });
    fs.symlinkSync(path.join(outside, "victim.md"), path.join(folder, "link.md"));
    const version = "0".repeat(64);
    await expectAppError(docs().read(agentId, "link.md"), "FORBIDDEN", /through a link/);
    await expectAppError(docs().save(agentId, "link.md", "pwned", version), "FORBIDDEN", /through a link/);
    await expectAppError(docs().setTask(agentId, "link.md", 0, true), "FORBIDDEN", /through a link/);
    await expectAppError(docs().remove(agentId, "link.md"), "FORBIDDEN", /through a link/);
    await expectAppError(docs().rename(agentId, "link.md", "mine.md"), "FORBIDDEN", /through a link/);
    expect((await docs().list(agentId)).documents).toEqual([]);
  });

  test("a linked subfolder pointing out: creating or renaming into it is refused", async () => {
    fs.mkdirSync(folder, { recursive: true });
    fs.symlinkSync(outside, path.join(folder, "out"));
    await docs().create(agentId, "in.md", "- [ ] x");
    await expectAppError(docs().create(agentId, "out/new.md", "pwned"), "FORBIDDEN", /through a link/);
    await expectAppError(docs().rename(agentId, "in.md", "out/moved.md"), "FORBIDDEN", /through a link/);
    expect(read("in.md")).toBe("- [ ] x");
  });

  test("an Auto Run folder that is itself a link out of the project is refused", async () => {
    fs.mkdirSync(path.join(project, ".maestro"));
    fs.symlinkSync(outside, folder);
    await expectAppError(docs().list(agentId), "FORBIDDEN", /not inside the project/);
    await expectAppError(docs().create(agentId, "x.md", "pwned"), "FORBIDDEN", /not inside the project/);
  });

  test("an Auto Run folder setting with .. or an absolute path is refused", async () => {
    await expect(services.agents.updateSettings(agentId, { autorunFolder: "../elsewhere" })).rejects.toThrow(/inside the project/);
    await expect(services.agents.updateSettings(agentId, { autorunFolder: "/tmp" })).rejects.toThrow(/relative to the project/);
  });

  test("a 50 MB document is refused on read (5 MB limit), and so is saving one", async () => {
    fs.mkdirSync(folder, { recursive: true });
    const big = path.join(folder, "big.md");
    fs.writeFileSync(big, "");
    fs.truncateSync(big, 50 * 1024 * 1024);
    await expectAppError(docs().read(agentId, "big.md"), "BAD_INPUT", /50\.0 MB; Auto Run documents are limited to 5\.0 MB/);
    await expectAppError(docs().setTask(agentId, "big.md", 0, true), "BAD_INPUT", /limited to 5\.0 MB/);
    expect((await docs().list(agentId)).documents).toEqual([expect.objectContaining({ path: "big.md", total: null })]);
    await docs().create(agentId, "small.md", "- [ ] x");
    const loaded = await docs().read(agentId, "small.md");
    const huge = "- [ ] ☕\n".repeat(600_000); // under 5 M characters, over 5 MB of UTF-8
    await expectAppError(docs().save(agentId, "small.md", huge, loaded.version), "BAD_INPUT", /limited to 5\.0 MB/);
    await expectAppError(docs().create(agentId, "huge.md", huge), "BAD_INPUT", /limited to 5\.0 MB/);
    expect(read("small.md")).toBe("- [ ] x");
    expect(fs.existsSync(path.join(folder, "huge.md"))).toBe(false);
  });
});

test("an external edit reaches subscribers through the folder watcher", async () => {
  await docs().create(agentId, "plan.md", "- [ ] a");
  const seen: unknown[] = [];
  const off = services.bus.subscribe("documents.changed", (e) => seen.push(e));
  const release = await docs().watch(agentId);
  try {
    await new Promise((r) => setTimeout(r, 100));
    seen.length = 0;
    write("plan.md", "- [x] a");
    await expect.poll(() => seen, { timeout: 5000 }).toContainEqual({ agentId, path: null });
  } finally {
    release();
    off();
  }
});

test("the router maps a conflict to tRPC CONFLICT with the message", async () => {
  const { principal } = await pairedOwner(services);
  const caller = callerFor(services, principal);
  const created = await caller.documents.create({ agentId, path: "r.md", content: "- [ ] a" });
  write("r.md", "changed");
  const err = await caller.documents
    .save({ agentId, path: "r.md", content: "mine", baseVersion: created.version })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TRPCError);
  expect((err as TRPCError).code).toBe("CONFLICT");
  expect((err as TRPCError).message).toMatch(/changed outside the editor/);
  expect(read("r.md")).toBe("changed");
});
