"use client";

import { useMemo } from "react";
import { renderRequest } from "@/lib/approvals/render";
import type { PendingApproval } from "@/lib/transcript/approvals";
import { Button } from "../ui/button";
import { IconWaiting } from "../ui/icons";

/** Brings the card into view (it may be far up, or not rendered yet by the virtual list). */
function showCard(approvalId: string) {
  const card = document.querySelector(`[data-approval="${CSS.escape(approvalId)}"]`);
  if (card) return card.scrollIntoView({ block: "start" });
  const list = document.querySelector('[aria-label="Conversation"]');
  list?.scrollTo({ top: list.scrollHeight });
}

/** Sticky over the conversation while a request waits: what it is, how many, and a way to it. */
export function WaitingBanner({ pending, who }: { pending: readonly PendingApproval[]; who: string }) {
  const first = pending[0];
  const summary = useMemo(() => (first ? renderRequest(first.approval.toolName, first.approval.input, who).summary : ""), [first, who]);
  if (!first) return null;
  const more = pending.length - 1;
  return (
    <div role="status" className="flex shrink-0 items-center gap-2.5 border-b border-wait/30 bg-wait/10 px-4 py-1.5 text-[15px] sm:px-6">
      <IconWaiting className="size-5 shrink-0 text-wait" />
      <p className="min-w-0 flex-1">
        <span className="font-semibold text-wait">Waiting for you</span>
        <span className="block truncate text-sm text-muted sm:ml-2 sm:inline">
          {summary}
          {more > 0 && ` · ${more} more after it`}
        </span>
      </p>
      <Button variant="secondary" size="sm" onClick={() => showCard(first.approval.approvalId)}>
        Show
      </Button>
    </div>
  );
}
