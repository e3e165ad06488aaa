/** The service's in-memory view of a request that waits, and how one ends. Types only. */
import type { ApprovalDecisionEvent, ApprovalTurn } from "./gate";

/** A request waiting for a person, in memory for the fast path (tap → stdin). */
export interface Live {
  id: string;
  turn: ApprovalTurn;
  requestId: string;
  toolName: string;
  kind: "tool" | "question";
  input: unknown;
  agentName: string;
  suggestedRule: string | null;
  noAlwaysAllow: boolean;
  actions: boolean;
  timer: NodeJS.Timeout | null;
}

export type Ending = { status: ApprovalDecisionEvent["status"]; kind: string; byId: string | null; by: string; message?: string };
