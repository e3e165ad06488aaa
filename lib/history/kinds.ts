/** The kinds of History entries, in the order the filter shows them. */
export const HISTORY_KINDS = [
  "turn",
  "autorun-task",
  "autorun-loop",
  "autorun-run",
  "git-pr",
  "share-use",
  "approval",
  "groupchat-delegation",
  "groupchat-response",
  "groupchat-synthesis",
  "mission",
  "mission-feature",
] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

export const KIND_LABELS: Record<HistoryKind, string> = {
  turn: "Turns",
  "autorun-task": "Auto Run tasks",
  "autorun-loop": "Auto Run loops",
  "autorun-run": "Auto Run runs",
  "git-pr": "Pull requests",
  "share-use": "Share links",
  approval: "Approvals",
  "groupchat-delegation": "Group chat delegations",
  "groupchat-response": "Group chat answers",
  "groupchat-synthesis": "Group chat syntheses",
  mission: "Missions",
  "mission-feature": "Mission features",
};

/** One entry's kind as a noun ("Turn", "Auto Run task"). */
export const KIND_NOUNS: Record<HistoryKind, string> = {
  turn: "Turn",
  "autorun-task": "Auto Run task",
  "autorun-loop": "Auto Run loop",
  "autorun-run": "Auto Run run",
  "git-pr": "Pull request",
  "share-use": "Share link used",
  approval: "Approval",
  "groupchat-delegation": "Group chat delegation",
  "groupchat-response": "Group chat answer",
  "groupchat-synthesis": "Group chat synthesis",
  mission: "Mission",
  "mission-feature": "Mission feature",
};

export function isHistoryKind(kind: string): kind is HistoryKind {
  return (HISTORY_KINDS as readonly string[]).includes(kind);
}
