import type {
  CheckpointView,
  HandoffFields,
  HandoffView,
  MemoryKind,
  MemoryView,
  MissionListItem,
  MissionLogEntry,
  MissionView,
} from "../../../lib/missions/types";
import type { CreateMissionInput, SetAssertionInput, UpdateFeatureInput, UpdateMissionInput } from "../../../lib/schemas/missions";

/**
 * Missions (server/services/missions): the contract the router, the CLI and the app build on.
 * Every change is committed, then appended to the mission's log (MissionEvent) and published on
 * the bus ("missions.events" with the stored entries; "missions.changed" for lists and views),
 * then `.maestro/missions/<refId>/` is rewritten (the reference's layout; the database is the
 * live store). Bad plans and bad transitions are AppError("BAD_INPUT" | "CONFLICT") with one
 * line a person can act on.
 */
export interface MissionService {
  list(input?: { agentId?: string }): Promise<MissionListItem[]>;
  /** NOT_FOUND when gone. */
  get(missionId: string): Promise<MissionView>;
  /** Validates the plan (lib/missions/plan.ts) and stores it as a draft. */
  create(input: CreateMissionInput): Promise<{ id: string; refId: string }>;
  update(input: UpdateMissionInput): Promise<void>;
  /** Stops its workers, then deletes its rows (`.maestro/` files stay). */
  remove(missionId: string): Promise<void>;
  /** draft → approved → executing: makes the mission branch and starts ready features. */
  approve(missionId: string): Promise<void>;
  /** Stops starting features; running workers are stopped, their features back to pending. */
  pause(missionId: string, reason?: string): Promise<void>;
  resume(missionId: string): Promise<void>;

  /** A failed (or blocked by a failure) feature runs again; its dependents are unblocked. */
  retryFeature(input: { missionId: string; featureKey: string }): Promise<void>;
  /** A failed feature counts as skipped: its dependents may run, its assertions stay as they are. */
  skipFeature(input: { missionId: string; featureKey: string }): Promise<void>;
  /** Another pool agent does it (next attempt). */
  reassignFeature(input: { missionId: string; featureKey: string; agentId: string }): Promise<void>;
  /** The reference's `feature update`: a person sets the status by hand. */
  updateFeature(input: UpdateFeatureInput): Promise<void>;
  /** The worker prompt the feature runs (or ran) with (stored as `workers/<feature>/prompt.md`). */
  featurePrompt(input: { missionId: string; featureKey: string }): Promise<{ prompt: string; path: string }>;

  /** `validate update`: status with evidence and who set it; "waived" needs a reason in evidence. */
  setAssertion(input: SetAssertionInput): Promise<void>;
  /** `milestone seal`: a validation milestone in review (or a work milestone whose features are done and assertions passed or waived). */
  sealMilestone(input: { missionId: string; milestoneKey: string; by?: string }): Promise<void>;

  checkpoints(missionId: string): Promise<CheckpointView[]>;
  saveCheckpoint(input: { missionId: string; label?: string }): Promise<CheckpointView>;
  /** Refused while features run (pause first). */
  restoreCheckpoint(input: { missionId: string; checkpointId: string }): Promise<void>;

  handoffs(input: { agentId?: string; missionId?: string; status?: string }): Promise<HandoffView[]>;
  handoff(handoffId: string): Promise<HandoffView>;
  createHandoff(input: { agentId?: string; missionId?: string; featureKey?: string; fields: HandoffFields }): Promise<HandoffView>;
  /** A handoff given as a UKI v5.4 string (made by the reference CLI or by us). */
  importHandoff(input: { agentId: string; missionId?: string; uki: string }): Promise<HandoffView>;
  /** pending → picked-up. */
  pickupHandoff(handoffId: string): Promise<HandoffView>;
  claimHandoff(input: { handoffId: string; agent: string }): Promise<HandoffView>;
  completeHandoff(handoffId: string): Promise<HandoffView>;

