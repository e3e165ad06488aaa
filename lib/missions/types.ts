/**
 * Missions: the words and views the bridge, the app and the CLI share. The model is the
 * reference CLI's (ReinaMacCredy/maestro v0.40.6: missions of milestones and features, assertions,
 * handoffs, memory, checkpoints); the execution across agents is ours.
 */

export const MISSION_STATUSES = ["draft", "approved", "executing", "paused", "completed", "failed"] as const;
export type MissionStatus = (typeof MISSION_STATUSES)[number];

/** `review`: a validation milestone whose features are done, waiting for a person (or a validator) to seal it. */
export const MILESTONE_STATUSES = ["pending", "active", "review", "sealed"] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

export const MILESTONE_KINDS = ["work", "validation"] as const;
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];

/** `skipped` is ours: a person skipped a failed feature (its dependents may run). */
export const FEATURE_STATUSES = ["pending", "in-progress", "review", "done", "failed", "blocked", "skipped"] as const;
export type FeatureStatus = (typeof FEATURE_STATUSES)[number];

/**
 * The statuses only a running worker holds (it works, then its work is verified and merged). Where
 * no worker of ours runs the feature (a restored checkpoint, an import, a person's own change) it
 * is pending instead: the mission starts it again rather than wait on it forever.
 */
export const WORKER_HELD_STATUSES: readonly string[] = ["in-progress", "review"] satisfies FeatureStatus[];

export const ASSERTION_STATUSES = ["pending", "passed", "failed", "blocked", "waived"] as const;
export type AssertionStatus = (typeof ASSERTION_STATUSES)[number];

export const HANDOFF_STATUSES = ["pending", "picked-up", "completed"] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

export const MEMORY_KINDS = ["correction", "learning"] as const;
export type MemoryKind = (typeof MEMORY_KINDS)[number];

export const FAILURE_POLICIES = ["continue", "stop"] as const;
export type FailurePolicy = (typeof FAILURE_POLICIES)[number];

export const FINISH_MODES = ["pr", "merge", "none"] as const;
export type FinishMode = (typeof FINISH_MODES)[number];

export const DEFAULT_CONCURRENCY = 3;

export interface MilestoneView {
  id: string;
  key: string;
  title: string;
  description: string;
  order: number;
  kind: MilestoneKind;
  profile: string | null;
  status: MilestoneStatus;
  sealedAt: string | null;
  sealedBy: string | null;
}

export interface FeatureView {
  id: string;
  key: string;
  milestoneKey: string;
  title: string;
  description: string;
  workerType: string | null;
  dependsOn: string[];
  verificationSteps: string[];
  fulfills: string[];
  status: FeatureStatus;
  statusDetail: string;
  /** The pool agent doing it, its worktree agent (whose tab holds the worker's live stream), branch, tab and last turn. */
  agentId: string | null;
  agentName: string | null;
  worktreeAgentId: string | null;
  branch: string | null;
  tabId: string | null;
  turnId: string | null;
  attempts: number;
  mergedSha: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMs: number;
  startedAt: string | null;
  endedAt: string | null;
}

export interface AssertionView {
  key: string;
  status: AssertionStatus;
  evidence: string;
  setBy: string | null;
  /** The features whose `fulfills` name it. */
  features: string[];
  updatedAt: string;
}

/**
 * A handoff's fields, named as the reference CLI names them (lib/missions/handoff.ts holds the
 * full shape and the UKI v5.4 codec); lists are arrays, empty ones empty.
 */
export type HandoffFields = Record<string, unknown>;

export interface HandoffView {
  id: string;
  missionId: string | null;
  featureKey: string | null;
  status: HandoffStatus;
  claimedBy: string | null;
  fields: HandoffFields;
  /** The UKI v5.4 transfer string of these fields. */
  uki: string;
  createdAt: string;
  pickedUpAt: string | null;
  completedAt: string | null;
}

export interface MemoryView {
  id: string;
  kind: MemoryKind;
  text: string;
  createdAt: string;
  updatedAt: string;
}

export interface CheckpointView {
  id: string;
  label: string;
  reason: "auto" | "manual";
  createdAt: string;
}

export interface MissionTotals {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMs: number;
}

export interface MissionListItem {
  id: string;
  refId: string;
  agentId: string;
  agentName: string;
  title: string;
  status: MissionStatus;
  statusDetail: string;
  /** Features by status, for the list's progress bar. */
  counts: Record<FeatureStatus, number>;
  totals: MissionTotals;
  updatedAt: string;
}

export interface MissionView {
  id: string;
  refId: string;
  agentId: string;
  agentName: string;
  /** The project folder (holds `.maestro/`). */
  folder: string;
  title: string;
  description: string;
  status: MissionStatus;
  statusDetail: string;
  concurrency: number;
  failurePolicy: FailurePolicy;
  finishMode: FinishMode;
  /** Agent ids workers are chosen from; empty = the project agent. */
  pool: string[];
  baseBranch: string | null;
  branch: string | null;
  missionAgentId: string | null;
  prUrl: string | null;
  prVia: string | null;
  finishWarning: string | null;
  milestones: MilestoneView[];
  features: FeatureView[];
  assertions: AssertionView[];
  totals: MissionTotals;
  createdAt: string;
  updatedAt: string;
  approvedAt: string | null;
  completedAt: string | null;
  /** The newest stored event id: `onEvent` from here misses nothing. */
  lastEventId: number;
}

/** One line of a mission's activity log (also its live stream). */
export interface MissionLogEntry {
  id: number;
  missionId: string;
  /** e.g. mission-approved, feature-started, feature-review, verification, feature-done, feature-failed, merged, milestone-review, milestone-sealed, checkpoint, mission-paused, mission-completed */
  type: string;
  /** One line a person reads. */
  text: string;
  featureKey: string | null;
  milestoneKey: string | null;
  createdAt: string;
}
