"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useImperativeHandle, useRef, useState, useSyncExternalStore, type Ref } from "react";
import { hasTurn, runningTurn } from "@/lib/transcript/build";
import { useTRPC } from "@/lib/trpc/client";
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
import { BUILTIN_COMMANDS, parseSlash } from "@/lib/prompts/slash";
import { runPageCommand } from "./page-commands";
import { newId, useDraft, useMessageQueue, useStoredString } from "./use-queue";
import { useTranscript } from "./use-transcript";

export interface ConversationHandle {
  focusComposer: () => void;
  stop: () => void;
  running: boolean;
}

interface SendError {
  message: string;
  hint?: string;
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
  const queryClient = useQueryClient();
  const { transcript, stream, loadEarlier, loadingEarlier } = useTranscript(tabId);
  const running = runningTurn(transcript);
  const overview = useQuery(trpc.turns.overview.queryOptions({ tabId }, { staleTime: 60_000 }));
  const [draft, setDraft] = useDraft(tabId);
  const queue = useMessageQueue(tabId);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const down = useSyncExternalStore(connection.subscribe, connection.isDown, () => false);

  const [pending, setPending] = useState<{ text: string; at: string; turnId?: string; queuedId?: string } | null>(null);
  const [error, setError] = useState<SendError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [stopping, setStopping] = useState(false);
  const [queueFailed, setQueueFailed] = useState(false);
  // The turn this device stopped: the queue waits after it until the user says go. (Kept per
  // tab in localStorage, so a reload does not suddenly send what the user held back.)
  const [stoppedHere, setStoppedHere] = useStoredString(`maestro.queuePausedAfter.${tabId}`);
  const [retryTick, setRetryTick] = useState(0);
  const [announcement, setAnnouncement] = useState("");
  const attachments = useAttachments();
  const [attachNote, setAttachNote] = useState<string | null>(null);

  const send = useMutation(trpc.turns.send.mutationOptions());
  const stop = useMutation(trpc.turns.stop.mutationOptions());

  // Notices are news, not state: they go after a while.
  useEffect(() => {
    if (!notice) return;
    const t = window.setTimeout(() => setNotice(null), 8000);
    return () => window.clearTimeout(t);
  }, [notice]);

  // Warm the markdown renderer while the transcript streams in.
  useEffect(() => {
    void loadMarkdown();
  }, []);

