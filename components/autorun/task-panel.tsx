"use client";

import Link from "next/link";
import { isRunCopy } from "@/lib/autorun/direct-run";
import { IconCheck, IconError, IconX } from "../ui/icons";
import type { RouterOutputs } from "../ui/trpc-types";
import { Button } from "../ui/button";
import { formatDateTime } from "../ui/relative-time";

export type TaskSource = RouterOutputs["autorun"]["taskSource"];

/**
 * A finished task beside its document, to refine the document and run it again: what the task
 * was, the agent's summary, where it ran. Desktop: a column beside the editor; phone: a panel
 * above it that folds away (`collapsible`).
 */
export function TaskPanel({ source, collapsible, onClose }: { source: TaskSource; collapsible?: boolean; onClose: () => void }) {
  const body = (
    <div className="space-y-3 text-[15px]">
      <p className="flex items-start gap-2">
        {source.success ? (
          <IconCheck className="mt-0.5 size-5 shrink-0 text-ok" aria-label="Done" />
        ) : (
          <IconError className="mt-0.5 size-5 shrink-0 text-bad" aria-label="Not done" />
        )}
        <span className="min-w-0 font-medium break-words">{source.task}</span>
      </p>
      <div>
        <h3 className="mb-1 text-xs font-semibold tracking-wider text-muted uppercase">Summary</h3>
        <p data-testid="task-summary" className="leading-relaxed break-words whitespace-pre-wrap">
          {source.summary || "The agent gave no summary."}
        </p>
      </div>
      <p className="text-sm text-muted">
        <Link href={`/autorun/runs/${source.runId}`} className="font-medium text-accent underline-offset-2 hover:underline">
          {source.runName}
        </Link>
        {source.loop !== null && ` · loop ${source.loop}`} · {formatDateTime(source.at)}
      </p>
      {isRunCopy(source.path) && source.original && (
        <p className="text-sm text-muted">
          This is the copy loop {source.loop ?? "?"} worked on; {source.original} itself was not changed.
        </p>
      )}
      <p className="rounded-xl bg-surface-2/70 px-3 py-2 text-sm leading-relaxed text-muted">
        Edit the document, untick a task to have it done again, then <span className="font-medium text-text">Run again</span>: only unticked
        tasks run.
      </p>
    </div>
  );
  if (collapsible)
    return (
      <details open className="group mb-3 rounded-2xl border border-border bg-surface" aria-label="Task summary">
        <summary className="flex min-h-11 cursor-pointer list-none items-center gap-2 px-4 py-2 text-[15px] font-semibold [&::-webkit-details-marker]:hidden">
          <span className="min-w-0 flex-1 truncate">Task summary</span>
          <span className="text-sm font-normal text-muted group-open:hidden">Show</span>
          <span className="hidden text-sm font-normal text-muted group-open:inline">Hide</span>
        </summary>
        <div className="px-4 pb-4">{body}</div>
      </details>
    );
  return (
    <aside aria-label="Task summary" className="rounded-2xl border border-border bg-surface p-5">
      <div className="mb-3 flex items-center gap-2">
        <h2 className="min-w-0 flex-1 text-lg font-semibold">Task summary</h2>
        <Button variant="ghost" size="icon-sm" aria-label="Close the task summary" title="Back to the documents" onClick={onClose}>
          <IconX className="size-5" />
        </Button>
      </div>
      {body}
    </aside>
  );
}
