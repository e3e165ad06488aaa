"use client";

import { useSubscription } from "@trpc/tanstack-react-query";
import { skipToken } from "@tanstack/react-query";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { applyEvents, buildTranscript, emptyTranscript, type Transcript, type TranscriptEvent } from "@/lib/transcript/build";
import { useTRPC, useTRPCClient } from "@/lib/trpc/client";
import { connection } from "../shell/connection-store";

/**
 * Transcripts of recently viewed tabs, kept in memory so switching back is instant: the
 * subscription then resumes after the last event we already have.
 */
const cache = new Map<string, Transcript>();
const cachedEvents = new Map<string, TranscriptEvent[]>();
/** How many of the newest events a cold tab starts with (the rest load on demand). */
const TAIL_EVENTS = 400;
const CACHE_TABS = 8;

function remember(tabId: string, t: Transcript) {
  cache.delete(tabId);
  cache.set(tabId, t);
  while (cache.size > CACHE_TABS) {
    const oldest = cache.keys().next().value!;
    cache.delete(oldest);
    cachedEvents.delete(oldest);
  }
}

/** Tail fetches in flight, by tab: whoever needs one while it runs waits for the same request. */
const warming = new Map<string, Promise<void>>();

/**
 * Fetches a tab's newest events into the cache (the dashboard, ahead of a likely tap; a tab
 * opened cold, before it streams), so the tab opens with its conversation on screen and the
 * live stream resumes after the last event (as when switching back to a recent tab). A plain
 * request of its own: not batched behind slower queries, and not an event stream, which waits
 * for a free connection behind the page's other long-lived streams. Quiet on failure: opening
 * the tab then simply starts cold.
 */
export function warmTranscript(client: ReturnType<typeof useTRPCClient>, tabId: string): Promise<void> {
  if (cache.has(tabId)) return Promise.resolve();
  const inFlight = warming.get(tabId);
  if (inFlight) return inFlight;
  const fetching = (async () => {
    try {
      const events = (await client.turns.tail.query(
        { tabId, tail: TAIL_EVENTS },
        { context: { skipBatch: true } },
      )) as unknown as TranscriptEvent[];
      // A tab opened meanwhile has its own, newer transcript: keep that one.
      if (cache.has(tabId) || events.length === 0) return;
      cachedEvents.set(tabId, events);
      remember(tabId, buildTranscript(events));
    } catch {
      /* offline or gone: the tab opens cold */
    } finally {
      warming.delete(tabId);
    }
  })();
  warming.set(tabId, fetching);
  return fetching;
}

export function forgetTranscript(tabId: string) {
  cache.delete(tabId);
  cachedEvents.delete(tabId);
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
export function useTranscript(
  tabId: string,
  {
    fetchFirst = false,
  }: {
    /**
     * Fetch the newest events with a plain request before streaming (owner only: `turns.tail`
     * is the owner's). Without it, a cold tab's stream brings its tail as its backlog.
     */
    fetchFirst?: boolean;
  } = {},
): {
  transcript: Transcript;
  stream: StreamState;
  streamError: string | null;
  loadEarlier: () => Promise<void>;
  loadingEarlier: boolean;
} {
  const trpc = useTRPC();
  const [transcript, setTranscript] = useState<Transcript>(() => cache.get(tabId) ?? emptyTranscript());
  const current = useRef(transcript);
  const buffer = useRef<TranscriptEvent[]>([]);
  const scheduled = useRef<{ frame: boolean; id: number } | null>(null);
  const [stream, setStream] = useState<StreamState>("connecting");
  const [streamError, setStreamError] = useState<string | null>(null);

  /** Every event applied, oldest first, so earlier pages can be put in front and rebuilt. */
  const all = useRef<TranscriptEvent[]>(cachedEvents.get(tabId) ?? []);
  const trpcClient = useTRPCClient();

  // A cold tab (or one the dashboard is still warming): its newest events first, through one
  // plain request started before the page's other requests; the stream starts after them.
  const [opening, setOpening] = useState(() => fetchFirst && !cache.has(tabId));
  useLayoutEffect(() => {
    if (!opening) return;
    let live = true;
    void warmTranscript(trpcClient, tabId).then(() => {
      if (!live) return;
      const warmed = cache.get(tabId);
      if (warmed && current.current.lastId === 0) {
        all.current = cachedEvents.get(tabId) ?? [];
        current.current = warmed;
        setTranscript(warmed);
      }
      setOpening(false);
    });
    return () => {
      live = false;
    };
  }, [opening, tabId, trpcClient]);

  // The resume point is fixed when the subscription starts; tRPC tracks it from then on.
  // A tab opened cold asks only for its newest events (whole turns); older ones load on demand.
  const input = useMemo(() => {
    if (opening) return skipToken;
    const startAt = cache.get(tabId)?.lastId ?? 0;
    return startAt > 0 ? { tabId, lastEventId: String(startAt) } : { tabId, lastEventId: null, tail: TAIL_EVENTS };
  }, [tabId, opening]);
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  const loadEarlier = async () => {
    const firstId = all.current[0]?.id;
    if (!firstId || loadingEarlier) return;
    setLoadingEarlier(true);
    try {
      const older = (await trpcClient.turns.earlier.query({
        tabId,
        beforeId: firstId,
        limit: TAIL_EVENTS,
      })) as unknown as TranscriptEvent[];
      if (older.length === 0) return;
      all.current = [...older, ...all.current];
      cachedEvents.set(tabId, all.current);
      const next = buildTranscript(all.current);
      current.current = next;
      remember(tabId, next);
      setTranscript(next);
    } finally {
      setLoadingEarlier(false);
    }
  };

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
    const last = all.current[all.current.length - 1]?.id ?? 0;
    for (const e of events) if (e.id > last) all.current.push(e);
    cachedEvents.set(tabId, all.current);
    current.current = next;
    remember(tabId, next);
    setTranscript(next);
  };

  const cancelScheduled = () => {
    const s = scheduled.current;
    if (s?.frame) cancelAnimationFrame(s.id);
    else if (s) window.clearTimeout(s.id);
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

  // The callbacks go to the hook itself, which calls the latest ones as the stream speaks (never
  // during render); subscriptionOptions would only copy them into the same object.
  useSubscription({
    ...trpc.turns.onEvent.subscriptionOptions(input),
    onStarted: () => {
      setStream("live");
      setStreamError(null);
    },
    onData: (envelope) => {
      // Each message is a batch of stored events (older bridges sent one event per message).
      const data = envelope.data as unknown as TranscriptEvent | TranscriptEvent[];
      if (Array.isArray(data) && data.length === 0) {
        // The bridge is caught up: show the backlog now, and stream live from here.
        bulkUntil.current = 0;
        cancelScheduled();
        flush();
        return;
      }
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
  });

  return { transcript, stream, streamError, loadEarlier, loadingEarlier };
}
