import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { missionViewOf } from "../../../lib/missions/view.testkit";
import { readHandoffs, readMemory, readMissionTrees, scanMissionTrees, writeMemory, writeMissionTree, writePrompt } from "./disk";

const FIXTURE = join(__dirname, "../../../test/fixtures/maestro-ref/.maestro");
let dir: string;
let project: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mission-disk-"));
  project = join(dir, "project");
  mkdirSync(project);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const M = (rel: string) => join(project, ".maestro", rel);

describe("reading a reference-made .maestro/", () => {
  test("missions, handoffs and memory", async () => {
    cpSync(FIXTURE, join(project, ".maestro"), { recursive: true });
    const [mission] = await readMissionTrees(project);
    expect(mission?.refId).toBe("2026-04-09-001");
    expect(mission?.handoffs.map((h) => h.featureKey)).toEqual(["auth-plan"]);
    expect((await readHandoffs(project)).map((h) => h.id)).toEqual(["2026-04-09-001"]);
    expect((await readMemory(project)).map((e) => e.kind)).toEqual(["correction", "learning", "learning"]);
  });

  test("no .maestro: nothing, and nothing made", async () => {
    expect(await readMissionTrees(project)).toEqual([]);
    expect(await readMemory(project)).toEqual([]);
    expect(existsSync(M(""))).toBe(false);
  });

  test("a malformed file is an error naming it; the scan skips that mission and reads the rest", async () => {
    cpSync(FIXTURE, join(project, ".maestro"), { recursive: true });
    mkdirSync(M("missions/2026-04-10-001"), { recursive: true });
    writeFileSync(M("missions/2026-04-10-001/mission.json"), "{ not json");
    await expect(readMissionTrees(project)).rejects.toThrow(".maestro/missions/2026-04-10-001/mission.json: not valid JSON");
    const scan = await scanMissionTrees(project);
    expect(scan.missions.map((m) => m.refId)).toEqual(["2026-04-09-001"]);
    expect(scan.skipped).toEqual([{ refId: "2026-04-10-001", reason: expect.stringContaining("mission.json: not valid JSON") }]);
  });
});

