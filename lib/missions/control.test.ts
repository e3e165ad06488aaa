import { describe, expect, test } from "vitest";
import { missionControlJson, missionControlPreview, selectMission } from "./control";
import type { FeatureStatus, HandoffView, MilestoneView, MissionStatus, MissionView } from "./types";
import { featureView, milestoneView, missionView } from "./view.testkit";

const feature = (key: string, milestoneKey: string, status: FeatureStatus, dependsOn: string[] = []) =>
  featureView(key, milestoneKey, { status, dependsOn, inputTokens: 10, outputTokens: 5 });

function view(
  refId: string,
  status: MissionStatus,
  milestones: Partial<MilestoneView>[] = [],
  features = [feature("a", "m1", "done")],
): MissionView {
  const at = "2026-12-07T10:00:00.000Z";
  return missionView({
    id: `db-${refId}`,
    refId,
    agentId: "ag",
    folder: "/p",
    title: `Mission ${refId}`,
    status,
    milestones: (milestones.length ? milestones : [{ key: "m1" }]).map((m, i) =>
      milestoneView(`m${i + 1}`, i, { id: `m-${i}`, title: `Milestone ${i + 1}`, ...m }),
    ),
    features,
    totals: { inputTokens: 30, outputTokens: 15, costUsd: 0, durationMs: 0 },
    createdAt: at,
    updatedAt: at,
    approvedAt: at,
  });
}

const handoff = (id: string, status: "pending" | "picked-up"): HandoffView => ({
  id,
  missionId: null,
  featureKey: null,
  status,
  claimedBy: null,
  fields: {},
  uki: "MODE-execute|…",
  createdAt: "2026-12-07T10:30:00.000Z",
  pickedUpAt: null,
  completedAt: null,
});

describe("missionControlJson", () => {
  test("picks the newest executing or paused mission, else the newest; a given id or refId wins", () => {
    const views = [view("2026-12-07-001", "paused"), view("2026-12-07-002", "completed"), view("2026-12-06-001", "executing")];
    expect(selectMission(views)?.refId).toBe("2026-12-07-001");
    expect(selectMission([views[1]!])?.refId).toBe("2026-12-07-002");
    expect(selectMission(views, "db-2026-12-06-001")?.refId).toBe("2026-12-06-001");
    expect(selectMission(views, "2026-12-07-002")?.refId).toBe("2026-12-07-002");
  });

  test("the reference's keys in its order, its status words, redacted handoffs", () => {
    const v = view(
      "2026-12-07-001",
      "executing",
      [{ status: "sealed" }, { status: "review", kind: "validation", title: "Review" }],
      [
        feature("a", "m1", "done"),
        feature("b", "m2", "in-progress", ["a"]),
        feature("c", "m2", "failed", ["a"]),
        feature("d", "m2", "pending", ["b", "c"]),
      ],
    );
    const snap = missionControlJson([v], [handoff("h1", "pending"), handoff("h2", "picked-up")], {
      now: new Date("2026-12-07T10:05:00.000Z"),
    }) as Record<string, unknown>;
    expect(Object.keys(snap).slice(0, 9)).toEqual([
      "mode",
      "missionId",
      "missionTitle",
      "missionStatus",
      "effectiveStatus",
      "elapsedMs",
      "featureProgress",
      "statusProgress",
      "tokenCounters",
    ]);
    expect(snap).toMatchObject({
      mode: "mission",
      missionId: "2026-12-07-001",
      effectiveStatus: "validating",
      elapsedMs: 300_000,
      featureProgress: { done: 1, total: 4, active: 1 },
      statusProgress: { completed: 1, total: 4, inFlight: 1, blocked: 1, queued: 1, completionPct: 25 },
      pendingHandoffs: [
        { id: "h1", agent: "maestro", timestamp: "2026-12-07T10:30:00.000Z", message: "Details hidden in read-only output" },
      ],
      milestones: [
        { id: "m1", status: "sealed", kind: "work", profile: "custom" },
        { id: "m2", status: "validating", kind: "gate" },
      ],
      gateBlocked: true,
      canPause: true,
      canResume: false,
      home: null,
    });
    const features = snap.features as { id: string; status: string; blockedByIds: string[] }[];
    expect(features.map((f) => [f.id, f.status, f.blockedByIds])).toEqual([
      ["a", "done", []],
      ["b", "in-progress", []],
      ["c", "blocked", []],
      ["d", "pending", ["b", "c"]],
    ]);
    expect((snap.activeFeature as { id: string }).id).toBe("b");
  });

  test("no mission: home mode", () => {
    expect(missionControlJson([], [])).toMatchObject({
      mode: "home",
      missionId: "home",
      missionStatus: "approved",
      home: { headline: "No missions yet" },
    });
  });
});

describe("missionControlPreview", () => {
  test("one frame: status, progress, milestones, features", () => {
    const v = view(
      "2026-12-07-001",
      "executing",
      [{ status: "active" }],
      [feature("a", "m1", "done"), feature("b", "m1", "pending", ["a"])],
    );
    const text = missionControlPreview([v], [], { now: new Date("2026-12-07T10:01:30.000Z") });
    expect(text.split("\n").slice(0, 3)).toEqual([
      "Mission Control — Mission 2026-12-07-001 (2026-12-07-001)",
      "Status: executing  Elapsed: 1m 30s",
      "Features: 1/2 done, 0 active, 0 blocked (50%)",
    ]);
    expect(text).toContain("  1. [WORK] m1  executing   Milestone 1");
    expect(text).toMatch(/ {2}b {21}pending {7}Feature b/);
    expect(missionControlPreview([], [])).toContain("No missions yet");
  });
});
