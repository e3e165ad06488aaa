/**
 * Reading the approval events of a turn's stream (pure, for build.ts), and the requests still
 * waiting for a person, oldest first (for the "Waiting for you" banner and the queue).
 */
import type { ApprovalDecision, ApprovalState, Transcript, Turn } from "./model";
import { str } from "../providers/lines";

const DECISIONS: readonly string[] = ["allowed", "denied", "expired", "cancelled"];

/** An `approval` event's payload → the card's state, or null when it has no id. */
export function readApproval(d: Record<string, unknown>, at: string): ApprovalState | null {
  const approvalId = str(d.approvalId);
  if (!approvalId) return null;
  const opt = (k: string) => (str(d[k]) ? { [k]: str(d[k]) } : {});
  return {
    approvalId,
    ...opt("toolUseId"),
    toolName: str(d.toolName) || "tool",
    kind: d.kind === "question" ? "question" : "tool",
    input: d.input ?? null,
    ...opt("suggestedRule"),
    ...opt("blockedPath"),
    ...opt("reason"),
    noAlwaysAllow: d.noAlwaysAllow === true,
    expiresAt: str(d.expiresAt) ?? "",
    askedAt: at,
    decision: null,
  };
}

/** An `approval_decision` payload → its id and the decision, or null. */
export function readDecision(d: Record<string, unknown>, at: string): { approvalId: string; decision: ApprovalDecision } | null {
  const approvalId = str(d.approvalId);
  const status = str(d.status);
  if (!approvalId || !status || !DECISIONS.includes(status)) return null;
  return {
    approvalId,
    decision: {
      status: status as ApprovalDecision["status"],
      by: str(d.by) || "Maestro",
      ...(str(d.message) ? { message: str(d.message) } : {}),
      ...(str(d.rule) ? { rule: str(d.rule) } : {}),
      at,
    },
  };
}

/** Where a turn holds the request with this id: the item index, or -1. */
export function findApproval(t: Turn, approvalId: string): number {
  for (let j = t.items.length - 1; j >= 0; j--) {
    const it = t.items[j]!;
    if ((it.kind === "tool" || it.kind === "approval") && it.approval?.approvalId === approvalId) return j;
  }
  return -1;
}

export interface PendingApproval {
  turnId: string;
  approval: ApprovalState;
}

/** Requests of running turns that nobody has answered yet, oldest first. */
export function pendingApprovals(t: Transcript): PendingApproval[] {
  const out: PendingApproval[] = [];
  for (let i = t.turns.length - 1; i >= 0; i--) {
    const turn = t.turns[i]!;
    if (turn.status !== "running") {
      if (i < t.turns.length - 1) break;
      continue;
    }
    for (const it of turn.items)
      if ((it.kind === "tool" || it.kind === "approval") && it.approval && !it.approval.decision)
        out.push({ turnId: turn.id, approval: it.approval });
  }
  return out.sort((a, b) => (a.approval.askedAt < b.approval.askedAt ? -1 : a.approval.askedAt > b.approval.askedAt ? 1 : 0));
}
