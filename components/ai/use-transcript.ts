"use client";

import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { applyEvents, emptyTranscript, type Transcript, type TranscriptEvent } from "@/lib/transcript/build";
import { useTRPC } from "@/lib/trpc/client";
import { connection } from "../connection-store";

/**
 * Transcripts of recently viewed tabs, kept in memory so switching back is instant: the
 * subscription then resumes after the last event we already have.
 */
const cache = new Map<string, Transcript>();
const CACHE_TABS = 8;

function remember(tabId: string, t: Transcript) {
  cache.delete(tabId);
  cache.set(tabId, t);
  while (cache.size > CACHE_TABS) cache.delete(cache.keys().next().value!);
}

export function forgetTranscript(tabId: string) {
  cache.delete(tabId);
}

/** A batch this large means a backlog is arriving. */
const BULK_EVENTS = 200;
/** Apply a backlog once no page has come for this long… */
const BULK_QUIET_MS = 40;
/** …or after this long at most. (Background tabs, where frames do not run, use the same path.) */
const BULK_MAX_WAIT_MS = 300;

export type StreamState = "connecting" | "live" | "reconnecting";

/**
 * A tab's live transcript from turns.onEvent (batches of stored events, each batch tracked by
 * its last id). Events are buffered and applied once per frame (a 10,000-event backlog arrives
 * as a few renders), and each id is applied at most once: after a reconnect tRPC resumes from
 * the last tracked id, and anything replayed at or below the last applied id is ignored by the
 * reducer.
 */
export function useTranscript(tabId: string): { transcript: Transcript; stream: StreamState; streamError: string | null } {
  const trpc = useTRPC();
  const [transcript, setTranscript] = useState<Transcript>(() => cache.get(tabId) ?? emptyTranscript());
  const current = useRef(transcript);
  const buffer = useRef<TranscriptEvent[]>([]);
  const scheduled = useRef<{ frame: boolean; id: number } | null>(null);
  const [stream, setStream] = useState<StreamState>("connecting");
  const [streamError, setStreamError] = useState<string | null>(null);

  // The resume point is fixed when the subscription starts; tRPC tracks it from then on.
  const input = useMemo(() => {
    const startAt = cache.get(tabId)?.lastId ?? 0;
    return { tabId, lastEventId: startAt > 0 ? String(startAt) : null };
  }, [tabId]);

  const bulkUntil = useRef(0);
  const deadline = useRef(0);

  const flush = () => {
    scheduled.current = null;
    const events = buffer.current;
    if (events.length === 0) return;
    buffer.current = [];
    // A big batch is a backlog page, and more follow at once: apply them together, in one
    // render, rather than re-rendering the moving tail once per page.
    if (events.length >= BULK_EVENTS) bulkUntil.current = performance.now() + 250;
    const next = applyEvents(current.current, events);
    if (next === current.current) return;
    current.current = next;
    remember(tabId, next);
    setTranscript(next);
  };

  const cancelScheduled = () => {
    const s = scheduled.current;
    if (s) (s.frame ? cancelAnimationFrame : window.clearTimeout)(s.id);
    scheduled.current = null;
  };

  useEffect(() => cancelScheduled, []);

  /** Live streaming: once per frame. A backlog: when the pages stop coming (at most 300 ms). */
  const schedule = () => {
    const now = performance.now();
    const bulk = now < bulkUntil.current || buffer.current.length >= BULK_EVENTS;
    if (!bulk && !document.hidden) {
      if (!scheduled.current) scheduled.current = { frame: true, id: requestAnimationFrame(flush) };
      return;
    }
    if (!scheduled.current || scheduled.current.frame) deadline.current = now + BULK_MAX_WAIT_MS;
    cancelScheduled();
    const wait = Math.max(0, Math.min(BULK_QUIET_MS, deadline.current - now));
    scheduled.current = { frame: false, id: window.setTimeout(flush, wait) };
  };

  useSubscription(
    trpc.turns.onEvent.subscriptionOptions(input, {
      onStarted: () => {
        setStream("live");
        setStreamError(null);
      },
      onData: (envelope) => {
        // Each message is a batch of stored events (older bridges sent one event per message).
        const data = envelope.data as unknown as TranscriptEvent | TranscriptEvent[];
        if (Array.isArray(data)) for (const e of data) buffer.current.push(e);
        else buffer.current.push(data);
        schedule();
      },
      onError: (err) => setStreamError(err.message),
      onConnectionStateChange: (state) => {
        if (state.state === "connecting" && state.error) {
          setStream("reconnecting");
          void connection.check();
        } else if (state.state === "pending") {
          setStream("live");
          setStreamError(null);
        }
      },
    }),
  );

  return { transcript, stream, streamError };
}