  // The optimistic prompt gives way to the real one as soon as the stream shows its turn.
  useEffect(() => {
    if (pending?.turnId && hasTurn(transcript, pending.turnId)) setPending(null);
  }, [pending, transcript]);

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
      if (ended) setAnnouncement(ended.status === "done" ? "Reply finished." : ended.status === "stopped" ? "Turn stopped." : `Turn failed${ended.error ? `: ${ended.error}` : "."}`);
    }
  }, [running, transcript]);

  const busy = isRunning || send.isPending || pending !== null;
  // The note about images and the queue is only true while the tab is busy and images wait.
  const hasImages = attachments.items.length > 0;
  useEffect(() => {
    if (!hasImages || (!busy && !down)) setAttachNote(null);
  }, [hasImages, busy, down]);
  // The backlog has arrived (so "not running" is the truth, not just "not loaded yet").
  // (A long tab starts with only its newest turns, so "caught up" means its newest turn is here.)
  const newestTurnId = overview.data?.newestTurnId;
  const caughtUp = overview.isSuccess && (!newestTurnId || hasTurn(transcript, newestTurnId));
  const hasEarlier = caughtUp && transcript.turns.length > 0 && (overview.data?.count ?? 0) > transcript.turns.length;
  const paused = queueFailed || (lastTurn !== null && lastTurn.status !== "running" && lastTurn.id === stoppedHere);

  const clearAttachments = attachments.clear;
  const sendNow = useCallback(
    (text: string, queuedId?: string, images?: string[]) => {
      setError(null);
      setNotice(null);
      setPending({ text, at: new Date().toISOString(), queuedId });
      // The same id on every attempt: if an answer is lost, the bridge recognises the resend.
      const clientId = queuedId ?? newId();
      send.mutate(
        { tabId, prompt: text, images: images?.length ? images : undefined, clientId },
        {
          onSuccess: ({ turnId }) => {
            if (queuedId) queue.remove(queuedId);
            if (images?.length) clearAttachments();
            setPending((p) => (p ? { ...p, turnId } : p));
            void queryClient.invalidateQueries(trpc.turns.overview.queryFilter({ tabId }));
          },
          onError: (err) => {
            setPending(null);
            const e = readError(err);
            if (images?.length) {
              // Images can't wait in the queue: the text and the images stay in the box.
              setDraft(text);
              if (e.code === "CONFLICT" || e.network) {
                setAttachNote(e.network ? "Can't reach Maestro. Your message and images are still here: send again when it is back." : "A turn started here meanwhile. Your message and images are still here: send when it is done.");
              } else setError({ message: e.message, hint: e.hint });
              return;
            }
            if (e.code === "CONFLICT" || e.network) {
              // Busy (another device sent first) or unreachable: nothing is lost, it waits.
              if (!queuedId) queue.addFront(text, clientId);
              setNotice(e.network ? "Can't reach Maestro: your message is queued and goes out when it is back." : "A turn was already running here, so your message is queued.");
              window.setTimeout(() => setRetryTick((n) => n + 1), 3000);
              return;
            }
            if (queuedId) {
              setQueueFailed(true);
              setError({ message: `A queued message could not be sent: ${e.message}`, hint: e.hint });
            } else {
              // Give the text back so it can be fixed and sent again.
              setDraft(text);
              setError({ message: e.message, hint: e.hint });
            }
          },
        },
      );
    },
    [send, tabId, queue, queryClient, trpc, setDraft, clearAttachments],
  );

  // Queued messages go out one by one, in order, whenever the tab is free.
  const canAutoSend = queue.ready && queue.items.length > 0 && !busy && !down && !paused && caughtUp;
  const latest = useRef({ sendNow, queue });
  latest.current = { sendNow, queue };
  useEffect(() => {
    if (!canAutoSend) return;
    let cancelled = false;
    const retry = () => window.setTimeout(() => setRetryTick((n) => n + 1), 3000);
    const t = window.setTimeout(async () => {
      try {
        // Ask the bridge, not just our stream: another device may have started a turn.
        const { running } = await queryClient.fetchQuery(trpc.turns.overview.queryOptions({ tabId }, { staleTime: 0 }));
        if (cancelled) return;
        if (running) return void retry();
      } catch {
        if (!cancelled) retry();
        return;
      }
      const head = latest.current.queue.current()[0];
      if (head && !cancelled) latest.current.sendNow(head.text, head.id);
    }, 350);
    return () => {
      cancelled = true;
      window.clearTimeout(t);
    };
  }, [canAutoSend, retryTick, queryClient, trpc, tabId]);

  function submit() {
    const text = draft;
    if (!text.trim()) return;
    // Maestro's own slash commands are done here, never sent to the provider.
    const builtin = parseSlash(text.trim());
    if (builtin && !builtin.args && BUILTIN_COMMANDS.some((c) => c.name === builtin.name)) {
      setDraft("");
      if (builtin.name === "stop") doStop();
      else runPageCommand("tab-new");
      return;
    }
    if (attachments.items.length > 0) {
      // Messages with images go out now or not at all (the queue keeps text only).
      if (attachments.uploading) return setAttachNote("The images are still uploading: send again in a moment.");
      if (attachments.failed) return setAttachNote("Remove the images that failed to upload, then send.");
      if (busy || down || (queue.items.length > 0 && !paused)) {
        return setAttachNote(
          down ? "Can't reach Maestro. Messages with images can't be queued: send again when it is back." : "Messages with images can't be queued: send when the tab is free (your text and images stay here).",
        );
      }
      setAttachNote(null);
      setDraft("");
      sendNow(text, undefined, attachments.ids);
      return;
    }
    setDraft("");
    // Until the stored queue is read, a new message goes behind it (order is the promise).
    if (busy || down || !queue.ready || (queue.items.length > 0 && !paused)) {
      queue.add(text);
      setError(null);
      return;
    }
    sendNow(text);
  }

  const doStop = useCallback(() => {
    if (!running) return;
    setStopping(true);
    setStoppedHere(running.id);
    stop.mutate(
      { tabId },
      {
        onError: (err) => {
          setStopping(false);
          setError({ message: `Couldn't stop: ${readError(err).message}` });
        },
        onSuccess: ({ stopping: s }) => {
          if (!s) setStopping(false);
        },
      },
    );
  }, [running, stop, tabId, setStoppedHere]);

  const focusComposer = useCallback(() => {
    const el = textareaRef.current;
    if (!el) return;
    el.focus({ preventScroll: true });
    const end = el.value.length;
    el.setSelectionRange(end, end);
  }, []);

  useImperativeHandle(ref, () => ({ focusComposer, stop: doStop, running: isRunning }), [focusComposer, doStop, isRunning]);

  const loading = transcript.turns.length === 0 && (overview.isPending || (overview.data?.count ?? 0) > 0);
  const queueState = pending?.queuedId ? "sending" : down ? "offline" : queueFailed ? "failed" : paused ? "paused" : "waiting";

  const above = (
    <>
      <QueuePanel
        queue={queue}
        state={queueState}
        sendingId={pending?.queuedId ?? null}
        onResume={() => {
          setQueueFailed(false);
          setError(null);
          setStoppedHere(null);
        }}
      />
      {notice && (
        <p role="status" className="mb-2 flex items-start gap-2 rounded-xl border border-border bg-surface px-3 py-2 text-sm text-muted">
          <span className="min-w-0 flex-1">{notice}</span>
          <button type="button" aria-label="Dismiss" onClick={() => setNotice(null)} className="-my-1 inline-flex size-8 shrink-0 items-center justify-center rounded-lg hover:bg-surface-2">
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
    <>
      <TabSummaryBar tabName={tabName} transcript={transcript} snapshot={overview.data} stream={stream} />
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
                {loadingEarlier ? "Loading…" : `Load earlier messages (${(overview.data?.count ?? 0) - transcript.turns.length} more turns)`}
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
          if (error && !queueFailed) setError(null);
        }}
        onSubmit={submit}
        onStop={doStop}
        runningSince={running ? running.startedAt : null}
        stopping={stopping}
        placeholder={`Message ${agentName}…`}
        textareaRef={textareaRef}
        agentId={agentId}
        above={above}
        willQueue={busy || down || (queue.items.length > 0 && !paused)}
        hasAttachments={attachments.items.length > 0}
        onPasteImages={
          access === "owner"
            ? (files) => {
                setAttachNote(null);
                attachments.add(files);
              }
            : undefined
        }
        attachButton={
          access === "owner" ? (
            <AttachButton
              onFiles={(files) => {
                setAttachNote(null);
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
    </>
  );
}
