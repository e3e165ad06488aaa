import type { ImportedMission } from "./layout";
import type { FeatureView, MilestoneView, MissionView } from "./types";

/**
 * Test builders for the views the missions service returns: every field at a neutral default
 * (nothing started, no tokens, no git), so a test names only what it checks. Pure, for tests in
 * lib/, components/ and server/ alike (lib never imports server/).
 */

const T0 = "2026-04-09T08:00:00.000Z";

/** A feature that has not run yet. */
export function featureView(key: string, milestoneKey: string, over: Partial<FeatureView> = {}): FeatureView {
  return {
    id: `f-${key}`,
    key,
    milestoneKey,
    title: `Feature ${key}`,
    description: "",
    workerType: null,
    dependsOn: [],
    verificationSteps: [],
    fulfills: [],
    status: "pending",
    statusDetail: "",
    agentId: null,
    agentName: null,
    worktreeAgentId: null,
    branch: null,
    tabId: null,
    turnId: null,
    attempts: 0,
    mergedSha: null,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    durationMs: 0,
    startedAt: null,
    endedAt: null,
    ...over,
  };
}

/** A pending work milestone. */
export function milestoneView(key: string, order: number, over: Partial<MilestoneView> = {}): MilestoneView {
  return {
    id: `ms-${key}`,
    key,
    title: `Milestone ${key}`,
    description: "",
    order,
    kind: "work",
    profile: null,
    status: "pending",
    sealedAt: null,
    sealedBy: null,
    ...over,
  };
}

/** A draft mission with no milestones, features or assertions. */
export function missionView(over: Partial<MissionView> = {}): MissionView {
  return {
    id: "db1",
    refId: "2026-04-09-001",
    agentId: "agent1",
    agentName: "web",
    folder: "/tmp/x",
    title: "Mission",
    description: "",
    status: "draft",
    statusDetail: "",
    concurrency: 3,
    failurePolicy: "continue",
    finishMode: "pr",
    pool: [],
    baseBranch: null,
    branch: null,
    missionAgentId: null,
    prUrl: null,
    prVia: null,
    finishWarning: null,
    milestones: [],
    features: [],
    assertions: [],
    totals: { inputTokens: 0, outputTokens: 0, costUsd: 0, durationMs: 0 },
    createdAt: T0,
    updatedAt: T0,
    approvedAt: null,
    completedAt: null,
    lastEventId: 0,
    ...over,
  };
}

/** A stored mission as the missions service would show it, made from an imported one (tests of the formats). */
export function missionViewOf(m: ImportedMission, over: Partial<MissionView> = {}): MissionView {
  const t = m.createdAt ?? T0;
  return missionView({
    refId: m.refId,
    title: m.plan.title,
    description: m.plan.description,
    status: m.status,
    milestones: m.plan.milestones.map((p) => ({ ...p, id: `ms-${p.id}`, key: p.id, ...m.milestones[p.id]! })),
    // The plan's fields, its status from the state file.
    features: m.plan.features.map((f) => featureView(f.id, f.milestoneId, { ...f, id: `f-${f.id}`, status: m.features[f.id]!.status })),
    assertions: m.assertions.map((a) => ({ ...a, features: [], updatedAt: t })),
    createdAt: t,
    updatedAt: t,
    ...over,
  });
}
