import type { AssertionStatus, FeatureStatus, HandoffStatus, MilestoneStatus, MissionStatus } from "@/lib/missions/types";

/** Mission, milestone, feature and assertion statuses: a word and a colour each (the word always shows). */

export const MISSION_STATUS_LABEL: Record<MissionStatus, string> = {
  draft: "Draft",
  approved: "Approved",
  executing: "Running",
  paused: "Paused",
  completed: "Completed",
  failed: "Failed",
};

export const MISSION_STATUS_PILL: Record<MissionStatus, string> = {
  draft: "bg-surface-2 text-text",
  approved: "bg-accent/12 text-accent",
  executing: "bg-busy/14 text-busy",
  paused: "bg-wait/14 text-wait",
  completed: "bg-ok/14 text-ok",
  failed: "bg-bad/12 text-bad",
};

export const MILESTONE_STATUS_LABEL: Record<MilestoneStatus, string> = {
  pending: "Waiting",
  active: "Active",
  review: "Needs your review",
  sealed: "Sealed",
};

export const FEATURE_STATUS_LABEL: Record<FeatureStatus, string> = {
  pending: "Pending",
  "in-progress": "Running",
  review: "Verifying",
  done: "Done",
  failed: "Failed",
  blocked: "Blocked",
  skipped: "Skipped",
};

/** Board and legend order: what needs a person first, then what runs, then the rest. */
export const FEATURE_ORDER: readonly FeatureStatus[] = ["failed", "in-progress", "review", "blocked", "pending", "done", "skipped"];

/** Pill classes per feature status. */
export const FEATURE_STATUS_PILL: Record<FeatureStatus, string> = {
  pending: "bg-surface-2 text-muted",
  "in-progress": "bg-busy/14 text-busy",
  review: "bg-wait/14 text-wait",
  done: "bg-ok/14 text-ok",
  failed: "bg-bad/12 text-bad",
  blocked: "bg-bad/8 text-bad",
  skipped: "bg-surface-2 text-muted",
};

/** The bar and graph fill per feature status (CSS colours, so SVG can use them). */
export const FEATURE_STATUS_COLOR: Record<FeatureStatus, string> = {
  pending: "var(--color-border)",
  "in-progress": "var(--color-busy)",
  review: "var(--color-wait)",
  done: "var(--color-ok)",
  failed: "var(--color-bad)",
  blocked: "color-mix(in srgb, var(--color-bad) 45%, var(--color-border))",
  skipped: "var(--color-muted)",
};

export const ASSERTION_STATUS_LABEL: Record<AssertionStatus, string> = {
  pending: "Pending",
  passed: "Passed",
  failed: "Failed",
  blocked: "Blocked",
  waived: "Waived",
};

export const ASSERTION_STATUS_PILL: Record<AssertionStatus, string> = {
  pending: "bg-surface-2 text-muted",
  passed: "bg-ok/14 text-ok",
  failed: "bg-bad/12 text-bad",
  blocked: "bg-bad/8 text-bad",
  waived: "bg-wait/14 text-wait",
};

export const HANDOFF_STATUS_LABEL: Record<HandoffStatus, string> = {
  pending: "Pending",
  "picked-up": "Picked up",
  completed: "Completed",
};

/** A mission that may be paused (it runs or is about to). */
export function isActive(status: MissionStatus): boolean {
  return status === "executing" || status === "approved";
}
