"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { runProgress } from "@/lib/autorun/run-view";
import { formatCost, formatElapsed, formatTokens } from "@/lib/transcript/format";
import { useTRPC } from "@/lib/trpc/client";
import { useToast } from "../ui/toaster";
import { readError } from "../ui/trpc-error";
import type { RouterOutputs } from "../ui/trpc-types";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { useNow } from "../ui/use-now";
import { RunApprovalNote, useRunApproval } from "./run-approval";
import { IconPause, IconPlay, IconSkip, IconStop } from "./run-icons";
import { WaitingCard } from "./waiting-card";

export type RunDetail = RouterOutputs["autorun"]["byId"];
/** Which controls show: the owner's all; a control link's Pause / Resume / Stop; a view link's none. */
export type RunControlSet = "all" | "shared" | "none";

const TONE: Record<string, string> = {
  running: "bg-accent/15 text-accent",
  stopping: "bg-wait/15 text-wait",
  paused: "bg-wait/15 text-wait",
  done: "bg-ok/15 text-ok",
  aborted: "bg-surface-2 text-muted",
  halted: "bg-bad/15 text-bad",
  error: "bg-bad/15 text-bad",
};

/** A run's live progress: document and task counters, a bar, elapsed, tokens, cost, loop, and its controls. */
export function RunProgress({ detail, controls = "all" }: { detail: RunDetail; controls?: RunControlSet }) {
  const { run, documents } = detail;
  const live = run.status === "running" || run.status === "stopping";
  const now = useNow(live ? 1000 : 60_000);
  const p = runProgress({ ...run, maxLoops: run.config.maxLoops, loopEnabled: run.config.loopEnabled }, documents, now);
  const pct = Math.round(p.fraction * 100);
  const waiting = run.pauseKind === "review" ? (documents[run.docIndex]?.waitingOn ?? null) : null;
  const asking = useRunApproval(run);
  return (
    <section aria-label="Run progress" className="rounded-2xl border border-border bg-surface p-4">
      <div className="flex items-center gap-2">
        <span
          data-testid="run-status"
          className={cn("rounded-full px-2.5 py-0.5 text-sm font-medium", asking ? "bg-wait/15 text-wait" : TONE[run.status])}
        >
          {asking ? "Waiting for you" : p.statusLabel}
        </span>
        {run.pendingAction === "pause" && <span className="text-sm text-muted">Pausing after this task</span>}
        {p.loopLabel && (
          <span className="ml-auto text-sm text-muted" data-testid="run-loop">
            {p.loopLabel}
          </span>
        )}
      </div>
      <div className="mt-3 flex items-baseline justify-between gap-3">
        <p className="text-[17px] font-semibold" data-testid="run-document">
          {p.documentLabel}
          <span className="ml-2 font-normal text-muted">{p.documentName}</span>
        </p>
        <p className="shrink-0 text-[15px] font-medium" data-testid="run-task">
          {p.taskLabel}
        </p>
      </div>
      <div
        role="progressbar"
        aria-label="Tasks done"
        aria-valuemin={0}
        aria-valuemax={p.total}
        aria-valuenow={p.done}
        aria-valuetext={`${p.done} of ${p.total} tasks done`}
        className="mt-2 h-2.5 overflow-hidden rounded-full bg-surface-2"
      >
        <div
          className="h-full rounded-full bg-accent transition-[width] duration-300 motion-reduce:transition-none"
          style={{ width: `${pct}%` }}
        />
      </div>
      <p className="mt-1.5 text-sm text-muted" data-testid="run-done-count">
        {p.done} of {p.total} tasks done
      </p>
      {run.currentTask && live && (
        <p className="mt-2 truncate text-[15px]" data-testid="run-current-task">
          <span className="text-muted">Now: </span>
          {run.currentTask}
        </p>
      )}
      {asking && <RunApprovalNote approval={asking} owner={controls === "all"} />}
      {run.status === "paused" && waiting && <WaitingCard detail={detail} waiting={waiting} owner={controls === "all"} />}
      {run.status === "paused" && run.pauseReason && !waiting && (
        <p role="status" className="mt-3 rounded-xl bg-wait/10 px-3 py-2 text-[15px]" data-testid="run-pause-reason">
          {run.pauseReason}
        </p>
      )}
      {run.endReason && !["running", "paused", "stopping"].includes(run.status) && (
        <p className="mt-3 text-[15px] text-muted" data-testid="run-end-reason">
          {run.endReason}
        </p>
      )}
      <dl className="mt-3 grid grid-cols-3 gap-2 text-center">
        <Stat label="Elapsed" value={formatElapsed(p.elapsedMs)} />
        <Stat label="Tokens" value={formatTokens(run.inputTokens + run.outputTokens)} />
        <Stat label="Cost" value={formatCost(run.costUsd)} />
      </dl>
      {controls !== "none" && <RunControls detail={detail} shared={controls === "shared"} />}
    </section>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-xl bg-bg px-2 py-2">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="mt-0.5 text-[15px] font-semibold tabular-nums" data-testid={`run-${label.toLowerCase()}`}>
        {value}
      </dd>
    </div>
  );
}

