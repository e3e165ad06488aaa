"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import {
  editQueued,
  enqueue,
  moveQueued,
  parseQueue,
  queueKey,
  removeQueued,
  type QueuedMessage,
} from "@/lib/transcript/queue";

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

const newId = () => (typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

export interface MessageQueue {
  items: QueuedMessage[];
  add: (text: string) => void;
  addFront: (text: string) => void;
  remove: (id: string) => void;
  edit: (id: string, text: string) => void;
  move: (id: string, by: -1 | 1) => void;
  /** The latest items, for callbacks that run after a render. */
  current: () => QueuedMessage[];
}

/**
 * Messages waiting for the tab to be free, kept in localStorage per tab so a reload (or a
 * crash, or the bridge being away) loses none; other windows of this browser stay in sync.
 */
export function useMessageQueue(tabId: string): MessageQueue {
  const key = queueKey(tabId);
  const [items, setItems] = useState<QueuedMessage[]>(() => (typeof window === "undefined" ? [] : parseQueue(read(key))));
  const ref = useRef(items);
  ref.current = items;

  const update = useCallback(
    (fn: (q: QueuedMessage[]) => QueuedMessage[]) => {
      const next = fn(ref.current);
      ref.current = next;
      write(key, next.length ? JSON.stringify(next) : null);
      setItems(next);
    },
    [key],
  );

  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key !== key) return;
      const next = parseQueue(e.newValue);
      ref.current = next;
      setItems(next);
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, [key]);

  return {
    items,
    add: useCallback((text: string) => update((q) => enqueue(q, text, newId(), Date.now())), [update]),
    addFront: useCallback((text: string) => update((q) => [...enqueue([], text, newId(), Date.now()), ...q]), [update]),
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
