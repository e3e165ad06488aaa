import { normalizeHandoff, type Handoff } from "./handoff";
import type { MissionSidecar } from "./layout";
import { NO_STEPS, parsePlan, type MissionPlan } from "./plan";
import { decodeUki } from "./uki";
import { normalizeUkiToken } from "./uki-token";
import {
  ASSERTION_STATUSES,
  FEATURE_STATUSES,
  HANDOFF_STATUSES,
  MISSION_STATUSES,
  type AssertionStatus,
  type FeatureStatus,
  type HandoffStatus,
  type MilestoneStatus,
  type MissionStatus,
} from "./types";

/**
 * Reading `.maestro/` back: missions written by the reference CLI (v0.40.6) or by us. Ours carry
 * a sidecar (maestro-app.json) with what the reference's files cannot hold; where the reference
 * CLI changed a status since we wrote it, its file wins. Pure: the files come as a map of paths
 * (relative to `.maestro/`) to text.
 */

export interface ImportedHandoff {
  id: string;
  status: HandoffStatus;
  claimedBy: string | null;
  handoff: Handoff;
  createdAt: string;
  /** The mission's id in the layout (ours exactly; the reference's from its MAESTRO_REFS), the feature's key. */
  missionRefId: string | null;
  featureKey: string | null;
}

export interface ImportedMission {
  refId: string;
  plan: MissionPlan;
  status: MissionStatus;
  milestones: Record<string, { status: MilestoneStatus; sealedAt: string | null; sealedBy: string | null }>;
  features: Record<string, { status: FeatureStatus }>;
  assertions: { key: string; status: AssertionStatus; evidence: string; setBy: string | null }[];
  /** `featureKey` (ours, beyond the contract): the feature it is about, when known. */
  handoffs: {
    id: string;
    status: HandoffStatus;
    claimedBy: string | null;
    handoff: Handoff;
    createdAt: string;
    featureKey: string | null;
  }[];
  createdAt: string | null;
}

/** A file of `.maestro/` that cannot be read; `file` is relative to `.maestro/`. */
export class MissionFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`.maestro/${file}: ${reason}`);
    this.name = "MissionFileError";
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

function parseJson(files: Map<string, string>, path: string, required: boolean): unknown {
  const text = files.get(path);
  if (text === undefined) {
    if (required) throw new MissionFileError(path, "missing");
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new MissionFileError(path, `not valid JSON (${(e instanceof Error ? e.message : String(e)).split("\n")[0]})`);
  }
}

const REF_MISSION: Record<string, MissionStatus> = {
  ...Object.fromEntries(MISSION_STATUSES.map((s) => [s, s])),
  rejected: "failed",
  validating: "executing",
};
const REF_FEATURE: Record<string, FeatureStatus> = {
  pending: "pending",
  assigned: "pending",
  "in-progress": "in-progress",
  review: "review",
  done: "done",
  blocked: "blocked",
};

