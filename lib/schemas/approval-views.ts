import { z } from "zod";

/**
 * What the approvals procedures hand out, named field by field: `approvals.pending` is open to
 * share links, so a column added to Approval later stays on the bridge until it is named here.
 */
export const pendingApprovalView = z.object({
  id: z.string(),
  turnId: z.string(),
  tabId: z.string(),
  agentId: z.string(),
  agentName: z.string(),
  runId: z.string().nullable(),
  toolUseId: z.string().nullable(),
  toolName: z.string(),
  kind: z.enum(["tool", "question"]),
  input: z.unknown(),
  suggestedRule: z.string().nullable(),
  blockedPath: z.string().nullable(),
  reason: z.string().nullable(),
  noAlwaysAllow: z.boolean(),
  actions: z.boolean(),
  createdAt: z.date(),
  expiresAt: z.date(),
});
export const pendingApprovalsOutput = z.array(pendingApprovalView);

/** The answer as the caller sees it: which request, and how it ended. */
export const approvalAnswerOutput = z.object({ approvalId: z.string(), status: z.enum(["allowed", "denied"]) });