/** Pause / Stop while running; Resume / Skip document / Abort while paused (Skip and Abort: the owner's only). */
export function RunControls({ detail, shared = false }: { detail: RunDetail; shared?: boolean }) {
  const { run } = detail;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [confirmAbort, setConfirmAbort] = useState(false);
  const opts = {
    onSuccess: () => void queryClient.invalidateQueries(trpc.autorun.pathFilter()),
    onError: (err: unknown) => toast(readError(err).message, "bad"),
  };
  const pause = useMutation(trpc.autorun.pause.mutationOptions(opts));
  const stop = useMutation(trpc.autorun.stop.mutationOptions(opts));
  const resume = useMutation(trpc.autorun.resume.mutationOptions(opts));
  const skip = useMutation(trpc.autorun.skipDocument.mutationOptions(opts));
  const abort = useMutation(trpc.autorun.abort.mutationOptions({ ...opts, onSettled: () => setConfirmAbort(false) }));
  const id = { id: run.id };
  // At a task marked for a human, plain Resume leaves the document (the card offers “I did it”).
  const personsTask = run.pauseKind === "review" && detail.documents[run.docIndex]?.waitingOn?.kind === "human";
  const busy = pause.isPending || stop.isPending || resume.isPending || skip.isPending || abort.isPending;
  if (!["running", "paused", "stopping"].includes(run.status)) return null;
  return (
    <div className="mt-4 flex flex-wrap gap-2">
      {run.status === "running" && (
        <>
          <Button onClick={() => pause.mutate(id)} disabled={busy || run.pendingAction === "pause"} className="flex-1">
            <IconPause /> Pause
          </Button>
          <Button onClick={() => stop.mutate(id)} disabled={busy} className="flex-1">
            <IconStop /> Stop
          </Button>
        </>
      )}
      {run.status === "paused" && (
        <>
          <Button variant={personsTask ? "secondary" : "primary"} onClick={() => resume.mutate(id)} disabled={busy} className="flex-1">
            <IconPlay /> {personsTask ? "Leave it" : "Resume"}
          </Button>
          {shared && (
            <Button onClick={() => stop.mutate(id)} disabled={busy} className="flex-1">
              <IconStop /> Stop
            </Button>
          )}
          {run.pauseKind === "error" && !shared && (
            <Button onClick={() => skip.mutate(id)} disabled={busy} className="flex-1">
              <IconSkip /> Skip document
            </Button>
          )}
        </>
      )}
      {!shared && (
        <Button variant="danger-ghost" onClick={() => setConfirmAbort(true)} disabled={busy} className="flex-1">
          Abort
        </Button>
      )}
      <ConfirmDialog
        open={confirmAbort}
        onClose={() => setConfirmAbort(false)}
        title="Abort this run?"
        confirmLabel="Abort run"
        onConfirm={() => abort.mutate(id)}
        pending={abort.isPending}
      >
        The task in progress is stopped now. Ticked boxes stay ticked; you can start a new run later.
      </ConfirmDialog>
    </div>
  );
}
