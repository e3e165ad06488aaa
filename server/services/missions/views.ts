import type {
  Mission,
  MissionAssertion,
  MissionCheckpoint,
  MissionEvent,
  MissionFeature,
  MissionHandoff,
  MissionMemory,
  MissionMilestone,
} from "../../../generated/prisma/client.ts";
import {
  FEATURE_STATUSES,
  type AssertionStatus,
  type AssertionView,
  type CheckpointView,
  type FailurePolicy,
  type FeatureStatus,
  type FeatureView,
  type FinishMode,
  type HandoffFields,
  type HandoffStatus,
  type HandoffView,
  type MemoryKind,
  type MemoryView,
  type MilestoneKind,
  type MilestoneStatus,
  type MilestoneView,
  type MissionListItem,
  type MissionLogEntry,
  type MissionStatus,
  type MissionTotals,
  type MissionView,
} from "../../../lib/missions/types";

/** A mission row with what its view needs: the project agent, milestones, features, assertions. */
export type MissionRows = Mission & {
  agent: { name: string; folder: string };
  milestones: MissionMilestone[];
  features: MissionFeature[];
  assertions: MissionAssertion[];
};

/** The include that reads `MissionRows`, in the order views show them. */
export const missionInclude = {
  agent: { select: { name: true, folder: true } },
  milestones: { orderBy: [{ order: "asc" as const }, { key: "asc" as const }] },
  features: { orderBy: [{ sortOrder: "asc" as const }, { key: "asc" as const }] },
  assertions: { orderBy: { key: "asc" as const } },
};

/** What a MissionEvent row's payload holds (the rest of a log entry is the row's own columns). */
interface EventPayload {
  text?: string;
  featureKey?: string | null;
  milestoneKey?: string | null;
}

export const NO_TOTALS: MissionTotals = { inputTokens: 0, outputTokens: 0, costUsd: 0, durationMs: 0 };

/** Costs are summed as floats: rounded so a view never shows 0.30000000000000004. */
export function roundCost(usd: number): number {
  return Math.round(usd * 1e9) / 1e9;
}

