"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { taskDocumentHref } from "@/lib/autorun/direct-run";
import { useTRPC } from "@/lib/trpc/client";
import { IconFile } from "../conversation/icons";
import { TranscriptView } from "../conversation/transcript-view";
import { useTranscript } from "../conversation/use-transcript";
import { IconArrowLeft, IconCheck, IconShare, IconX } from "../ui/icons";
import { PageHeader, pageX } from "../ui/page-header";
import { ShareSheet } from "../share/share-sheet";
import { readError } from "../ui/trpc-error";
import { buttonClass } from "../ui/button";
import { cn } from "../ui/cn";
import { FormError } from "../ui/field";
import { usePageTitle } from "../ui/use-page-title";
import { RunProgress, type RunControlSet, type RunDetail } from "./run-progress";
import { useLiveAutorun } from "./use-autorun";
import { TurnChangesLink } from "../git/turn-changes-link";
import { RunWorktree, useOpenPullRequest } from "./run-worktree";

const RUNNING_RECHECK_MS = 5_000;

/** One run: progress and controls, its documents, the current task's live stream, the task log. */
export function RunPage({ runId }: { runId: string }) {
  const trpc = useTRPC();
  useLiveAutorun({ runId });
  // A safety net beside the live stream: while the run is running, its page also re-reads it
  // every few seconds, so a change that reached no stream (seen in e2e right after the run page
  // opened: the run paused in the database, the page still said Running) shows anyway. One small
  // query per open run page, and none once the run waits or ends.
  const detail = useQuery({
    ...trpc.autorun.byId.queryOptions({ id: runId }),
    refetchInterval: (query) => (query.state.data?.run.status === "running" ? RUNNING_RECHECK_MS : false),
  });
  const history = useQuery(trpc.autorun.history.queryOptions({ runId }));
  // The task log follows the run: whenever the run as read changes (a task counted done, the run
  // ended), its entries are read again. Structural sharing keeps `detail.data` the same object
  // while nothing changed, so this re-reads only on a change, also one no stream delivered
  // (seen in e2e on a loaded machine: "1 of 1 tasks done" above "No task finished yet").
  const { refetch: refetchHistory } = history;
  useEffect(() => {
    if (detail.data) void refetchHistory();
  }, [detail.data, refetchHistory]);
  const [sharing, setSharing] = useState(false);
  useOpenPullRequest(detail.data?.run);
  usePageTitle(detail.data ? `Auto Run · ${detail.data.run.name}` : "Auto Run");
  const back = (
    <Link href="/autorun" className={buttonClass("ghost", "icon")} aria-label="Back to Auto Run">
      <IconArrowLeft />
    </Link>
  );
  if (detail.error) {
    return (
      <>
        <PageHeader title="Auto Run" actions={back} />
        <div className={pageX}>
          <FormError>{readError(detail.error).message}</FormError>
        </div>
      </>
    );
  }
  if (!detail.data) return <PageHeader title="Auto Run" subtitle="Loading…" actions={back} />;
  const { run, agentName } = detail.data;
  const share = (
    <button
      type="button"
      aria-label="Share"
      title="Share this run with a teammate"
      onClick={() => setSharing(true)}
      className={buttonClass("ghost", "icon")}
    >
      <IconShare className="size-5" />
    </button>
  );
  return (
    <>
      <PageHeader
        title={run.name}
        subtitle={`on ${agentName}`}
        actions={
          <>
            {share}
            {back}
          </>
        }
      />
      <RunBody detail={detail.data} history={history.data} controls="all" />
      <ShareSheet target={{ scope: "run", runId: run.id, runName: run.name, agentName }} open={sharing} onClose={() => setSharing(false)} />
    </>
  );
}

/**
 * A run's progress, documents, task log and live stream: the owner's run page and a teammate's
 * shared run screen. `controls` says which run controls show (a teammate never gets Skip or Abort).
 */