  memory(agentId: string): Promise<MemoryView[]>;
  addMemory(input: { agentId: string; kind: MemoryKind; text: string }): Promise<MemoryView>;
  updateMemory(input: { id: string; text: string }): Promise<void>;
  removeMemory(id: string): Promise<void>;
  /** The guidance text every worker prompt of this project carries. */
  compileMemory(agentId: string): Promise<{ guidance: string }>;

  /** Imports `.maestro/missions/*` (and its handoffs and memory) written by the reference CLI or by us. */
  importDisk(input: { agentId: string; refId?: string }): Promise<{ imported: string[]; skipped: { refId: string; reason: string }[] }>;
  /** The reference's `mission-control --json`. */
  missionControl(input?: { agentId?: string }): Promise<unknown>;

  log(input: { missionId: string; beforeId?: number; limit?: number }): Promise<MissionLogEntry[]>;
  /** Stored log entries after an id, in pages (the stream's backlog); all missions when no id. */
  pagesAfter(missionId: string | undefined, afterId: number): AsyncIterable<MissionLogEntry[]>;

  /** After a bridge restart: executing missions come back paused, features cut off go back to pending. */
  recoverInterrupted(): Promise<void>;
  shutdown(): Promise<void>;
}

/** One line for a mission's log, before it is stored (its id and time are given when stored). */
export interface LogInput {
  type: string;
  text: string;
  featureKey?: string | null;
  milestoneKey?: string | null;
}

/** What a transaction of the missions service is handed (Prisma's interactive transaction client). */
export type MissionTx = Parameters<Parameters<import("../../db").Db["$transaction"]>[0]>[0];

/**
 * What the executor (the scheduler, workers, verification, merges, the finish) needs of the rest
 * of the missions service. Built by service.ts; the executor never writes a mission row any other
 * way, so every change is logged, published and written to `.maestro/` alike.
 */
export interface MissionRecorder {
  /** Runs `change` in one transaction, stores `log` in it, then publishes and schedules the disk write. */
  commit(missionId: string, change: (tx: MissionTx) => Promise<void>, log: LogInput[]): Promise<MissionLogEntry[]>;
  view(missionId: string): Promise<MissionView>;
  /** The project's compiled memory (worker guidance). */
  guidance(folder: string): Promise<string>;
  /** The handoffs stored for these features of the mission (newest first per feature). */
  handoffsOf(missionId: string, featureKeys: string[]): Promise<HandoffView[]>;
  createHandoff(input: { missionId: string; featureKey: string; fields: HandoffFields }): Promise<HandoffView>;
  /** An automatic checkpoint (before a seal). */
  checkpoint(missionId: string, label: string): Promise<void>;
  /** Writes `workers/<feature>/prompt.md`; returns its path. */
  writePrompt(missionId: string, featureKey: string, prompt: string): Promise<string>;
  /** Web Push (kind "mission", tag per mission): feature failed, milestone needs review, mission done. */
  notify(missionId: string, title: string, body: string): Promise<void>;
}

/** Runs approved missions: ready features in parallel in their own worktrees, verification, merges, seals, the finish. */
export interface MissionExecutor {
  /** approved → executing: makes the mission branch and its worktree agent, then kicks. */
  start(missionId: string): Promise<void>;
  /** Starts what is ready (up to the concurrency), seals what may seal, finishes a mission whose milestones are all sealed. Serialized per mission; never throws (failures are logged on the mission). */
  kick(missionId: string): void;
  /** Stops the mission's running workers; their features go back to pending. */
  stop(missionId: string, why: "pause" | "remove" | "shutdown"): Promise<void>;
  /** Feature keys with a worker running now. */
  running(missionId: string): string[];
  /** Resolves once the mission's scheduler step in flight (and those queued before this call) are over. */
  idle(missionId: string): Promise<void>;
  /** After a restart: executing missions → paused, cut-off features → pending (a branch already merged → done). */
  recover(): Promise<void>;
  shutdown(): Promise<void>;
}
