import { normalizeHandoff, referenceContent } from "./handoff";
import { assertionRefId } from "./ids";
import { NO_STEPS, REFERENCE_PROFILES, planOf, type MissionPlan } from "./plan";
import { REF_FEATURE, REF_MISSION } from "./ref-status";
import type { AssertionStatus, FeatureStatus, HandoffView, MissionStatus, MissionView, MilestoneStatus } from "./types";

export { REF_FEATURE, REF_MISSION };

export { memoryFiles, readMemoryFiles } from "./layout-memory";
export { readHandoffFiles, readMissionFiles, readMissionFilesDetailed, MissionFileError } from "./layout-read";
export type { ImportedHandoff, ImportedMission } from "./layout-read";

/**
 * A mission as the reference CLI's `.maestro/` files (ReinaMacCredy/maestro v0.40.6: mission-store,
 * feature-store, assertion-store, checkpoint-store and handoff-store adapters): the same paths,
 * keys in its schemas' order, `JSON.stringify(x, null, 2)` plus a newline, values its strict
 * schemas accept — so its CLI reads what we write. What the reference cannot hold (our statuses
 * failed/skipped, who sealed or set what, a feature without a worker type) goes into a file of
 * ours beside them, `missions/<id>/maestro-app.json`, which the reference never reads. Paths are
 * relative to the project's `.maestro/`. Pure.
 */

export const SIDECAR = "maestro-app.json";
export const SIDECAR_VERSION = 1;

export interface MissionFile {
  path: string;
  content: string;
}

export interface CheckpointInput {
  id: string;
  label: string;
  reason: string;
  createdAt: string;
  snapshot: unknown;
}

export interface MissionFilesInput {
  view: MissionView;
  handoffs: HandoffView[];
  checkpoints: CheckpointInput[];
  /** Worker prompts by feature key (`workers/<feature>/prompt.md`). */
  prompts: Record<string, string>;
}

/** What our sidecar holds (missions/<id>/maestro-app.json). */
export interface MissionSidecar {
  version: number;
  refId: string;
  /** Ours, and the reference's status we wrote for it (a different one on disk: the reference CLI changed it since). */
  status: { ours: MissionStatus; written: string };
  statusDetail: string;
  plan: MissionPlan;
  milestones: Record<string, { status: MilestoneStatus; sealedAt: string | null; sealedBy: string | null }>;
  features: Record<string, { ours: FeatureStatus; written: string }>;
  assertions: Record<string, { ours: AssertionStatus; written: string; evidence: string; setBy: string | null }>;
  checkpoints: Record<string, { label: string; reason: string }>;
  /** Every file of this mission we wrote (relative to `.maestro/`), so ones no longer written are removed. */
  files: string[];
}

export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** A name safe as one path segment (a feature key, a checkpoint or handoff id). */
export function safeSegment(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) && !name.includes("..") && name.length <= 200;
}

/** A feature's or an assertion's time in the reference's ISO form (its schemas insist). */
function iso(value: string | null | undefined, fallback: string): string {
  return value && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(value) ? value : fallback;
}

export function missionDir(refId: string): string {
  return `missions/${refId}`;
}

/** Feature and assertion statuses of a checkpoint's snapshot, in the reference's checkpoint form. */
export function checkpointStatuses(
  view: MissionView,
  snapshot: unknown,
): { currentMilestoneId: string; featureStatuses: Record<string, string>; assertionResults: Record<string, string> } {
  const snap = (snapshot && typeof snapshot === "object" ? snapshot : {}) as Record<string, unknown>;
  const statusMap = (value: unknown): Map<string, string> => {
    const out = new Map<string, string>();
    if (Array.isArray(value)) {
      for (const item of value)
        if (item && typeof item === "object") {
          const { key, status } = item as { key?: unknown; status?: unknown };
          if (typeof key === "string" && typeof status === "string") out.set(key, status);
        }
    } else if (value && typeof value === "object") {
      for (const [key, status] of Object.entries(value)) if (typeof status === "string") out.set(key, status);
    }
    return out;
  };
  const features = statusMap(snap.features ?? snap.featureStatuses);
  const assertions = statusMap(snap.assertions ?? snap.assertionResults);
  const milestones = statusMap(snap.milestones);
  const featureStatuses: Record<string, string> = {};
  for (const f of view.features) {
    const s = features.get(f.key);
    if (s) featureStatuses[f.key] = REF_FEATURE[s as FeatureStatus] ?? "pending";
  }
  const assertionResults: Record<string, string> = {};
  for (const f of view.features)
    f.fulfills.forEach((key, i) => {
      const s = assertions.get(key);
      if (s) assertionResults[assertionRefId(f.key, i + 1)] = s;
    });
  const ordered = [...view.milestones].sort((a, b) => a.order - b.order);
  const current = ordered.find((m) => (milestones.get(m.key) ?? m.status) !== "sealed") ?? ordered[0];
  return { currentMilestoneId: current?.key ?? "none", featureStatuses, assertionResults };
}

/** The handoff record of `.maestro/handoffs/<id>.json`, or null when its fields are not a valid handoff. */
export function handoffRecord(h: HandoffView, missionRefId: string | null): Record<string, unknown> | null {
  const n = normalizeHandoff(h.fields);
  if (!n.ok) return null;
  return {
    id: h.id,
    version: "5.4",
    timestamp: h.createdAt,
    status: h.status,
    agent: "maestro",
    sessionId: "none",
    content: referenceContent(n.handoff),
    uki: h.uki,
    ...(h.pickedUpAt ? { pickedUpAt: h.pickedUpAt } : {}),
    ...(h.claimedBy ? { pickedUpBy: h.claimedBy } : {}),
    ...(h.completedAt ? { completedAt: h.completedAt } : {}),
    // The reference's handoff schema passes unknown keys through: ours says whose it is exactly.
    maestroApp: { mission: missionRefId, feature: h.featureKey },
  };
}

