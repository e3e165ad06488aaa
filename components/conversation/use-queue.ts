"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { editQueued, enqueue, moveQueued, removeQueued, type QueuedMessage } from "@/lib/transcript/queue";
import { loadQueue, onQueueChange, saveQueue } from "./queue-store";

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null) {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    /* private mode or full: the queue still works for this page's life */
  }
}

/** A message id the bridge accepts as a client id (letters, digits, - _ .), also without randomUUID (plain-http LAN). */
export const newId = () =>
  typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

export interface MessageQueue {
  items: QueuedMessage[];
  /** The stored queue has been read (until then nothing is sent, so order holds). */
  ready: boolean;
  add: (text: string) => void;
  /** Puts a message first; `id` keeps the id of a send that may have reached the bridge. */
  addFront: (text: string, id?: string) => void;
  remove: (id: string) => void;
  edit: (id: string, text: string) => void;
  move: (id: string, by: -1 | 1) => void;
  /** The latest items, for callbacks that run after a render. */
  current: () => QueuedMessage[];
}

/**
 * Messages waiting for the tab to be free or the bridge to be reachable, kept in IndexedDB per
 * tab so a reload, a crash or going offline loses none; other windows stay in sync.
 */
export function useMessageQueue(tabId: string): MessageQueue {
  const [items, setItems] = useState<QueuedMessage[]>([]);
  const [ready, setReady] = useState(false);
  const ref = useRef(items);
  ref.current = items;
  const loaded = useRef(false);

  const update = useCallback(
    (fn: (q: QueuedMessage[]) => QueuedMessage[]) => {
      const next = fn(ref.current);
      ref.current = next;
      setItems(next);
      // Before the stored queue is read, writing would replace it: the load merges and saves instead.
      if (!loaded.current) return;
      void saveQueue(tabId, next).catch(() => {
        /* storage refused: the queue still works for this page's life */
      });
    },
    [tabId],
  );

  useEffect(() => {
    let cancelled = false;
    loaded.current = false;
    setReady(false);
    const load = (first: boolean) =>
      loadQueue(tabId)
        .catch(() => [] as QueuedMessage[])
        .then((stored) => {
          if (cancelled) return;
          // Anything typed before the stored queue was read goes after it.
          const early = first ? ref.current.filter((m) => !stored.some((s) => s.id === m.id)) : [];
          const next = [...stored, ...early];
          ref.current = next;
          loaded.current = true;
          setItems(next);
          setReady(true);
          if (early.length) void saveQueue(tabId, next).catch(() => {});
        });
    void load(true);
    const off = onQueueChange((changed) => changed === tabId && void load(false));
    return () => {
      cancelled = true;
      off();
    };
  }, [tabId]);

  return {
    items,
    ready,
    add: useCallback((text: string) => update((q) => enqueue(q, text, newId(), Date.now())), [update]),
    addFront: useCallback((text: string, id?: string) => update((q) => [...enqueue([], text, id ?? newId(), Date.now()), ...q.filter((m) => m.id !== id)]), [update]),
    remove: useCallback((id: string) => update((q) => removeQueued(q, id)), [update]),
    edit: useCallback((id: string, text: string) => update((q) => editQueued(q, id, text)), [update]),
    move: useCallback((id: string, by: -1 | 1) => update((q) => moveQueued(q, id, by)), [update]),
    current: useCallback(() => ref.current, []),
  };
}

/** The unsent text of the composer, per tab, so a reload or a tab switch keeps it. */
export function useDraft(tabId: string): [string, (v: string) => void] {
  const key = `maestro.draft.${tabId}`;
  const [value, setValue] = useState(() => (typeof window === "undefined" ? "" : (read(key) ?? "")));
  const timer = useRef<number | null>(null);
  const latest = useRef(value);

  useEffect(
    () => () => {
      if (timer.current !== null) {
        window.clearTimeout(timer.current);
        write(key, latest.current ? latest.current : null);
      }
    },
    [key],
  );

  const set = useCallback(
    (v: string) => {
      latest.current = v;
      setValue(v);
      if (timer.current !== null) window.clearTimeout(timer.current);
      // An emptied box (sent) is written at once; typing is written when it pauses.
      if (!v) {
        timer.current = null;
        write(key, null);
        return;
      }
      timer.current = window.setTimeout(() => {
        timer.current = null;
        write(key, latest.current || null);
      }, 300);
    },
    [key],
  );
  return [value, set];
}

/** A small string kept in localStorage (null removes it). */
export function useStoredString(key: string): [string | null, (v: string | null) => void] {
  const [value, setValue] = useState<string | null>(() => (typeof window === "undefined" ? null : read(key)));
  const set = useCallback(
    (v: string | null) => {
      write(key, v);
      setValue(v);
    },
    [key],
  );
  return [value, set];
}