export function RunBody({
  detail,
  history,
  controls,
}: {
  detail: RunDetail;
  history: { id: string | number; kind: string; success: boolean | null; summary: string; turnId?: string | null }[] | undefined;
  controls: RunControlSet;
}) {
  const { run, documents } = detail;
  const tasks = (history ?? []).filter((h) => h.kind === "autorun-task");
  return (
    <div className={cn(pageX, "grid grid-cols-[minmax(0,1fr)] gap-5 pb-8 lg:grid-cols-[minmax(0,420px)_minmax(0,1fr)]")}>
      <div className="space-y-5">
        <RunProgress detail={detail} controls={controls} />
        <RunWorktree run={run} owner={controls === "all"} />
        <DocumentList documents={documents} current={run.docIndex} />
        <section aria-labelledby="task-log">
          <h2 id="task-log" className="mb-2 text-lg font-semibold tracking-tight">
            Task log
          </h2>
          {tasks.length === 0 ? (
            <p className="text-[15px] text-muted">No task finished yet.</p>
          ) : (
            <ol className="space-y-2" data-testid="task-log">
              {tasks.map((h, i) => (
                <li key={h.id} className="flex gap-2 rounded-xl border border-border bg-surface px-3 py-2 text-[15px]">
                  {h.success ? (
                    <IconCheck className="mt-0.5 size-5 shrink-0 text-ok" aria-label="Done" />
                  ) : (
                    <IconX className="mt-0.5 size-5 shrink-0 text-bad" aria-label="Failed" />
                  )}
                  <span className="min-w-0 flex-1 break-words">
                    {h.summary}
                    {controls === "all" && h.turnId && (
                      <>
                        {" "}
                        <TurnChangesLink turnId={h.turnId} label="Changes" className="text-sm text-muted" />
                      </>
                    )}
                  </span>
                  {controls === "all" && (
                    <Link
                      href={taskDocumentHref(String(h.id))}
                      className={buttonClass("ghost", "icon-sm", "-my-1.5 -mr-1.5 text-muted hover:text-text")}
                      aria-label={`Open the document of task ${i + 1}`}
                      title="Open the document beside this summary"
                    >
                      <IconFile className="size-5" />
                    </Link>
                  )}
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
      {run.tabId && <CurrentStream tabId={run.tabId} live={run.status === "running" || run.status === "stopping"} />}
    </div>
  );
}

function DocumentList({ documents, current }: { documents: RunDetail["documents"]; current: number }) {
  return (
    <section aria-labelledby="run-docs">
      <h2 id="run-docs" className="mb-2 text-lg font-semibold tracking-tight">
        Documents
      </h2>
      <ol className="space-y-2">
        {documents.map((d, i) => (
          <li
            key={`${d.filename}-${i}`}
            className={cn("rounded-xl border bg-surface px-3 py-2", i === current ? "border-accent" : "border-border")}
            aria-current={i === current ? "step" : undefined}
          >
            <div className="flex items-center gap-2 text-[15px]">
              <span className="min-w-0 flex-1 truncate font-medium">{d.filename}</span>
              {d.resetOnCompletion && <span className="text-xs text-muted">reset</span>}
              {d.stalled && <span className="text-xs font-medium text-bad">stalled</span>}
              {d.halt !== null && <span className="text-xs font-medium text-bad">halt: {d.halt}</span>}
              <span className="shrink-0 text-muted tabular-nums">
                {d.done}/{d.total}
              </span>
            </div>
            <div className="mt-1.5 h-1.5 overflow-hidden rounded-full bg-surface-2" aria-hidden="true">
              <div className="h-full rounded-full bg-accent" style={{ width: `${d.total ? (d.done / d.total) * 100 : 0}%` }} />
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The run's conversation tab as it streams: the current task's prompt, thinking, tools and reply. */
function CurrentStream({ tabId, live }: { tabId: string; live: boolean }) {
  const { transcript } = useTranscript(tabId);
  return (
    <section
      aria-labelledby="run-stream"
      className="flex h-[70vh] min-h-80 flex-col rounded-2xl border border-border bg-surface lg:h-[calc(100vh-10rem)]"
    >
      <h2 id="run-stream" className="border-b border-border px-4 py-2.5 text-[15px] font-semibold">
        {live ? "Current task, live" : "Last tasks"}
      </h2>
      <div className="flex min-h-0 flex-1 flex-col px-3">
        <TranscriptView
          transcript={transcript}
          pending={null}
          loading={false}
          empty={<p className="py-6 text-center text-[15px] text-muted">The first task starts in a moment.</p>}
        />
      </div>
    </section>
  );
}
