"use client";

import { createContext, use } from "react";
import type { ApprovalAnswerInput } from "@/lib/schemas/approvals";

/** What the approval cards of one conversation may do: answer (owner, control link) or only watch. */
export interface ApprovalActions {
  /** Sends the answer; rejects with the server's error (already answered, not allowed…). */
  answer: (input: ApprovalAnswerInput) => Promise<void>;
  /** False for a view-only share: the cards show the request and wait for someone else. */
  canAnswer: boolean;
  /** "Always allow" stores a rule for the agent: the owner's alone (a link may allow once). */
  canKeepRules?: boolean;
  /** The agent's CLI as the cards name it ("Claude"). */
  who: string;
  /** The agent's folder: paths inside it are shown relative to it. */
  folder?: string;
}

export const ApprovalActionsContext = createContext<ApprovalActions | null>(null);

export function useApprovalActions(): ApprovalActions | null {
  return use(ApprovalActionsContext);
}

/** The ids of the requests still waiting, oldest first: only the first takes an answer. */
export const ApprovalQueueContext = createContext<readonly string[]>([]);

export function useQueuePosition(approvalId: string): number {
  return use(ApprovalQueueContext).indexOf(approvalId);
}
