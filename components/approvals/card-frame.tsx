"use client";

import { useId, useState, type ReactNode } from "react";
import type { ApprovalAnswerInput } from "@/lib/schemas/approvals";
import type { ApprovalState } from "@/lib/transcript/model";
import { cn } from "../ui/cn";
import { IconWaiting } from "../ui/icons";
import { readError } from "../ui/trpc-error";
import { useApprovalActions, useQueuePosition } from "./approval-context";

/** Sends one answer with its busy and error state (shared by the tool and question cards). */
export function useAnswer(approvalId: string) {
  const actions = useApprovalActions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async (a: Omit<ApprovalAnswerInput, "approvalId">): Promise<boolean> => {
    if (!actions) return false;
    setBusy(true);
    setError(null);
    try {
      await actions.answer({ approvalId, ...a });
      return true;
    } catch (e) {
      setError(readError(e).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { actions, busy, error, send };
}

/** The frame every request card shares: the waiting tint, the title, the queue note. */
export function CardFrame({ approval, title, children }: { approval: ApprovalState; title: string; children: ReactNode }) {
  const pending = !approval.decision;
  const position = useQueuePosition(approval.approvalId);
  const headingId = useId();
  return (
    <section
      aria-labelledby={headingId}
      data-approval={approval.approvalId}
      data-state={approval.decision?.status ?? "pending"}
      className={cn("mt-2 rounded-xl border px-3.5 py-3", pending ? "border-wait/45 bg-wait/8 shadow-sm" : "border-border bg-surface")}
    >
      <h3 id={headingId} className={cn("flex items-center gap-1.5 text-[15px] font-semibold", pending ? "text-wait" : "text-muted")}>
        {pending && <IconWaiting className="size-4 shrink-0" />}
        {title}
        {pending && position > 0 && <span className="ml-auto text-xs font-medium text-muted">Next in line</span>}
      </h3>
      <div className="mt-2 space-y-3">{children}</div>
    </section>
  );
}