/** Every mission under `missions/`: one that cannot be read is skipped with the reason. */
export function readMissionFilesDetailed(files: Map<string, string>): {
  missions: ImportedMission[];
  skipped: { refId: string; reason: string }[];
} {
  const refIds = [...files.keys()]
    .map((p) => /^missions\/([^/]+)\/mission\.json$/.exec(p)?.[1])
    .filter((id): id is string => !!id && !id.startsWith("."))
    .sort();
  const handoffs = readHandoffFiles(files);
  const missions: ImportedMission[] = [];
  const skipped: { refId: string; reason: string }[] = [];
  for (const refId of refIds) {
    try {
      missions.push(readOne(files, refId, handoffs));
    } catch (e) {
      skipped.push({ refId, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { missions, skipped };
}

/** Every mission under `missions/`; a file that cannot be read throws a MissionFileError naming it. */
export function readMissionFiles(files: Map<string, string>): ImportedMission[] {
  const refIds = [...files.keys()].filter((p) => /^missions\/[^./][^/]*\/mission\.json$/.test(p));
  const handoffs = readHandoffFiles(files);
  return refIds.sort().map((p) => readOne(files, p.split("/")[1]!, handoffs));
}

function readOne(files: Map<string, string>, refId: string, allHandoffs: ImportedHandoff[]): ImportedMission {
  const dir = `missions/${refId}`;
  const missionPath = `${dir}/mission.json`;
  const mission = parseJson(files, missionPath, true);
  if (!isObj(mission)) throw new MissionFileError(missionPath, "not a mission object");
  const milestonesRaw = Array.isArray(mission.milestones) ? mission.milestones : null;
  if (!str(mission.title) || !milestonesRaw || !Array.isArray(mission.features))
    throw new MissionFileError(missionPath, "needs a title, a milestones list and a features list");
  const sidecarRaw = parseJson(files, `${dir}/maestro-app.json`, false);
  const sidecar = isObj(sidecarRaw) && sidecarRaw.refId === refId ? (sidecarRaw as unknown as MissionSidecar) : null;

  const featureFiles = strings(mission.features).map((fid) => {
    const path = `${dir}/features/${fid}.json`;
    const f = parseJson(files, path, true);
    if (!isObj(f) || !str(f.id) || !str(f.milestoneId) || !str(f.title))
      throw new MissionFileError(path, "not a feature object (id, milestoneId, title)");
    return { path, f };
  });

  const filePlan = {
    title: str(mission.title)!,
    description: str(mission.description) ?? "",
    milestones: milestonesRaw.map((m, i) => {
      if (!isObj(m) || !str(m.id)) throw new MissionFileError(missionPath, `milestones[${i}] has no id`);
      return {
        id: str(m.id)!,
        title: str(m.title) || str(m.id)!,
        description: str(m.description) ?? "",
        order: typeof m.order === "number" ? m.order : i,
        kind: m.kind === "gate" || m.kind === "validation" ? "validation" : "work",
        profile: str(m.profile),
      };
    }),
    features: featureFiles.map(({ f }) => {
      const agentType = str(f.agentType) ?? str(f.workerType);
      const steps = strings(f.verificationSteps);
      return {
        id: str(f.id)!,
        milestoneId: str(f.milestoneId)!,
        title: str(f.title)!,
        description: str(f.description) ?? "",
        workerType: agentType && agentType !== "any" ? agentType : null,
        dependsOn: strings(f.dependsOn),
        verificationSteps: steps.length === 1 && steps[0] === NO_STEPS ? [] : steps,
        fulfills: strings(f.fulfills),
      };
    }),
  };
  const sameShape =
    sidecar?.plan &&
    JSON.stringify(sidecar.plan.features.map((f) => f.id)) === JSON.stringify(filePlan.features.map((f) => f.id)) &&
    JSON.stringify(sidecar.plan.milestones.map((m) => m.id)) === JSON.stringify(filePlan.milestones.map((m) => m.id));
  const checked = parsePlan(sameShape ? sidecar.plan : filePlan);
  if (!checked.ok) throw new MissionFileError(missionPath, `not a valid plan: ${checked.errors.join(" ")}`);
  const plan: MissionPlan = checked.plan;

  const fileStatus = str(mission.status) ?? "draft";
  const status: MissionStatus =
    sidecar && sidecar.status?.written === fileStatus ? sidecar.status.ours : (REF_MISSION[fileStatus] ?? "draft");

  const features: ImportedMission["features"] = {};
  for (const { path, f } of featureFiles) {
    const written = str(f.status) ?? "pending";
    if (!(written in REF_FEATURE) && !(FEATURE_STATUSES as readonly string[]).includes(written))
      throw new MissionFileError(path, `unknown status "${written}"`);
    const ours = sidecar?.features?.[str(f.id)!];
    features[str(f.id)!] = { status: ours && ours.written === written ? ours.ours : (REF_FEATURE[written] ?? (written as FeatureStatus)) };
  }

  const assertionsPath = `${dir}/assertions.json`;
  const assertionsRaw = parseJson(files, assertionsPath, false);
  const list =
    assertionsRaw === undefined ? [] : isObj(assertionsRaw) && Array.isArray(assertionsRaw.assertions) ? assertionsRaw.assertions : null;
  if (!list) throw new MissionFileError(assertionsPath, 'not { "assertions": [...] }');
  const byKey = new Map<string, { results: AssertionStatus[]; evidence: string[] }>();
  for (const a of list) {
    if (!isObj(a)) continue;
    const key = str(a.description) ?? str(a.id);
    const result = str(a.result) as AssertionStatus | null;
    if (!key || !result || !(ASSERTION_STATUSES as readonly string[]).includes(result)) continue;
    const entry = byKey.get(key) ?? { results: [], evidence: [] };
    entry.results.push(result);
    for (const e of [str(a.evidence), result === "waived" ? str(a.waivedReason) : null])
      if (e && !entry.evidence.includes(e)) entry.evidence.push(e);
    byKey.set(key, entry);
  }
  const assertionKeys = [...new Set(plan.features.flatMap((f) => f.fulfills))];
  const assertions = assertionKeys.map((key) => {
    const entry = byKey.get(key);
    const fileStatus = entry ? combine(entry.results) : "pending";
    const ours = sidecar?.assertions?.[key];
    if (ours && ours.written === fileStatus) return { key, status: ours.ours, evidence: ours.evidence, setBy: ours.setBy };
    return { key, status: fileStatus, evidence: entry?.evidence.join("\n") ?? "", setBy: null };
  });

  const completed = strings(mission.completedMilestoneIds);
  const milestones: ImportedMission["milestones"] = {};
  const ordered = [...plan.milestones].sort((a, b) => a.order - b.order);
  let activeSeen = false;
  for (const m of ordered) {
    const ours = sidecar?.milestones?.[m.id];
    const isSealed = completed.includes(m.id);
    if (ours && (ours.status === "sealed") === isSealed) {
      milestones[m.id] = { status: ours.status, sealedAt: ours.sealedAt, sealedBy: ours.sealedBy };
      if (ours.status !== "sealed") activeSeen = true;
      continue;
    }
    if (isSealed) {
      milestones[m.id] = { status: "sealed", sealedAt: str(mission.updatedAt), sealedBy: null };
      continue;
    }
    let s: MilestoneStatus = "pending";
    if (!activeSeen) {
      activeSeen = true;
      const own = plan.features.filter((f) => f.milestoneId === m.id).map((f) => features[f.id]!.status);
      if (own.length > 0 && own.every((x) => x === "done")) s = "review";
      else if (own.some((x) => x !== "pending") || status === "executing") s = "active";
    }
    milestones[m.id] = { status: s, sealedAt: null, sealedBy: null };
  }

  const token = normalizeUkiToken(refId);
  const handoffs = allHandoffs
    .filter((h) => h.missionRefId === refId || (h.missionRefId !== null && normalizeUkiToken(h.missionRefId) === token))
    .map(({ id, status, claimedBy, handoff, createdAt, featureKey }) => ({
      id,
      status,
      claimedBy,
      handoff,
      createdAt,
      // The reference writes a feature id as a UKI token (auth-impl → auth_impl): match it back.
      featureKey:
        plan.features.find((f) => f.id === featureKey || (featureKey !== null && normalizeUkiToken(f.id) === featureKey))?.id ?? null,
    }));

  return { refId, plan, status, milestones, features, assertions, handoffs, createdAt: str(mission.createdAt) };
}

/** Several reference assertions for one `fulfills` string: the least finished one speaks for all. */
function combine(results: AssertionStatus[]): AssertionStatus {
  for (const s of ["failed", "blocked", "pending"] as const) if (results.includes(s)) return s;
  return results.includes("passed") ? "passed" : "waived";
}

/** The project's handoffs (`handoffs/<id>.json`); ones that cannot be read are skipped, as the reference skips them. */
export function readHandoffFiles(files: Map<string, string>): ImportedHandoff[] {
  const out: ImportedHandoff[] = [];
  for (const [path, text] of files) {
    const id = /^handoffs\/([^/_][^/]*)\.json$/.exec(path)?.[1];
    if (!id) continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      continue;
    }
    if (!isObj(record)) continue;
    let handoff: Handoff | null = null;
    if (isObj(record.content)) {
      const n = normalizeHandoff(record.content);
      if (n.ok) handoff = n.handoff;
    }
    if (!handoff && str(record.uki)) {
      const d = decodeUki(str(record.uki)!);
      if (d.ok) handoff = d.handoff;
    }
    if (!handoff) continue;
    const status = str(record.status) as HandoffStatus | null;
    const ours = isObj(record.maestroApp) ? record.maestroApp : null;
    out.push({
      id: str(record.id) ?? id,
      status: status && (HANDOFF_STATUSES as readonly string[]).includes(status) ? status : "pending",
      claimedBy: str(record.pickedUpBy),
      handoff,
      createdAt: str(record.timestamp) ?? new Date(0).toISOString(),
      missionRefId: ours ? str(ours.mission) : (handoff.maestroRefs.missionId ?? null),
      featureKey: ours ? str(ours.feature) : (handoff.maestroRefs.featureId ?? null),
    });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
