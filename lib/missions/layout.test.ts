import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { normalizeHandoff } from "./handoff";
import { missionFiles, memoryFiles, readMemoryFiles, readMissionFiles, readMissionFilesDetailed, type ImportedMission } from "./layout";
import type { HandoffView, MemoryView, MissionView } from "./types";
import { encodeUki } from "./uki";
import { missionViewOf } from "./view.testkit";

const ROOT = join(__dirname, "../../test/fixtures/maestro-ref/.maestro");

function readTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p).split("\\").join("/"), readFileSync(p, "utf8"));
    }
  };
  walk(root);
  return out;
}

const asMap = (files: { path: string; content: string }[]) => new Map(files.map((f) => [f.path, f.content]));

/** A stored mission as the service would show it, from an imported one: approved, its two features started. */
function viewOf(m: ImportedMission): MissionView {
  const v = missionViewOf(m, { updatedAt: "2026-04-09T09:30:00.000Z", approvedAt: "2026-04-09T08:05:00.000Z" });
  const startedAt = (key: string) => (key === "auth-plan" ? "2026-04-09T09:00:00.000Z" : "2026-04-09T09:10:00.000Z");
  return { ...v, features: v.features.map((f) => ({ ...f, startedAt: startedAt(f.key) })) };
}

describe("a .maestro/ tree made by the reference CLI (written from its README's examples)", () => {
  const files = readTree(ROOT);
  const [mission] = readMissionFiles(files);

  test("imports: plan, statuses, sealed milestone, assertion by its fulfills string, the mission's handoff", () => {
    expect(mission).toBeDefined();
    const m = mission!;
    expect(m.refId).toBe("2026-04-09-001");
    expect(m.status).toBe("executing");
    expect(m.plan.features.map((f) => [f.id, f.workerType, f.dependsOn])).toEqual([
      ["auth-plan", "codex-cli", []],
      ["auth-impl", "codex-cli", ["auth-plan"]],
    ]);
    expect(m.milestones).toEqual({
      plan: { status: "sealed", sealedAt: "2026-04-09T09:30:00.000Z", sealedBy: null },
      implement: { status: "active", sealedAt: null, sealedBy: null },
    });
    expect(m.features).toEqual({ "auth-plan": { status: "done" }, "auth-impl": { status: "in-progress" } });
    expect(m.assertions).toEqual([{ key: "auth-login-works", status: "pending", evidence: "", setBy: null }]);
    expect(m.handoffs.map((h) => [h.id, h.status, h.featureKey, h.handoff.summary])).toEqual([
      ["2026-04-09-001", "pending", "auth-plan", "Handoff_real_example-ready-low_risk"],
    ]);
    expect(encodeUki(m.handoffs[0]!.handoff)).toBe(JSON.parse(files.get("handoffs/2026-04-09-001.json")!).uki);
    expect(m.createdAt).toBe("2026-04-09T08:00:00.000Z");
  });

  test("written back, the reference's files are byte for byte the same", () => {
    const view = viewOf(mission!);
    const handoff = mission!.handoffs[0]!;
    const hv: HandoffView = {
      id: handoff.id,
      missionId: "db1",
      featureKey: "auth-plan",
      status: handoff.status,
      claimedBy: null,
      fields: handoff.handoff as unknown as Record<string, unknown>,
      uki: encodeUki(handoff.handoff),
      createdAt: handoff.createdAt,
      pickedUpAt: null,
      completedAt: null,
    };
    const out = asMap(
      missionFiles({
        view,
        handoffs: [hv],
        checkpoints: [
          {
            id: "20260409-093000-000",
            label: "",
            reason: "manual",
            createdAt: "2026-04-09T09:30:00.000Z",
            snapshot: {
              features: [
                { key: "auth-plan", status: "done" },
                { key: "auth-impl", status: "in-progress" },
              ],
              assertions: [{ key: "auth-login-works", status: "pending" }],
              milestones: [{ key: "plan", status: "sealed" }],
            },
          },
        ],
        prompts: { "auth-impl": "# Worker Assignment: Implement the auth flow\n" },
      }),
    );
    for (const path of [
      "missions/2026-04-09-001/mission.json",
      "missions/2026-04-09-001/features/auth-plan.json",
      "missions/2026-04-09-001/features/auth-impl.json",
      "missions/2026-04-09-001/assertions.json",
    ])
      expect(out.get(path), path).toBe(files.get(path));
    const cp = JSON.parse(out.get("missions/2026-04-09-001/checkpoints/20260409-093000-000.json")!);
    expect(cp).toEqual(JSON.parse(files.get("missions/2026-04-09-001/checkpoints/20260409-093000-000.json")!));
    const record = JSON.parse(out.get("handoffs/2026-04-09-001.json")!);
    const original = JSON.parse(files.get("handoffs/2026-04-09-001.json")!);
    expect(JSON.stringify(record.content)).toBe(JSON.stringify(original.content));
    expect(record.uki).toBe(original.uki);
    expect(out.get("missions/2026-04-09-001/workers/auth-impl/prompt.md")).toBe("# Worker Assignment: Implement the auth flow\n");
  });

  test("memory: corrections, raw learnings and the reference's compiled summary", () => {
    expect(readMemoryFiles(files)).toEqual([
      { kind: "correction", text: "use bun not npm", createdAt: "2026-04-09T08:10:00.000Z" },
      { kind: "learning", text: "Auth tests need a fake clock; prefer bun for scripts.", createdAt: "2026-04-09T09:20:00.000Z" },
      { kind: "learning", text: "The auth tests need the fake clock", createdAt: "2026-04-09T00:00:00.000Z" },
    ]);
  });
});

