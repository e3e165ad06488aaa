import type { FeatureStatus, MissionStatus } from "./types";

/** Our statuses in the reference CLI's words (v0.40.6 mission-validators.ts enums). Pure, no zod. */
export const REF_MISSION: Record<MissionStatus, string> = {
  draft: "draft",
  approved: "approved",
  executing: "executing",
  paused: "paused",
  completed: "completed",
  failed: "failed",
};
/** The reference has no failed or skipped feature; blocked is its nearest (a person must act). */
export const REF_FEATURE: Record<FeatureStatus, string> = {
  pending: "pending",
  "in-progress": "in-progress",
  review: "review",
  done: "done",
  failed: "blocked",
  blocked: "blocked",
  skipped: "blocked",
};
