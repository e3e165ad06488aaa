import { z } from "zod";
import { ASSERTION_STATUSES, FAILURE_POLICIES, FEATURE_STATUSES, FINISH_MODES, HANDOFF_STATUSES, MEMORY_KINDS } from "../missions/types";
import { idSchema } from "./common";

// Inputs of the missions router. The plan file's own schema (the reference CLI's shape, with its
// checks: unknown milestone, duplicate ids, cycles, later-milestone dependencies) is in
// lib/missions/plan.ts; here it arrives as the file's text or parsed JSON.

export const missionIdInput = z.object({ missionId: idSchema });
export const featureRefInput = z.object({ missionId: idSchema, featureKey: z.string().min(1).max(200) });
export const milestoneRefInput = z.object({ missionId: idSchema, milestoneKey: z.string().min(1).max(200) });

export const concurrencySchema = z.number().int().min(1, "At least one.").max(16, "At most 16.");

export const createMissionInput = z.object({
  /** The project agent (its folder holds the repository and `.maestro/`). */
  agentId: idSchema,
  /** The plan file's text (JSON) or its parsed value. */
  plan: z.union([
    z.string().min(1, "Paste or pick a plan file.").max(1_000_000, "A plan file is at most 1 MB."),
    z.record(z.string(), z.unknown()),
  ]),
  concurrency: concurrencySchema.optional(),
  failurePolicy: z.enum(FAILURE_POLICIES).optional(),
  finishMode: z.enum(FINISH_MODES).optional(),
  pool: z.array(idSchema).max(20, "At most 20 agents.").optional(),
});
export type CreateMissionInput = z.infer<typeof createMissionInput>;

export const updateMissionInput = z.object({
  missionId: idSchema,
  concurrency: concurrencySchema.optional(),
  failurePolicy: z.enum(FAILURE_POLICIES).optional(),
  finishMode: z.enum(FINISH_MODES).optional(),
  pool: z.array(idSchema).max(20, "At most 20 agents.").optional(),
});
export type UpdateMissionInput = z.infer<typeof updateMissionInput>;

export const listMissionsInput = z.object({ agentId: idSchema.optional() }).optional();

/** A person's own update of a feature's status (the reference's `feature update`). */
export const updateFeatureInput = featureRefInput.extend({
  status: z.enum(FEATURE_STATUSES),
  note: z.string().max(2000).optional(),
});
export type UpdateFeatureInput = z.infer<typeof updateFeatureInput>;

export const reassignFeatureInput = featureRefInput.extend({ agentId: idSchema });

export const setAssertionInput = z.object({
  missionId: idSchema,
  key: z.string().min(1).max(200),
  status: z.enum(ASSERTION_STATUSES),
  evidence: z.string().max(20_000).optional(),
  /** Who sets it (default "user"). */
  by: z.string().max(100).optional(),
});
export type SetAssertionInput = z.infer<typeof setAssertionInput>;

export const importDiskInput = z.object({
  agentId: idSchema,
  /** One mission's refId under `.maestro/missions/`, or every mission there not yet imported. */
  refId: z.string().min(1).max(200).optional(),
});

export const missionEventsInput = z.object({ missionId: idSchema.optional(), lastEventId: z.string().max(20).nullish() });
export const missionLogInput = z.object({
  missionId: idSchema,
  beforeId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).optional(),
});

export const checkpointSaveInput = z.object({ missionId: idSchema, label: z.string().max(200).optional() });
export const checkpointRestoreInput = z.object({ missionId: idSchema, checkpointId: z.string().min(1).max(100) });

/** Handoffs: the fields are checked by the codec's schema (lib/missions/handoff.ts). */
export const handoffCreateInput = z.object({
  /** The project agent (handoffs are per project) — or given through the mission. */
  agentId: idSchema.optional(),
  missionId: idSchema.optional(),
  featureKey: z.string().max(200).optional(),
  fields: z.record(z.string(), z.unknown()),
});
export const handoffListInput = z.object({
  agentId: idSchema.optional(),
  missionId: idSchema.optional(),
  status: z.enum(HANDOFF_STATUSES).optional(),
});
export const handoffIdInput = z.object({ handoffId: z.string().min(1).max(200) });
export const handoffClaimInput = handoffIdInput.extend({ agent: z.string().min(1).max(200) });
export const handoffImportInput = z.object({ agentId: idSchema, missionId: idSchema.optional(), uki: z.string().min(1).max(100_000) });

export const memoryListInput = z.object({ agentId: idSchema });
export const memoryAddInput = z.object({
  agentId: idSchema,
  kind: z.enum(MEMORY_KINDS),
  text: z.string().trim().min(1, "Write the correction or learning.").max(4000, "Keep it under 4,000 characters."),
});
export const memoryUpdateInput = z.object({ id: idSchema, text: z.string().trim().min(1).max(4000) });
export const memoryIdInput = z.object({ id: idSchema });