describe("our own missions round-trip through the files", () => {
  const base = readMissionFiles(readTree(ROOT))[0]!;

  test("statuses the reference has no word for (failed, skipped), who sealed and set, a feature without worker type", () => {
    const view = viewOf(base);
    view.status = "paused";
    view.features[1]!.status = "failed";
    view.features[1]!.workerType = null;
    view.features[1]!.verificationSteps = [];
    view.milestones[0]!.sealedBy = "validator";
    view.assertions[0] = { ...view.assertions[0]!, status: "waived", evidence: "covered by e2e", setBy: "user" };
    const files = asMap(missionFiles({ view, handoffs: [], checkpoints: [], prompts: {} }));
    const feature = JSON.parse(files.get("missions/2026-04-09-001/features/auth-impl.json")!);
    expect([feature.status, feature.agentType, feature.verificationSteps]).toEqual([
      "blocked",
      "any",
      ["No verification steps were given"],
    ]);
    const assertion = JSON.parse(files.get("missions/2026-04-09-001/assertions.json")!).assertions[0];
    expect([assertion.result, assertion.waivedReason]).toEqual(["waived", "covered by e2e"]);

    const back = readMissionFiles(files)[0]!;
    expect(back.status).toBe("paused");
    expect(back.features["auth-impl"]).toEqual({ status: "failed" });
    expect(back.plan.features[1]).toMatchObject({ workerType: null, verificationSteps: [] });
    expect(back.milestones.plan!.sealedBy).toBe("validator");
    expect(back.assertions).toEqual([{ key: "auth-login-works", status: "waived", evidence: "covered by e2e", setBy: "user" }]);
  });

  test("a status the reference CLI changed after we wrote wins over our sidecar", () => {
    const view = viewOf(base);
    view.features[1]!.status = "failed";
    const files = asMap(missionFiles({ view, handoffs: [], checkpoints: [], prompts: {} }));
    const path = "missions/2026-04-09-001/features/auth-impl.json";
    files.set(path, files.get(path)!.replace('"status": "blocked"', '"status": "review"'));
    expect(readMissionFiles(files)[0]!.features["auth-impl"]).toEqual({ status: "review" });
  });

  test("the sidecar lists the mission's files (so removed features' files can go)", () => {
    const view = viewOf(base);
    const files = asMap(missionFiles({ view, handoffs: [], checkpoints: [], prompts: {} }));
    expect(JSON.parse(files.get("missions/2026-04-09-001/maestro-app.json")!).files).toEqual([
      "missions/2026-04-09-001/mission.json",
      "missions/2026-04-09-001/features/auth-plan.json",
      "missions/2026-04-09-001/features/auth-impl.json",
      "missions/2026-04-09-001/assertions.json",
    ]);
  });
});

