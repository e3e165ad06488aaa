"use client";

import { useMemo } from "react";
import type { ApprovalAnswerInput } from "@/lib/schemas/approvals";
import { useTRPCClient } from "@/lib/trpc/client";
import { useSharedAccess } from "../share/shared-shell";
import type { ApprovalActions } from "./approval-context";

/**
 * The cards' actions for one conversation: answers go through approvals.answer. A control link
 * answers only when it was given the approve right; without it the bridge refuses, so the card
 * must not offer buttons that cannot work.
 */
export function useConversationApprovals(access: "owner" | "view" | "control", providerLabel: string, folder: string): ApprovalActions {
  const client = useTRPCClient();
  const shared = useSharedAccess();
  const canAnswer = access === "owner" || (access === "control" && shared?.kind === "share" && shared.canApprove);
  return useMemo(
    () => ({
      answer: async (input: ApprovalAnswerInput) => {
        await client.approvals.answer.mutate(input);
      },
      canAnswer,
      canKeepRules: access === "owner",
      who: providerLabel.replace(/\s+Code$/i, "") || "The agent",
      folder,
    }),
    [client, canAnswer, access, providerLabel, folder],
  );
}
