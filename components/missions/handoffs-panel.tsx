"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { HandoffView, MissionView } from "@/lib/missions/types";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { CopyButton } from "../ui/copy-button";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { FormError, Input, inputClass } from "../ui/field";
import { relativeTime } from "../ui/relative-time";
import { readError } from "../ui/trpc-error";
import { useNow } from "../ui/use-now";
import { HANDOFF_STATUS_LABEL } from "./mission-meta";

/** "nextAction" → "Next action". */
function fieldLabel(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
}

export function handoffSummary(h: HandoffView): string {
  const f = h.fields;
  const s = f.summary ?? f.SUMMARY ?? f.nextAction ?? f.sessionCore ?? "";
  return typeof s === "string" ? s : JSON.stringify(s);
}

function FieldValue({ value }: { value: unknown }) {
  if (Array.isArray(value)) {
    return (
      <ul className="list-disc space-y-0.5 pl-5">
        {value.map((v, i) => (
          <li key={i} className="break-words">
            {typeof v === "string" ? v : JSON.stringify(v)}
          </li>
        ))}
      </ul>
    );
  }
  return <p className="break-words whitespace-pre-wrap">{typeof value === "string" ? value : JSON.stringify(value)}</p>;
}

/** One handoff: its fields in the reference's order, the UKI string to copy, and pick up / claim / complete. */
function HandoffSheet({ handoff, onClose }: { handoff: HandoffView | null; onClose: () => void }) {
  const trpc = useTRPC();
  const [agent, setAgent] = useState("");
  const pickup = useMutation(trpc.handoffs.pickup.mutationOptions());
  const claim = useMutation(trpc.handoffs.claim.mutationOptions());
  const complete = useMutation(trpc.handoffs.complete.mutationOptions());
  const error = pickup.error ?? claim.error ?? complete.error;
  const busy = pickup.isPending || claim.isPending || complete.isPending;
  const h = handoff;
  return (
    <Dialog open={!!h} onClose={onClose} title={h ? `Handoff${h.featureKey ? ` from ${h.featureKey}` : ""}` : ""} size="lg">
      {h && (
        <>
          <DialogBody className="space-y-4 text-[15px]">
            <p className="text-sm text-muted">
              {HANDOFF_STATUS_LABEL[h.status]}
              {h.claimedBy ? ` · claimed by ${h.claimedBy}` : ""}
            </p>
            <dl className="space-y-3">
              {Object.entries(h.fields)
                .filter(([, v]) => !isEmpty(v))
                .map(([k, v]) => (
                  <div key={k}>
                    <dt className="text-xs font-semibold tracking-wide text-muted uppercase">{fieldLabel(k)}</dt>
                    <dd className="mt-0.5 text-[15px]">
                      <FieldValue value={v} />
                    </dd>
                  </div>
                ))}
            </dl>
            <section>
              <div className="mb-1 flex items-center justify-between">
                <h3 className="text-sm font-semibold">UKI v5.4 string</h3>
                <CopyButton text={h.uki} label="Copy UKI string" />
              </div>
              <pre className="max-h-32 overflow-auto rounded-lg bg-bg px-3 py-2 font-mono text-[12px] leading-5 break-all whitespace-pre-wrap">
                {h.uki}
              </pre>
            </section>
            {h.status !== "completed" && (
              <form
                className="flex items-end gap-2"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (agent.trim()) claim.mutate({ handoffId: h.id, agent: agent.trim() });
                }}
              >
                <label className="min-w-0 flex-1">
                  <span className="mb-1.5 block text-sm font-medium">Claim for</span>
                  <Input value={agent} onChange={(e) => setAgent(e.target.value)} placeholder="an agent or a person" />
                </label>
                <Button type="submit" disabled={busy || !agent.trim()}>
                  Claim
                </Button>
              </form>
            )}
            {error && <FormError hint={readError(error).hint}>{readError(error).message}</FormError>}
          </DialogBody>
          <DialogFooter>
            {h.status === "pending" && (
              <Button variant="primary" disabled={busy} onClick={() => pickup.mutate({ handoffId: h.id })}>
                Pick up
              </Button>
            )}
            {h.status === "picked-up" && (
              <Button variant="primary" disabled={busy} onClick={() => complete.mutate({ handoffId: h.id })}>
                Complete
              </Button>
            )}
          </DialogFooter>
        </>
      )}
    </Dialog>
  );
}

/** A handoff made by the reference CLI (or another Maestro), pasted as its UKI string. */
function ImportUkiDialog({ view, open, onClose }: { view: MissionView; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const [uki, setUki] = useState("");
  const run = useMutation(trpc.handoffs.importUki.mutationOptions({ onSuccess: onClose }));
  return (
    <Dialog open={open} onClose={onClose} title="Paste a handoff" description="A UKI v5.4 string, as `maestro handoff create` prints it.">
      <form
        className="flex min-h-0 flex-1 flex-col"
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate({ agentId: view.agentId, missionId: view.id, uki: uki.trim() });
        }}
      >
        <DialogBody className="space-y-2">
          <textarea
            aria-label="UKI string"
            value={uki}
            onChange={(e) => setUki(e.target.value)}
            rows={6}
            spellCheck={false}
            placeholder="MODE-…|CURRENT_STATE-…|SESSION_CORE-…"
            className={cn(inputClass, "py-2.5 font-mono text-[13px] max-sm:text-[16px]")}
          />
          {run.error && <FormError hint={readError(run.error).hint}>{readError(run.error).message}</FormError>}
        </DialogBody>
        <DialogFooter>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={!uki.trim() || run.isPending}>
            Import handoff
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

/** The mission's handoffs, newest first: one line each, the whole handoff a tap away. */
export function HandoffsPanel({ view }: { view: MissionView }) {
  const trpc = useTRPC();
  const now = useNow();
  const list = useQuery(trpc.handoffs.list.queryOptions({ missionId: view.id }));
  const [openId, setOpenId] = useState<string | null>(null);
  const [pasting, setPasting] = useState(false);
  const handoffs = list.data ?? [];
  const open = handoffs.find((h) => h.id === openId) ?? null;
  return (
    <div className="space-y-2">
      <div className="flex justify-end">
        <Button size="sm" variant="ghost" onClick={() => setPasting(true)}>
          Paste a UKI string
        </Button>
      </div>
      {list.error && <FormError>{readError(list.error).message}</FormError>}
      {list.data && handoffs.length === 0 && (
        <p className="py-6 text-center text-[15px] text-muted">No handoffs yet: each worker leaves one when its feature is done.</p>
      )}
      <ul aria-label="Handoffs" className="space-y-2">
        {handoffs.map((h) => (
          <li key={h.id}>
            <button
              type="button"
              onClick={() => setOpenId(h.id)}
              className="block w-full rounded-xl border border-border bg-surface px-3 py-2.5 text-left hover:border-muted/50 active:bg-surface-2"
            >
              <span className="flex items-center gap-2 text-sm">
                <span className="min-w-0 flex-1 truncate font-mono font-medium">{h.featureKey ?? "mission"}</span>
                <span className="shrink-0 text-xs text-muted">
                  {HANDOFF_STATUS_LABEL[h.status]} · {relativeTime(h.createdAt, now)}
                </span>
              </span>
              <span className="mt-1 line-clamp-2 block text-[14px] text-text/85">{handoffSummary(h) || "No summary."}</span>
            </button>
          </li>
        ))}
      </ul>
      <HandoffSheet handoff={open} onClose={() => setOpenId(null)} />
      <ImportUkiDialog view={view} open={pasting} onClose={() => setPasting(false)} />
    </div>
  );
}
