import { displaySafe } from "@/lib/approvals/display";
import type { ApprovalDecision } from "@/lib/transcript/model";
import { IconCheck, IconX } from "../ui/icons";
import { cn } from "../ui/cn";

/** How a request ended, and who decided: "Denied by Pixel 8: not now". */
export function outcomeText(d: ApprovalDecision, kind: "tool" | "question"): string {
  return displaySafe(rawOutcomeText(d, kind));
}

function rawOutcomeText(d: ApprovalDecision, kind: "tool" | "question"): string {
  const why = d.message ? `: ${d.message}` : "";
  switch (d.status) {
    case "allowed":
      if (kind === "question") return `Answered by ${d.by}`;
      return d.rule ? `Always allowed by ${d.by} (${d.rule})` : `Allowed by ${d.by}`;
    case "denied":
      return `${kind === "question" ? "Dismissed" : "Denied"} by ${d.by}${why}`;
    case "expired":
      return "Nobody answered in time, so it was denied.";
    case "cancelled":
      return `No longer needed${why || ": the turn ended."}`;
  }
}

export function ApprovalOutcome({ decision, kind }: { decision: ApprovalDecision; kind: "tool" | "question" }) {
  const ok = decision.status === "allowed";
  return (
    <p
      role="status"
      className={cn(
        "flex items-start gap-1.5 text-sm [overflow-wrap:anywhere]",
        ok ? "text-ok" : decision.status === "denied" ? "text-bad" : "text-muted",
      )}
    >
      {ok ? <IconCheck className="mt-0.5 size-4 shrink-0" /> : <IconX className="mt-0.5 size-4 shrink-0" />}
      <span>{outcomeText(decision, kind)}</span>
    </p>
  );
}

/** Why a pending card has no buttons: a view share waits for the owner; elsewhere (a run page's live view) the conversation answers. */
export function NotHere({ canAnswerElsewhere }: { canAnswerElsewhere: boolean }) {
  return (
    <p className="text-sm text-muted">
      {canAnswerElsewhere ? "Answer it in the agent's conversation." : "Waiting for the owner to answer."}
    </p>
  );
}