/** A JSON array of strings as stored; anything else reads as empty (a hand-edited row never breaks a view). */
export function stringList(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function totalsOf(features: Pick<MissionFeature, "inputTokens" | "outputTokens" | "costUsd" | "durationMs">[]): MissionTotals {
  return features.reduce<MissionTotals>(
    (sum, f) => ({
      inputTokens: sum.inputTokens + f.inputTokens,
      outputTokens: sum.outputTokens + f.outputTokens,
      costUsd: roundCost(sum.costUsd + f.costUsd),
      durationMs: sum.durationMs + f.durationMs,
    }),
    NO_TOTALS,
  );
}

export function countsOf(features: Pick<MissionFeature, "status">[]): Record<FeatureStatus, number> {
  const counts = Object.fromEntries(FEATURE_STATUSES.map((s) => [s, 0])) as Record<FeatureStatus, number>;
  for (const f of features) if (f.status in counts) counts[f.status as FeatureStatus] += 1;
  return counts;
}

export function milestoneView(m: MissionMilestone): MilestoneView {
  return {
    id: m.id,
    key: m.key,
    title: m.title,
    description: m.description,
    order: m.order,
    kind: m.kind as MilestoneKind,
    profile: m.profile,
    status: m.status as MilestoneStatus,
    sealedAt: iso(m.sealedAt),
    sealedBy: m.sealedBy,
  };
}

export function featureView(f: MissionFeature, agentNames: ReadonlyMap<string, string>): FeatureView {
  return {
    id: f.id,
    key: f.key,
    milestoneKey: f.milestoneKey,
    title: f.title,
    description: f.description,
    workerType: f.workerType,
    dependsOn: stringList(f.dependsOnJson),
    verificationSteps: stringList(f.verificationJson),
    fulfills: stringList(f.fulfillsJson),
    status: f.status as FeatureStatus,
    statusDetail: f.statusDetail,
    agentId: f.agentId,
    agentName: f.agentId ? (agentNames.get(f.agentId) ?? null) : null,
    worktreeAgentId: f.worktreeAgentId,
    branch: f.branch,
    tabId: f.tabId,
    turnId: f.turnId,
    attempts: f.attempts,
    mergedSha: f.mergedSha,
    inputTokens: f.inputTokens,
    outputTokens: f.outputTokens,
    costUsd: f.costUsd,
    durationMs: f.durationMs,
    startedAt: iso(f.startedAt),
    endedAt: iso(f.endedAt),
  };
}

/** Assertions with the features that fulfil them (a key no feature names still shows, with none). */
export function assertionViews(assertions: MissionAssertion[], features: MissionFeature[]): AssertionView[] {
  const byKey = new Map<string, string[]>();
  for (const f of features) for (const key of stringList(f.fulfillsJson)) byKey.set(key, [...(byKey.get(key) ?? []), f.key]);
  return assertions.map((a) => ({
    key: a.key,
    status: a.status as AssertionStatus,
    evidence: a.evidence,
    setBy: a.setBy,
    features: byKey.get(a.key) ?? [],
    updatedAt: a.updatedAt.toISOString(),
  }));
}

/** The agent ids a view names (features' pool agents), to read their names in one query. */
export function agentIdsOf(rows: MissionRows): string[] {
  return [...new Set(rows.features.map((f) => f.agentId).filter((id): id is string => !!id))];
}

export function missionView(rows: MissionRows, agentNames: ReadonlyMap<string, string>, lastEventId: number): MissionView {
  return {
    id: rows.id,
    refId: rows.refId,
    agentId: rows.agentId,
    agentName: rows.agent.name,
    folder: rows.agent.folder,
    title: rows.title,
    description: rows.description,
    status: rows.status as MissionStatus,
    statusDetail: rows.statusDetail,
    concurrency: rows.concurrency,
    failurePolicy: rows.failurePolicy as FailurePolicy,
    finishMode: rows.finishMode as FinishMode,
    pool: stringList(rows.poolJson),
    baseBranch: rows.baseBranch,
    branch: rows.branch,
    missionAgentId: rows.missionAgentId,
    prUrl: rows.prUrl,
    prVia: rows.prVia,
    finishWarning: rows.finishWarning,
    milestones: rows.milestones.map(milestoneView),
    features: rows.features.map((f) => featureView(f, agentNames)),
    assertions: assertionViews(rows.assertions, rows.features),
    totals: totalsOf(rows.features),
    createdAt: rows.createdAt.toISOString(),
    updatedAt: rows.updatedAt.toISOString(),
    approvedAt: iso(rows.approvedAt),
    completedAt: iso(rows.completedAt),
    lastEventId,
  };
}

export function listItem(
  m: Mission & {
    agent: { name: string };
    features: Pick<MissionFeature, "status" | "inputTokens" | "outputTokens" | "costUsd" | "durationMs">[];
  },
): MissionListItem {
  return {
    id: m.id,
    refId: m.refId,
    agentId: m.agentId,
    agentName: m.agent.name,
    title: m.title,
    status: m.status as MissionStatus,
    statusDetail: m.statusDetail,
    counts: countsOf(m.features),
    totals: totalsOf(m.features),
    updatedAt: m.updatedAt.toISOString(),
  };
}

export function logEntry(e: MissionEvent): MissionLogEntry {
  let p: EventPayload = {};
  try {
    p = JSON.parse(e.payload) as EventPayload;
  } catch {
    // A payload that is not JSON still shows: its raw text is the line.
    p = { text: e.payload };
  }
  return {
    id: e.id,
    missionId: e.missionId,
    type: e.type,
    text: typeof p.text === "string" ? p.text : "",
    featureKey: p.featureKey ?? null,
    milestoneKey: p.milestoneKey ?? null,
    createdAt: e.createdAt.toISOString(),
  };
}

/** A handoff row's fields as stored (an unreadable row reads as no fields). */
export function handoffFields(row: Pick<MissionHandoff, "fieldsJson">): HandoffFields {
  try {
    const v: unknown = JSON.parse(row.fieldsJson);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as HandoffFields) : {};
  } catch {
    return {};
  }
}

/** `encode` is the UKI v5.4 codec (lib/missions/uki.ts): the view carries the transfer string. */
export function handoffView(row: MissionHandoff, encode: (fields: HandoffFields) => string): HandoffView {
  const fields = handoffFields(row);
  return {
    id: row.id,
    missionId: row.missionId,
    featureKey: row.featureKey,
    status: row.status as HandoffStatus,
    claimedBy: row.claimedBy,
    fields,
    uki: encode(fields),
    createdAt: row.createdAt.toISOString(),
    pickedUpAt: iso(row.pickedUpAt),
    completedAt: iso(row.completedAt),
  };
}

export function memoryView(row: MissionMemory): MemoryView {
  return {
    id: row.id,
    kind: row.kind as MemoryKind,
    text: row.text,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function checkpointView(row: Pick<MissionCheckpoint, "id" | "label" | "reason" | "createdAt">): CheckpointView {
  return { id: row.id, label: row.label, reason: row.reason === "auto" ? "auto" : "manual", createdAt: row.createdAt.toISOString() };
}
