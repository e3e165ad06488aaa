"use client";

import { useMemo } from "react";
import type { ApprovalAnswerInput } from "@/lib/schemas/approvals";
import { useTRPCClient } from "@/lib/trpc/client";
import type { ApprovalActions } from "./approval-context";

/** The cards' actions for one conversation: answers go through approvals.answer. */
export function useConversationApprovals(access: "owner" | "view" | "control", providerLabel: string, folder: string): ApprovalActions {
  const client = useTRPCClient();
  return useMemo(
    () => ({
      answer: async (input: ApprovalAnswerInput) => {
        await client.approvals.answer.mutate(input);
      },
      canAnswer: access !== "view",
      who: providerLabel.replace(/\s+Code$/i, "") || "The agent",
      folder,
    }),
    [client, access, providerLabel, folder],
  );
}
