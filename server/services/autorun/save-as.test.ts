import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { AppError } from "../../errors";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../../testing/harness";

let services: ReturnType<typeof createTestServices>;
let project: string;
let outside: string;
let agentId: string;
let folder: string;

const docs = () => services.documents;
const read = (rel: string) => fs.readFileSync(path.join(folder, rel), "utf8");
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
  project = fs.realpathSync(tempDir("maestro-saveas-project-"));
  outside = fs.realpathSync(tempDir("maestro-saveas-outside-"));
  fs.writeFileSync(path.join(outside, "victim.md"), "- [ ] untouched\n");
  folder = path.join(project, ".maestro", "playbooks");
  agentId = (await services.agents.create({ name: "saver", folder: project, provider: "simulator" })).id;
});
afterEach(() => {
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as AppError,
  );

describe("saveAs", () => {
  test("a new name is written (folders made, .md added) and announced; nothing else is left behind", async () => {
    const seen: unknown[] = [];
    const off = services.bus.subscribe("documents.changed", (e) => seen.push(e));
    const saved = await docs().saveAs(agentId, "sprint/plan", "# Plan\n\n- [ ] one\n");
    off();
    expect(saved).toMatchObject({ path: "sprint/plan.md", content: "# Plan\n\n- [ ] one\n", replaced: false });
    expect(read("sprint/plan.md")).toBe("# Plan\n\n- [ ] one\n");
    expect(tree(folder)).toEqual(["sprint", "sprint/plan.md"]);
    expect(seen).toEqual([{ agentId, path: "sprint/plan.md" }]);
  });

  test("a taken name is refused with CONFLICT and the file stays as it was, until overwrite says to replace it", async () => {
    await docs().saveAs(agentId, "plan.md", "mine\n");
    const err = await failure(docs().saveAs(agentId, "plan", "theirs\n"));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "CONFLICT", message: "“plan.md” already exists.", details: { field: "path" } });
    expect(read("plan.md")).toBe("mine\n");
    const replaced = await docs().saveAs(agentId, "plan.md", "theirs\n", { overwrite: true });
    expect(replaced).toMatchObject({ replaced: true, content: "theirs\n" });
    expect(read("plan.md")).toBe("theirs\n");
    expect(tree(folder)).toEqual(["plan.md"]);
  });

  test("overwrite with nothing there simply creates", async () => {
    expect(await docs().saveAs(agentId, "fresh", "- [ ] a\n", { overwrite: true })).toMatchObject({ path: "fresh.md", replaced: false });
  });

  test("a folder of that name is not a document, overwrite or not", async () => {
    fs.mkdirSync(path.join(folder, "dir.md"), { recursive: true });
    expect(await failure(docs().saveAs(agentId, "dir.md", "x", { overwrite: true }))).toMatchObject({
      code: "BAD_INPUT",
      message: /not a file/,
    });
    expect(fs.statSync(path.join(folder, "dir.md")).isDirectory()).toBe(true);
  });

  test.each([
    ["../escape", "BAD_INPUT", /“\.\.”/],
    ["/etc/passwd", "BAD_INPUT", /absolute path/],
    ["what?.md", "BAD_INPUT", /“\?”/],
    ["", "BAD_INPUT", /Give the document a name/],
  ])("the name %j is refused, nothing written anywhere", async (name, code, message) => {
    expect(await failure(docs().saveAs(agentId, name, "- [ ] x", { overwrite: true }))).toMatchObject({ code, message });
    expect(fs.existsSync(folder) ? tree(folder) : []).toEqual([]);
    expect(tree(outside)).toEqual(["victim.md"]);
  });

  test("links out of the folder are refused: a linked document and a linked subfolder", async () => {
    fs.mkdirSync(folder, { recursive: true });
    fs.symlinkSync(path.join(outside, "victim.md"), path.join(folder, "link.md"));
    fs.symlinkSync(outside, path.join(folder, "out"));
    for (const name of ["link.md", "out/new.md", "out/victim.md"]) {
      expect(await failure(docs().saveAs(agentId, name, "pwned", { overwrite: true }))).toMatchObject({ code: "FORBIDDEN" });
    }
    expect(tree(outside)).toEqual(["victim.md"]);
    expect(fs.readFileSync(path.join(outside, "victim.md"), "utf8")).toBe("- [ ] untouched\n");
  });

  test("over the size limit is refused", async () => {
    const huge = "- [ ] ☕\n".repeat(600_000);
    expect(await failure(docs().saveAs(agentId, "huge", huge))).toMatchObject({ code: "BAD_INPUT", message: /limited to 5\.0 MB/ });
    expect(fs.existsSync(path.join(folder, "huge.md"))).toBe(false);
  });

  test("two saves racing for one new name: one wins, the other is a CONFLICT, never a mix", async () => {
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => docs().saveAs(agentId, "race.md", `writer ${i}\n`)));
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "CONFLICT" });
    expect(read("race.md")).toBe(won[0]!.value.content);
    expect(tree(folder)).toEqual(["race.md"]);
  });

  test("the router: CONFLICT without overwrite, then replaced with it", async () => {
    const caller = callerFor(services, (await pairedOwner(services)).principal);
    await caller.documents.saveAs({ agentId, path: "r", content: "a\n" });
    await expect(caller.documents.saveAs({ agentId, path: "r.md", content: "b\n" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await caller.documents.saveAs({ agentId, path: "r.md", content: "b\n", overwrite: true })).toMatchObject({ replaced: true });
    expect(read("r.md")).toBe("b\n");
  });
});

describe("freeName (where /spec writes)", () => {
  test("the slug, then -2, -3… past the names taken; the folder absolute and real", async () => {
    const first = await docs().freeName(agentId, "tiny-site");
    expect(first).toEqual({ folder, name: "tiny-site" });
    fs.writeFileSync(path.join(folder, "tiny-site.md"), "");
    fs.writeFileSync(path.join(folder, "tiny-site-2.md"), "");
    expect(await docs().freeName(agentId, "tiny-site")).toEqual({ folder, name: "tiny-site-3" });
  });

  test("a name handed out is not handed out again before its file exists (two /spec turns for one goal)", async () => {
    const one = await docs().freeName(agentId, "same-goal");
    const two = await docs().freeName(agentId, "same-goal");
    expect([one.name, two.name]).toEqual(["same-goal", "same-goal-2"]);
    expect(fs.existsSync(path.join(folder, "same-goal.md"))).toBe(false);
  });

  test("a custom Auto Run folder", async () => {
    await services.agents.updateSettings(agentId, { autorunFolder: "docs/specs" });
    expect(await docs().freeName(agentId, "x")).toEqual({ folder: path.join(project, "docs", "specs"), name: "x" });
  });
});
