"use client";

import { queueKey } from "@/lib/transcript/queue";

declare const stored: unique symbol;
/** A localStorage key made by `storageKeys` (a plain string is refused, so every key is listed here). */
export type StorageKey = string & { readonly [stored]: true };

const key = (k: string) => k as StorageKey;

/**
 * Every localStorage key the client uses, in one place. Per-tab and per-agent keys carry the
 * id; the names are what older versions wrote, so nothing stored is lost.
 */
export const storageKeys = {
  /** The composer's unsent text. */
  draft: (tabId: string) => key(`maestro.draft.${tabId}`),
  /** The turn this device stopped: the queue waits after it until the user says go. */
  queuePausedAfter: (tabId: string) => key(`maestro.queuePausedAfter.${tabId}`),
  /** A tab's message queue as older versions kept it (now in IndexedDB; moved over on read). */
  legacyQueue: (tabId: string) => key(queueKey(tabId)),
  /** The tab an agent opens on, on this device. */
  lastTab: (agentId: string) => key(`maestro.lastTab.${agentId}`),
  /** The command terminal's font size. */
  terminalFontSize: key("maestro.terminalFontSize"),
  /** The dashboard's Ungrouped section is collapsed ("1"). */
  ungroupedCollapsed: key("maestro.ungroupedCollapsed"),
} as const;

/** The stored value, or null (absent, private mode, no window). */
export function readStored(k: StorageKey): string | null {
  try {
    return window.localStorage.getItem(k);
  } catch {
    return null;
  }
}

/** Stores a value; null removes it. Storage that refuses (private mode, full) is ignored. */
export function writeStored(k: StorageKey, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(k);
    else window.localStorage.setItem(k, value);
  } catch {
    /* private mode or full: the value still lives for this page's life */
  }
}
