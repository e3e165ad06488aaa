"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { AssertionStatus, AssertionView, MissionView } from "@/lib/missions/types";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { FormError, inputClass } from "../ui/field";
import { relativeTime } from "../ui/relative-time";
import { readError } from "../ui/trpc-error";
import { useNow } from "../ui/use-now";
import { ASSERTION_STATUS_LABEL, ASSERTION_STATUS_PILL } from "./mission-meta";

const VERB: Partial<Record<AssertionStatus, string>> = { passed: "Mark passed", failed: "Mark failed", waived: "Waive" };

/** The evidence a person gives with a verdict; a waiver needs its reason. */
function SetAssertionDialog({
  missionId,
  target,
  onClose,
}: {
  missionId: string;
  target: { key: string; status: AssertionStatus } | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const [evidence, setEvidence] = useState("");
  const set = useMutation(trpc.missions.setAssertion.mutationOptions({ onSuccess: onClose }));
  useEffect(() => {
    if (!target) return;
    setEvidence("");
    set.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a fresh form for each assertion; `set` is a new object every render
  }, [target?.key, target?.status]);
  const waive = target?.status === "waived";
  const err = set.error ? readError(set.error) : null;
  return (
    <Dialog open={!!target} onClose={onClose} title={target ? `${VERB[target.status]}: ${target.key}` : ""} size="sm">
      <form
        className="flex min-h-0 flex-1 flex-col"
        onSubmit={(e) => {
          e.preventDefault();
          if (target) set.mutate({ missionId, key: target.key, status: target.status, evidence: evidence.trim() || undefined });
        }}
      >
        <DialogBody className="space-y-2">
          <label htmlFor="assertion-evidence" className="text-sm font-medium">
            {waive ? "Why it is waived" : "Evidence"}
            {!waive && <span className="ml-2 text-xs font-normal text-muted">optional</span>}
          </label>
          <textarea
            id="assertion-evidence"
            data-autofocus
            value={evidence}
            onChange={(e) => setEvidence(e.target.value)}
            rows={4}
            required={waive}
            placeholder={waive ? "Covered by the manual QA of 12 Dec" : "What you checked, and how"}
            className={cn(inputClass, "py-2.5")}
          />
          {err && <FormError hint={err.hint}>{err.message}</FormError>}
        </DialogBody>
        <DialogFooter>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            variant={target?.status === "failed" ? "danger" : "primary"}
            disabled={set.isPending || (waive && !evidence.trim())}
          >
            {target ? VERB[target.status] : ""}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

function AssertionRow({ a, now, onSet }: { a: AssertionView; now: number; onSet: (status: AssertionStatus) => void }) {
  return (
    <li data-assertion={a.key} data-status={a.status} className="rounded-xl border border-border bg-surface p-3">
      <div className="flex items-start gap-2">
        <span className="min-w-0 flex-1 font-mono text-[14px] font-medium break-all">{a.key}</span>
        <span className={cn("shrink-0 rounded-full px-2 text-xs leading-5 font-semibold", ASSERTION_STATUS_PILL[a.status])}>
          {ASSERTION_STATUS_LABEL[a.status]}
        </span>
      </div>
      <p className="mt-1 text-xs text-muted">
        {a.features.length > 0 && <>From {a.features.join(", ")} · </>}
        {a.setBy ? `set by ${a.setBy}` : "not set yet"} · {relativeTime(a.updatedAt, now)}
      </p>
      {a.evidence && (
        <pre className="mt-2 max-h-40 overflow-auto rounded-lg bg-bg px-3 py-2 font-mono text-[12.5px] leading-5 whitespace-pre-wrap">
          {a.evidence}
        </pre>
      )}
      <div className="mt-2 flex flex-wrap gap-1.5">
        {a.status !== "passed" && (
          <Button size="sm" onClick={() => onSet("passed")}>
            Mark passed
          </Button>
        )}
        {a.status !== "failed" && (
          <Button size="sm" variant="ghost" onClick={() => onSet("failed")}>
            Mark failed
          </Button>
        )}
        {a.status !== "waived" && (
          <Button size="sm" variant="ghost" onClick={() => onSet("waived")}>
            Waive
          </Button>
        )}
      </div>
    </li>
  );
}

/** Every assertion with its status, evidence and who set it; a person's verdict is one tap and a line of evidence. */
export function AssertionsPanel({ view }: { view: MissionView }) {
  const now = useNow();
  const [target, setTarget] = useState<{ key: string; status: AssertionStatus } | null>(null);
  const settled = view.assertions.filter((a) => a.status === "passed" || a.status === "waived").length;
  if (view.assertions.length === 0) {
    return <p className="py-6 text-center text-[15px] text-muted">This plan names no assertions (features&apos; “fulfills”).</p>;
  }
  return (
    <div>
      <p className="mb-2 text-sm text-muted">
        {settled} of {view.assertions.length} passed or waived
      </p>
      <ul aria-label="Assertions" className="space-y-2">
        {view.assertions.map((a) => (
          <AssertionRow key={a.key} a={a} now={now} onSet={(status) => setTarget({ key: a.key, status })} />
        ))}
      </ul>
      <SetAssertionDialog missionId={view.id} target={target} onClose={() => setTarget(null)} />
    </div>
  );
}
