"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import Link from "next/link";
import { renderRequest } from "@/lib/approvals/render";
import { useTRPC } from "@/lib/trpc/client";
import { buttonClass } from "../ui/button";
import { IconWaiting } from "../ui/icons";

type RunLike = { id: string; agentId: string; status: string; currentTurnId: string | null };

/**
 * The request the run's current task waits on, if any (its turn asked a person). Derived from
 * approvals.pending; the run itself stays "running" (the stall counter does not move meanwhile).
 */
export function useRunApproval(run: RunLike) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const live = run.status === "running" || run.status === "stopping";
  const pending = useQuery(trpc.approvals.pending.queryOptions({ agentId: run.agentId }, { enabled: live, retry: false }));
  useSubscription(
    trpc.approvals.onChanged.subscriptionOptions(undefined, {
      enabled: live,
      onData: (e) => {
        // The stream's first event is its "listening" mark (no agent): re-read then too, so a
        // request opened before the subscription attached is not missed.
        if (e.agentId === null || e.agentId === run.agentId) void queryClient.invalidateQueries(trpc.approvals.pending.pathFilter());
      },
    }),
  );
  if (!live) return null;
  return pending.data?.find((p) => p.runId === run.id || (run.currentTurnId !== null && p.turnId === run.currentTurnId)) ?? null;
}

/** "Waiting for you" under the run's progress, with the way to the card (the owner's). */
export function RunApprovalNote({
  approval,
  owner,
}: {
  approval: { agentId: string; tabId: string; turnId: string; toolName: string; input: unknown };
  owner: boolean;
}) {
  const summary = renderRequest(approval.toolName, approval.input).summary;
  return (
    <div role="status" data-testid="run-approval" className="mt-3 flex items-center gap-2.5 rounded-xl bg-wait/10 px-3 py-2 text-[15px]">
      <IconWaiting className="size-5 shrink-0 text-wait" />
      <p className="min-w-0 flex-1">
        <span className="font-semibold text-wait">Waiting for you:</span> <span className="[overflow-wrap:anywhere]">{summary}</span>
      </p>
      {owner && (
        <Link
          href={`/agents/${encodeURIComponent(approval.agentId)}?tab=${encodeURIComponent(approval.tabId)}&turn=${encodeURIComponent(approval.turnId)}`}
          className={buttonClass("secondary", "sm")}
        >
          Answer
        </Link>
      )}
    </div>
  );
}
