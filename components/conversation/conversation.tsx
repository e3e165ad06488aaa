"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState, useSyncExternalStore, type Ref } from "react";
import { queueStatus, willQueue } from "@/lib/conversation/send-queue";
import { pendingApprovals } from "@/lib/transcript/approvals";
import { hasTurn, runningTurn } from "@/lib/transcript/build";
import { useTRPC } from "@/lib/trpc/client";
import { ApprovalActionsContext, ApprovalQueueContext } from "../approvals/approval-context";
import { useConversationApprovals } from "../approvals/use-approval-actions";
import { WaitingBanner } from "../approvals/waiting-banner";
import { connection } from "../shell/connection-store";
import { IconX } from "../ui/icons";
import { readError } from "../ui/trpc-error";
import { FormError } from "../ui/field";
import { AttachButton, AttachmentStrip, useAttachments } from "./attachments";
import { Composer } from "./composer";
import { TabEmptyState } from "./empty-state";
import { Spinner } from "./icons";
import { QueuePanel } from "./queue-panel";
import { TabSummaryBar } from "./tab-summary-bar";
import { loadMarkdown } from "./transcript-rows";
import { TranscriptView } from "./transcript-view";
import { TurnActionsContext } from "./turn-actions";
import { runPageCommand } from "./page-commands";
import { newId, useDraft } from "./use-draft";
import { useSendQueue } from "./use-send-queue";
import { useTranscript } from "./use-transcript";

export interface ConversationHandle {
  focusComposer: () => void;
  stop: () => void;
  running: boolean;
}

/**
 * One tab's conversation: the live transcript, the queue and the composer. Mounted per tab
 * (keyed by its id), so every piece of state here belongs to exactly one tab.
 */