/** `handoffs/<id>.json` of a handoff, a mission's (its refId) or none's (null); null when it cannot be written. */
export function handoffFile(h: HandoffView, missionRefId: string | null): MissionFile | null {
  if (!safeSegment(h.id)) return null;
  const record = handoffRecord(h, missionRefId);
  return record ? { path: `handoffs/${h.id}.json`, content: json(record) } : null;
}

export function missionFiles(input: MissionFilesInput): MissionFile[] {
  const { view } = input;
  const dir = missionDir(view.refId);
  const files: MissionFile[] = [];
  const created = iso(view.createdAt, new Date(0).toISOString());
  const updated = iso(view.updatedAt, created);
  const sealed = view.milestones.filter((m) => m.status === "sealed").sort((a, b) => (a.sealedAt ?? "").localeCompare(b.sealedAt ?? ""));

  files.push({
    path: `${dir}/mission.json`,
    content: json({
      id: view.refId,
      status: REF_MISSION[view.status],
      title: view.title || view.refId,
      description: view.description,
      milestones: view.milestones.map((m) => ({
        id: m.key,
        title: m.title || m.key,
        description: m.description,
        order: Math.max(0, Math.trunc(m.order)),
        kind: m.kind === "validation" ? "gate" : "work",
        ...(m.profile && REFERENCE_PROFILES.has(m.profile) ? { profile: m.profile } : {}),
        featureIds: [],
      })),
      features: view.features.map((f) => f.key),
      createdAt: created,
      updatedAt: updated,
      ...(view.approvedAt ? { approvedAt: iso(view.approvedAt, updated) } : {}),
      ...(view.completedAt ? { completedAt: iso(view.completedAt, updated) } : {}),
      ...(sealed.length > 0 ? { completedMilestoneIds: sealed.map((m) => m.key) } : {}),
    }),
  });

  for (const f of view.features) {
    if (!safeSegment(f.key)) continue;
    files.push({
      path: `${dir}/features/${f.key}.json`,
      content: json({
        id: f.key,
        missionId: view.refId,
        milestoneId: f.milestoneKey,
        status: REF_FEATURE[f.status],
        title: f.title || f.key,
        description: f.description,
        agentType: f.workerType && /^[A-Za-z0-9][A-Za-z0-9:_-]*$/.test(f.workerType) ? f.workerType : "any",
        verificationSteps: f.verificationSteps.length > 0 ? f.verificationSteps : [NO_STEPS],
        dependsOn: f.dependsOn,
        fulfills: f.fulfills,
        createdAt: created,
        updatedAt: iso(f.endedAt ?? f.startedAt, created),
      }),
    });
  }

  const byKey = new Map(view.assertions.map((a) => [a.key, a]));
  const assertions = view.features.flatMap((f) =>
    f.fulfills.map((key, i) => {
      const a = byKey.get(key);
      const result = a?.status ?? "pending";
      const evidence = a?.evidence ?? "";
      return {
        id: assertionRefId(f.key, i + 1),
        missionId: view.refId,
        milestoneId: f.milestoneKey,
        featureId: f.key,
        result,
        description: key,
        surface: "cli",
        ...(evidence ? { evidence } : {}),
        ...(result === "waived" ? { waivedReason: evidence || "waived" } : {}),
        createdAt: created,
        updatedAt: iso(a?.updatedAt, created),
      };
    }),
  );
  files.push({ path: `${dir}/assertions.json`, content: json({ assertions }) });

  for (const c of input.checkpoints) {
    if (!safeSegment(c.id)) continue;
    const s = checkpointStatuses(view, c.snapshot);
    files.push({
      path: `${dir}/checkpoints/${c.id}.json`,
      content: json({
        id: c.id,
        missionId: view.refId,
        currentMilestoneId: s.currentMilestoneId,
        timestamp: iso(c.createdAt, created),
        featureStatuses: s.featureStatuses,
        assertionResults: s.assertionResults,
      }),
    });
  }

  const keys = new Set(view.features.map((f) => f.key));
  for (const [key, prompt] of Object.entries(input.prompts))
    if (keys.has(key) && safeSegment(key)) files.push({ path: `${dir}/workers/${key}/prompt.md`, content: prompt });

  for (const h of input.handoffs) {
    const file = handoffFile(h, view.refId);
    if (file) files.push(file);
  }

  const sidecar: MissionSidecar = {
    version: SIDECAR_VERSION,
    refId: view.refId,
    status: { ours: view.status, written: REF_MISSION[view.status] },
    statusDetail: view.statusDetail,
    plan: planOf(view),
    milestones: Object.fromEntries(view.milestones.map((m) => [m.key, { status: m.status, sealedAt: m.sealedAt, sealedBy: m.sealedBy }])),
    features: Object.fromEntries(view.features.map((f) => [f.key, { ours: f.status, written: REF_FEATURE[f.status] }])),
    assertions: Object.fromEntries(
      view.assertions.map((a) => [a.key, { ours: a.status, written: a.status, evidence: a.evidence, setBy: a.setBy }]),
    ),
    checkpoints: Object.fromEntries(input.checkpoints.map((c) => [c.id, { label: c.label, reason: c.reason }])),
    files: files.filter((f) => f.path.startsWith(`${dir}/`)).map((f) => f.path),
  };
  files.push({ path: `${dir}/${SIDECAR}`, content: json(sidecar) });
  return files;
}
