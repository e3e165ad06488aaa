"use client";

import { useId, useMemo, useState } from "react";
import { displaySafe } from "@/lib/approvals/display";
import { renderRequest } from "@/lib/approvals/render";
import type { ApprovalState } from "@/lib/transcript/model";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { FormError, inputClass } from "../ui/field";
import { useQueuePosition } from "./approval-context";
import { CardFrame, useAnswer } from "./card-frame";
import { ApprovalOutcome, NotHere } from "./outcome";
import { QuestionCard } from "./question-card";
import { defaultRule, RuleSheet } from "./rule-sheet";
import { ToolInputView } from "./tool-input-view";

/** A tool call waiting for permission: what it will do, and Allow once / Always allow… / Deny. */
export function ApprovalCard({ approval }: { approval: ApprovalState }) {
  const { actions, busy, error, send } = useAnswer(approval.approvalId);
  const who = actions?.who ?? "Claude";
  const view = useMemo(() => renderRequest(approval.toolName, approval.input, who), [approval.toolName, approval.input, who]);
  const position = useQueuePosition(approval.approvalId);
  const [denying, setDenying] = useState(false);
  const [reason, setReason] = useState("");
  const [always, setAlways] = useState(false);
  const reasonId = useId();

  if (approval.kind === "question" || view.kind === "question") return <QuestionCard approval={approval} />;
  const pending = !approval.decision;
  const canAnswer = pending && !!actions?.canAnswer;
  const blocked = position > 0;

  return (
    <CardFrame approval={approval} title={pending ? `${view.title}:` : view.title}>
      <ToolInputView view={view} blockedPath={approval.blockedPath && displaySafe(approval.blockedPath)} folder={actions?.folder} />
      {approval.reason && pending && <p className="text-sm [overflow-wrap:anywhere] text-muted">{displaySafe(approval.reason)}</p>}
      {approval.decision && <ApprovalOutcome decision={approval.decision} kind="tool" />}
      {pending && !actions?.canAnswer && <NotHere canAnswerElsewhere={!actions} />}
      {canAnswer && blocked && <p className="text-sm text-muted">Answer the request above first; this one comes next.</p>}
      {canAnswer && !blocked && !denying && (
        <div className="flex flex-wrap gap-2">
          <Button variant="primary" disabled={busy} onClick={() => void send({ decision: "allow" })}>
            Allow once
          </Button>
          {!approval.noAlwaysAllow && actions?.canKeepRules && (
            <Button variant="secondary" disabled={busy} onClick={() => setAlways(true)}>
              Always allow…
            </Button>
          )}
          <Button variant="danger-ghost" disabled={busy} onClick={() => setDenying(true)}>
            Deny
          </Button>
        </div>
      )}
      {canAnswer && !blocked && denying && (
        <form
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            void send({ decision: "deny", ...(reason.trim() ? { message: reason.trim() } : {}) });
          }}
        >
          <label htmlFor={reasonId} className="block text-sm font-medium">
            Reason <span className="font-normal text-muted">(optional; {who} reads it)</span>
          </label>
          <textarea
            id={reasonId}
            autoFocus
            rows={2}
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="Not now — use the staging folder instead."
            className={cn(inputClass, "py-2.5")}
          />
          <div className="flex flex-wrap gap-2">
            <Button variant="danger" type="submit" disabled={busy}>
              {busy ? "Denying…" : "Deny"}
            </Button>
            <Button variant="ghost" disabled={busy} onClick={() => setDenying(false)}>
              Back
            </Button>
          </div>
        </form>
      )}
      {busy && !denying && <p className="text-sm text-muted">Sending…</p>}
      {error && !always && <FormError>{error}</FormError>}
      {always && (
        <RuleSheet
          open
          onClose={() => setAlways(false)}
          initial={defaultRule(approval.toolName, approval.input, approval.suggestedRule)}
          busy={busy}
          error={error}
          onSave={(rule) => void send({ decision: "always", rule }).then((ok) => ok && setAlways(false))}
        />
      )}
    </CardFrame>
  );
}