export function Conversation({
  tabId,
  tabName,
  providerLabel,
  folder,
  simulator,
  agentName,
  agentId,
  onRunningChange,
  access = "owner",
  ref,
}: {
  agentId: string;
  tabId: string;
  tabName: string;
  providerLabel: string;
  folder: string;
  simulator: boolean;
  agentName: string;
  onRunningChange?: (running: boolean) => void;
  /** Who is looking: a view-only share link gets no composer; a control link no attachments. */
  access?: "owner" | "view" | "control";
  ref?: Ref<ConversationHandle>;
}) {
  const trpc = useTRPC();
  const { transcript, stream, loadEarlier, loadingEarlier } = useTranscript(tabId, { fetchFirst: access === "owner" });
  const running = runningTurn(transcript);
  const overview = useQuery(trpc.turns.overview.queryOptions({ tabId }, { staleTime: 60_000 }));
  const [draft, setDraft] = useDraft(tabId);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const down = useSyncExternalStore(connection.subscribe, connection.isDown, () => false);
  const [stopping, setStopping] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const attachments = useAttachments();
  const stop = useMutation(trpc.turns.stop.mutationOptions());

  // Warm the markdown renderer while the transcript streams in.
  useEffect(() => {
    void loadMarkdown();
  }, []);

  const isRunning = running !== null;
  useEffect(() => onRunningChange?.(isRunning), [isRunning, onRunningChange]);

  // When a turn ends: Stop is done, and say how it went to screen readers.
  const lastTurn = transcript.turns[transcript.turns.length - 1] ?? null;
  const prevRunning = useRef<string | null>(null);
  useEffect(() => {
    const was = prevRunning.current;
    prevRunning.current = running?.id ?? null;
    if (!running) setStopping(false);
    if (was && !running) {
      const ended = transcript.turns.find((t) => t.id === was);
      if (ended)
        setAnnouncement(
          ended.status === "done"
            ? "Reply finished."
            : ended.status === "stopped"
              ? "Turn stopped."
              : `Turn failed${ended.error ? `: ${ended.error}` : "."}`,
        );
    }
  }, [running, transcript]);

  // The backlog has arrived (so "not running" is the truth, not just "not loaded yet").
  // (A long tab starts with only its newest turns, so "caught up" means its newest turn is here.)
  const newestTurnId = overview.data?.newestTurnId;
  const caughtUp = overview.isSuccess && (!newestTurnId || hasTurn(transcript, newestTurnId));
  const hasEarlier = caughtUp && transcript.turns.length > 0 && (overview.data?.count ?? 0) > transcript.turns.length;

  // What to send, queue or refuse, and when the queue goes out: lib/conversation/send-queue.ts.
  const stopRef = useRef<() => void>(() => {});
  const {
    state: sendState,
    dispatch,
    queue,
  } = useSendQueue(
    tabId,
    {
      running: isRunning,
      down,
      caughtUp,
      lastTurn: lastTurn && { id: lastTurn.id, status: lastTurn.status },
      hasImages: attachments.items.length > 0,
    },
    { setDraft, clearAttachments: attachments.clear, stop: () => stopRef.current(), newTab: () => runPageCommand("tab-new") },
  );
  const { pending, error, notice, attachNote } = sendState;

  // The optimistic prompt gives way to the real one as soon as the stream shows its turn.
  useEffect(() => {
    if (pending?.turnId && hasTurn(transcript, pending.turnId)) dispatch({ type: "turn-seen", turnId: pending.turnId });
  }, [pending, transcript, dispatch]);

  function submit() {
    dispatch({
      type: "submit",
      text: draft,
      attachments: { ids: attachments.ids, uploading: attachments.uploading, failed: attachments.failed },
      id: newId(),
      now: Date.now(),
    });
  }

  const doStop = useCallback(() => {
    if (!running) return;
    setStopping(true);
    dispatch({ type: "stopped-here", turnId: running.id });
    stop.mutate(
      { tabId },
      {
        onError: (err) => {
          setStopping(false);
          dispatch({ type: "stop-failed", message: readError(err).message });
        },
        onSuccess: ({ stopping: s }) => {
          if (!s) setStopping(false);
        },
      },
    );
  }, [running, stop, tabId, dispatch]);
  stopRef.current = doStop;

  const focusComposer = useCallback(() => {
    const el = textareaRef.current;
    if (!el) return;
    el.focus({ preventScroll: true });
    const end = el.value.length;
    el.setSelectionRange(end, end);
  }, []);

  useImperativeHandle(ref, () => ({ focusComposer, stop: doStop, running: isRunning }), [focusComposer, doStop, isRunning]);

  // Saving a checklist, running a /spec document: the owner's, not a teammate's.
  const turnActions = useMemo(() => (access === "owner" ? { agentId } : null), [access, agentId]);

  const approvalActions = useConversationApprovals(access, providerLabel, folder);
  const waiting = useMemo(() => pendingApprovals(transcript), [transcript]);
  const queueIds = useMemo(() => waiting.map((w) => w.approval.approvalId), [waiting]);

  const loading = transcript.turns.length === 0 && (overview.isPending || (overview.data?.count ?? 0) > 0);

  const above = (
    <>
      <QueuePanel
        queue={queue}
        state={queueStatus(sendState)}
        sendingId={pending?.queuedId ?? null}
        onResume={() => dispatch({ type: "resume" })}
      />
      {notice && (
        <p role="status" className="mb-2 flex items-start gap-2 rounded-xl border border-border bg-surface px-3 py-2 text-sm text-muted">
          <span className="min-w-0 flex-1">{notice}</span>
          <button
            type="button"
            aria-label="Dismiss"
            onClick={() => dispatch({ type: "dismiss-notice" })}
            className="-my-1 inline-flex size-8 shrink-0 items-center justify-center rounded-lg hover:bg-surface-2"
          >
            <IconX className="size-4" />
          </button>
        </p>
      )}
      <AttachmentStrip attachments={attachments} note={attachNote} />
      {error && (
        <FormError className="mb-2" hint={error.hint}>
          {error.message}
        </FormError>
      )}
    </>
  );

  return (
    <TurnActionsContext value={turnActions}>
      <ApprovalActionsContext value={approvalActions}>
        <ApprovalQueueContext value={queueIds}>
          <TabSummaryBar tabName={tabName} transcript={transcript} snapshot={overview.data} stream={stream} />
          <WaitingBanner pending={waiting} who={approvalActions.who} />
          <TranscriptView
            transcript={transcript}
            header={
              hasEarlier ? (
                <div className="flex justify-center pt-3">
                  <button
                    type="button"
                    onClick={() => void loadEarlier()}
                    disabled={loadingEarlier}
                    className="min-h-11 rounded-full border border-border bg-surface px-4 text-sm text-muted hover:text-text disabled:opacity-60"
                  >
                    {loadingEarlier
                      ? "Loading…"
                      : `Load earlier messages (${(overview.data?.count ?? 0) - transcript.turns.length} more turns)`}
                  </button>
                </div>
              ) : null
            }
            pending={pending && !(pending.turnId && hasTurn(transcript, pending.turnId)) ? { text: pending.text, at: pending.at } : null}
            loading={loading}
            empty={
              access === "view" ? (
                <p className="py-16 text-center text-[15px] text-muted">Nothing here yet. New turns appear as they stream in.</p>
              ) : (
                <TabEmptyState
                  providerLabel={providerLabel}
                  folder={folder}
                  simulator={simulator}
                  onExample={(p) => {
                    setDraft(p);
                    requestAnimationFrame(focusComposer);
                  }}
                />
              )
            }
            footer={
              stream === "reconnecting" ? (
                <p className="flex items-center gap-2 py-2 text-sm text-muted">
                  <Spinner className="size-4" />
                  Reconnecting to the live stream…
                </p>
              ) : null
            }
          />
          {access === "view" ? (
            <p className="shrink-0 border-t border-border bg-surface px-4 py-3 pb-[max(0.75rem,env(safe-area-inset-bottom))] text-center text-sm text-muted">
              View only: you can watch this conversation but not send to it.
            </p>
          ) : (
            <Composer
              value={draft}
              onChange={(v) => {
                setDraft(v);
                dispatch({ type: "typed" });
              }}
              onSubmit={submit}
              onStop={doStop}
              runningSince={running ? running.startedAt : null}
              stopping={stopping}
              placeholder={`Message ${agentName}…`}
              textareaRef={textareaRef}
              agentId={agentId}
              above={above}
              willQueue={willQueue(sendState)}
              hasAttachments={attachments.items.length > 0}
              onPasteImages={
                access === "owner"
                  ? (files) => {
                      dispatch({ type: "attachments-added" });
                      attachments.add(files);
                    }
                  : undefined
              }
              attachButton={
                access === "owner" ? (
                  <AttachButton
                    onFiles={(files) => {
                      dispatch({ type: "attachments-added" });
                      attachments.add(files);
                    }}
                  />
                ) : undefined
              }
            />
          )}
          <p aria-live="polite" className="sr-only">
            {announcement}
          </p>
        </ApprovalQueueContext>
      </ApprovalActionsContext>
    </TurnActionsContext>
  );
}
