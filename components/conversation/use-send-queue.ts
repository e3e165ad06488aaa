"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import {
  canAutoSend,
  initialSendState,
  sendReducer,
  type SendEffect,
  type SendEvent,
  type SendRequest,
  type SendState,
  type SendWorld,
} from "@/lib/conversation/send-queue";
import type { QueuedMessage } from "@/lib/transcript/queue";
import { useTRPC } from "@/lib/trpc/client";
import { readStored, storageKeys, writeStored } from "../ui/storage";
import { readError } from "../ui/trpc-error";
import { loadQueue, onQueueChange, saveQueue } from "./queue-store";

/** The queue as the queue panel edits it. */
export interface MessageQueue {
  items: QueuedMessage[];
  remove: (id: string) => void;
  edit: (id: string, text: string) => void;
  move: (id: string, by: -1 | 1) => void;
}

/** What the effects need from the component, read at the time they run. */
export interface SendQueueHost {
  setDraft: (text: string) => void;
  clearAttachments: () => void;
  stop: () => void;
  newTab: () => void;
}

/**
 * One tab's send policy (lib/conversation/send-queue.ts) wired to the world: the bridge
 * (`turns.send`, the overview), the stored queue (IndexedDB, other windows), the paused-after
 * marker (localStorage) and timers. The component dispatches events; this runs the effects.
 */
export function useSendQueue(tabId: string, world: SendWorld, host: SendQueueHost) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // `mutate` is stable for the life of the component (unlike the mutation's result object).
  const { mutate: sendTurn } = useMutation(trpc.turns.send.mutationOptions());
  const [state, setState] = useState<SendState>(() =>
    initialSendState({ stoppedAfter: typeof window === "undefined" ? null : readStored(storageKeys.queuePausedAfter(tabId)), world }),
  );
  const ref = useRef(state);
  const hostRef = useRef(host);
  hostRef.current = host;
  const timers = useRef(new Set<number>());
  const alive = useRef(true);

  // Runs the reducer, then the effects it asks for (which may dispatch again). Everything it
  // reads besides `tabId` is a ref or stable, so it changes only with the tab.
  const dispatch = useMemo(() => {
    function dispatch(event: SendEvent) {
      const { state: next, effects } = sendReducer(ref.current, event);
      if (next !== ref.current) {
        ref.current = next;
        setState(next);
      }
      for (const effect of effects) run(effect);
    }

    function run(effect: SendEffect) {
      switch (effect.type) {
        case "send":
          return sendRequest(effect.request);
        case "save-queue":
          return void saveQueue(tabId, effect.items).catch(() => {
            /* storage refused: the queue still works for this page's life */
          });
        case "save-stopped-after":
          return writeStored(storageKeys.queuePausedAfter(tabId), effect.turnId);
        case "set-draft":
          return hostRef.current.setDraft(effect.text);
        case "clear-attachments":
          return hostRef.current.clearAttachments();
        case "retry-later": {
          const t = window.setTimeout(() => {
            timers.current.delete(t);
            if (alive.current) dispatch({ type: "retry" });
          }, effect.ms);
          timers.current.add(t);
          return;
        }
        case "refresh-overview":
          return void queryClient.invalidateQueries(trpc.turns.overview.queryFilter({ tabId }));
        case "stop":
          return hostRef.current.stop();
        case "new-tab":
          return hostRef.current.newTab();
      }
    }

    function sendRequest(request: SendRequest) {
      sendTurn(
        { tabId, prompt: request.text, images: request.images?.length ? request.images : undefined, clientId: request.clientId },
        {
          onSuccess: ({ turnId }) => dispatch({ type: "send-ok", send: request, turnId }),
          onError: (err) => dispatch({ type: "send-failed", send: request, failure: readError(err), now: Date.now() }),
        },
      );
    }

    return dispatch;
  }, [tabId, sendTurn, queryClient, trpc]);

  useEffect(() => {
    alive.current = true;
    const pending = timers.current;
    return () => {
      alive.current = false;
      for (const t of pending) window.clearTimeout(t);
      pending.clear();
    };
  }, []);

  // The world changes before the user can act on what they see.
  const { running, down, caughtUp, lastTurn, hasImages } = world;
  const lastId = lastTurn?.id ?? null;
  const lastStatus = lastTurn?.status ?? null;
  useLayoutEffect(() => {
    dispatch({
      type: "world",
      world: { running, down, caughtUp, hasImages, lastTurn: lastId === null ? null : { id: lastId, status: lastStatus ?? "" } },
    });
  }, [dispatch, running, down, caughtUp, hasImages, lastId, lastStatus]);

  // The stored queue: read once, and again when another window changes it.
  useEffect(() => {
    let cancelled = false;
    const load = (first: boolean) =>
      loadQueue(tabId)
        .catch(() => [] as QueuedMessage[])
        .then((items) => {
          if (!cancelled) dispatch({ type: "queue-loaded", items, first });
        });
    void load(true);
    const off = onQueueChange((changed) => changed === tabId && void load(false));
    return () => {
      cancelled = true;
      off();
    };
  }, [tabId, dispatch]);

  // Queued messages go out one by one, in order, whenever the tab is free.
  const autoSend = canAutoSend(state);
  useEffect(() => {
    if (!autoSend) return;
    let cancelled = false;
    const check = async () => {
      try {
        // Ask the bridge, not just our stream: another device may have started a turn.
        const { running } = await queryClient.fetchQuery(trpc.turns.overview.queryOptions({ tabId }, { staleTime: 0 }));
        if (cancelled) return;
        dispatch(running ? { type: "queue-blocked" } : { type: "queue-due", now: Date.now() });
      } catch {
        if (!cancelled) dispatch({ type: "queue-blocked" });
      }
    };
    const t = window.setTimeout(() => void check(), 350);
    return () => {
      cancelled = true;
      window.clearTimeout(t);
    };
  }, [autoSend, state.retryTick, queryClient, trpc, tabId, dispatch]);

  // Notices are news, not state: they go after a while.
  const notice = state.notice;
  useEffect(() => {
    if (!notice) return;
    const t = window.setTimeout(() => dispatch({ type: "dismiss-notice" }), 8000);
    return () => window.clearTimeout(t);
  }, [notice, dispatch]);

  const queue = useMemo<MessageQueue>(
    () => ({
      items: state.queue,
      remove: (id) => dispatch({ type: "queue-remove", id }),
      edit: (id, text) => dispatch({ type: "queue-edit", id, text }),
      move: (id, by) => dispatch({ type: "queue-move", id, by }),
    }),
    [state.queue, dispatch],
  );

  return { state, dispatch, queue };
}