describe("writing", () => {
  async function fixtureView() {
    const fake = join(dir, "refproject");
    mkdirSync(fake);
    cpSync(FIXTURE, join(fake, ".maestro"), { recursive: true });
    return missionViewOf((await readMissionTrees(fake))[0]!);
  }

  test("writes the tree, rewrites only what changed, removes a removed feature's file, keeps prompts", async () => {
    const view = await fixtureView();
    await writeMissionTree(project, { view, handoffs: [], checkpoints: [], prompts: {} });
    const prompt = await writePrompt(project, view.refId, "auth-impl", "# prompt\n");
    expect(prompt).toBe(M("missions/2026-04-09-001/workers/auth-impl/prompt.md"));
    expect(readFileSync(prompt, "utf8")).toBe("# prompt\n");
    const featureFile = M("missions/2026-04-09-001/features/auth-plan.json");
    const before = statSync(featureFile).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    view.status = "paused";
    await writeMissionTree(project, { view, handoffs: [], checkpoints: [], prompts: {} });
    expect(statSync(featureFile).mtimeMs).toBe(before);
    expect(JSON.parse(readFileSync(M("missions/2026-04-09-001/mission.json"), "utf8")).status).toBe("paused");

    const without = { ...view, features: view.features.filter((f) => f.key !== "auth-impl"), assertions: [] };
    await writeMissionTree(project, { view: without, handoffs: [], checkpoints: [], prompts: {} });
    expect(existsSync(M("missions/2026-04-09-001/features/auth-impl.json"))).toBe(false);
    expect(existsSync(featureFile)).toBe(true);
    expect(existsSync(prompt)).toBe(true);
    const back = await readMissionTrees(project);
    expect(back[0]!.status).toBe("paused");
    expect(back[0]!.plan.features.map((f) => f.id)).toEqual(["auth-plan"]);
  });

  test("a file changed by hand since our write is written again; a project folder gone is not made again", async () => {
    const view = await fixtureView();
    await writeMissionTree(project, { view, handoffs: [], checkpoints: [], prompts: {} });
    const missionFile = M("missions/2026-04-09-001/mission.json");
    const ours = readFileSync(missionFile, "utf8");
    // Same size, other content: only the file's identity (mtime) can tell it changed.
    writeFileSync(missionFile, ours.replace(/"/, "'"));
    utimesSync(missionFile, new Date(), new Date(Date.now() + 5000));
    await writeMissionTree(project, { view, handoffs: [], checkpoints: [], prompts: {} });
    expect(readFileSync(missionFile, "utf8")).toBe(ours);

    const gone = join(dir, "gone-project");
    mkdirSync(gone);
    rmSync(gone, { recursive: true });
    await expect(writeMissionTree(gone, { view, handoffs: [], checkpoints: [], prompts: {} })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(existsSync(gone)).toBe(false);
  });

  test("memory: written, read back, removed entries' files go", async () => {
    const e = (id: string, kind: "correction" | "learning", text: string, at: string) => ({ id, kind, text, createdAt: at, updatedAt: at });
    await writeMemory(project, [
      e("c1", "correction", "Run prettier", "2026-04-09T10:00:00.000Z"),
      e("l1", "learning", "Tests beside code", "2026-04-09T11:00:00.000Z"),
    ]);
    expect((await readMemory(project)).map((x) => x.text)).toEqual(["Run prettier", "Tests beside code"]);
    await writeMemory(project, [e("c1", "correction", "Run prettier", "2026-04-09T10:00:00.000Z")]);
    expect(await readMemory(project)).toEqual([{ kind: "correction", text: "Run prettier", createdAt: "2026-04-09T10:00:00.000Z" }]);
    expect(existsSync(M("memory/learnings/_compiled.json"))).toBe(false);
  });
});

describe("hostile names and links", () => {
  test("a .maestro that is a link is refused, for writing and reading", async () => {
    const outside = join(dir, "outside");
    mkdirSync(outside);
    symlinkSync(outside, join(project, ".maestro"));
    const view = missionViewOf({
      refId: "2026-04-09-001",
      plan: {
        title: "T",
        description: "",
        milestones: [{ id: "m", title: "M", description: "", order: 0, kind: "work", profile: null }],
        features: [],
      },
      status: "draft",
      milestones: { m: { status: "pending", sealedAt: null, sealedBy: null } },
      features: {},
      assertions: [],
      handoffs: [],
      createdAt: null,
    });
    await expect(writeMissionTree(project, { view, handoffs: [], checkpoints: [], prompts: {} })).rejects.toThrow("is a link");
    await expect(readMissionTrees(project)).rejects.toThrow("is a link");
    await expect(writeMemory(project, [])).rejects.toThrow("is a link");
  });

  test("../ in a mission id or feature key is refused", async () => {
    await expect(writePrompt(project, "2026-04-09-001", "../../evil", "x")).rejects.toThrow("cannot name a prompt file");
    await expect(writePrompt(project, "..", "f", "x")).rejects.toThrow("cannot name a prompt file");
    const view = missionViewOf({
      refId: "../evil",
      plan: { title: "T", description: "", milestones: [], features: [] },
      status: "draft",
      milestones: {},
      features: {},
      assertions: [],
      handoffs: [],
      createdAt: null,
    });
    await expect(writeMissionTree(project, { view, handoffs: [], checkpoints: [], prompts: {} })).rejects.toThrow(
      "cannot name a mission folder",
    );
    expect(existsSync(join(dir, "evil"))).toBe(false);
  });

  test("a link inside .maestro pointing out is not written through", async () => {
    const outside = join(dir, "outside");
    mkdirSync(outside);
    mkdirSync(M("missions/2026-04-09-001"), { recursive: true });
    symlinkSync(outside, M("missions/2026-04-09-001/workers"));
    await expect(writePrompt(project, "2026-04-09-001", "f", "x")).rejects.toThrow(/link/);
    expect(existsSync(join(outside, "f"))).toBe(false);
  });
});