describe("bad files are named", () => {
  test.each([
    ["not JSON", "missions/x/mission.json", "{", ".maestro/missions/x/mission.json: not valid JSON"],
    ["not a mission", "missions/x/mission.json", "[]", ".maestro/missions/x/mission.json: not a mission object"],
    [
      "a missing feature file",
      "missions/x/mission.json",
      JSON.stringify({ id: "x", title: "T", milestones: [{ id: "m", title: "M" }], features: ["a"] }),
      ".maestro/missions/x/features/a.json: missing",
    ],
  ])("%s", (_what, path, content, message) => {
    const files = new Map([[path, content]]);
    expect(() => readMissionFiles(files)).toThrow(message);
    expect(readMissionFilesDetailed(files).skipped).toEqual([{ refId: "x", reason: expect.stringContaining(message) }]);
  });

  test("a plan with a cycle is refused, naming the mission file", () => {
    const files = new Map([
      ["missions/x/mission.json", JSON.stringify({ id: "x", title: "T", milestones: [{ id: "m", title: "M" }], features: ["a", "b"] })],
      ["missions/x/features/a.json", JSON.stringify({ id: "a", milestoneId: "m", title: "A", dependsOn: ["b"] })],
      ["missions/x/features/b.json", JSON.stringify({ id: "b", milestoneId: "m", title: "B", dependsOn: ["a"] })],
    ]);
    expect(() => readMissionFiles(files)).toThrow(".maestro/missions/x/mission.json: not a valid plan: Dependency cycle: a → b → a.");
  });
});

describe("memoryFiles", () => {
  test("our memory as the reference's files, read back the same", () => {
    const entries: MemoryView[] = [
      {
        id: "c1",
        kind: "correction",
        text: "Never edit generated files",
        createdAt: "2026-04-09T10:00:00.000Z",
        updatedAt: "2026-04-09T10:00:00.000Z",
      },
      { id: "c2", kind: "correction", text: "Run prettier", createdAt: "2026-04-09T11:00:00.000Z", updatedAt: "2026-04-09T11:00:00.000Z" },
      {
        id: "l1abcd",
        kind: "learning",
        text: "Tests sit beside code",
        createdAt: "2026-04-09T12:00:00.000Z",
        updatedAt: "2026-04-09T12:00:00.000Z",
      },
    ];
    const files = asMap(memoryFiles(entries));
    const paths = [...files.keys()];
    expect(paths.filter((p) => p.startsWith("memory/corrections/"))).toHaveLength(2);
    const c = JSON.parse([...files.entries()].find(([p]) => p.startsWith("memory/corrections/"))![1]);
    expect(Object.keys(c)).toEqual(["id", "rule", "source", "trigger", "severity", "createdAt", "updatedAt"]);
    expect(c).toMatchObject({
      rule: "Never edit generated files",
      severity: "hard",
      trigger: { keywords: ["edit", "generated", "files"], fileGlobs: [] },
    });
    expect(JSON.parse(files.get("memory/learnings/_compiled.json")!)).toEqual({
      compiledAt: "2026-04-09T12:00:00.000Z",
      summary: "- Tests sit beside code",
      rawCount: 1,
    });
    expect(readMemoryFiles(files)).toEqual(entries.map((e) => ({ kind: e.kind, text: e.text, createdAt: e.createdAt })));
  });
});

test("a handoff whose fields are no handoff is left out, not written broken", () => {
  const view = viewOf(readMissionFiles(readTree(ROOT))[0]!);
  const bad: HandoffView = {
    id: "2026-04-10-001",
    missionId: "db1",
    featureKey: null,
    status: "pending",
    claimedBy: null,
    fields: { summary: "no session core" },
    uki: "",
    createdAt: "2026-04-10T00:00:00.000Z",
    pickedUpAt: null,
    completedAt: null,
  };
  const paths = missionFiles({ view, handoffs: [bad], checkpoints: [], prompts: {} }).map((f) => f.path);
  expect(paths.some((p) => p.startsWith("handoffs/"))).toBe(false);
  expect(normalizeHandoff(bad.fields).ok).toBe(false);
});
