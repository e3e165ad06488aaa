"use client";

import { parseQueue, type QueuedMessage } from "@/lib/transcript/queue";
import { readStored, storageKeys, writeStored } from "../ui/storage";

/**
 * Durable storage for the per-tab message queues: IndexedDB (one record per tab, the whole
 * ordered list, written in one transaction), so prompts typed offline or while the agent is busy
 * survive reloads, crashes and the bridge being away. A tiny promise wrapper, no dependency.
 * Where IndexedDB is unavailable it falls back to localStorage (what older versions used; their
 * queues are moved over on first read). Other windows hear about writes on a BroadcastChannel.
 */
const DB_NAME = "maestro-queue";
const STORE = "queues";
const CHANNEL = "maestro.queue";

let dbPromise: Promise<IDBDatabase | null> | null = null;

function openDb(): Promise<IDBDatabase | null> {
  dbPromise ??= new Promise((resolve) => {
    // A browser that never answers (seen with some private modes) must not hold the queue hostage.
    const timer = setTimeout(() => resolve(null), 3000);
    const done = (db: IDBDatabase | null) => {
      clearTimeout(timer);
      resolve(db);
    };
    try {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => done(req.result);
      req.onerror = () => done(null);
      req.onblocked = () => done(null);
    } catch {
      done(null);
    }
  });
  return dbPromise;
}

function request<T>(db: IDBDatabase, mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = run(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req.result);
    const failed = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
    tx.onerror = failed;
    tx.onabort = failed;
  });
}

function legacyRead(tabId: string): string | null {
  return readStored(storageKeys.legacyQueue(tabId));
}

function legacyWrite(tabId: string, items: QueuedMessage[]) {
  writeStored(storageKeys.legacyQueue(tabId), items.length ? JSON.stringify(items) : null);
}

const origin = typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : String(Math.random());
let channel: BroadcastChannel | null = null;
function getChannel(): BroadcastChannel | null {
  if (typeof BroadcastChannel === "undefined") return null;
  channel ??= new BroadcastChannel(CHANNEL);
  return channel;
}

/** The stored queue of a tab, in order. */
export async function loadQueue(tabId: string): Promise<QueuedMessage[]> {
  const db = await openDb();
  const legacy = parseQueue(legacyRead(tabId));
  if (!db) return legacy;
  const stored = parseQueue(JSON.stringify((await request(db, "readonly", (s) => s.get(tabId))) ?? []));
  if (legacy.length === 0) return stored;
  // Move a queue left in localStorage by an older version over, after what is already here.
  const merged = [...stored, ...legacy.filter((m) => !stored.some((x) => x.id === m.id))];
  await saveQueue(tabId, merged);
  writeStored(storageKeys.legacyQueue(tabId), null);
  return merged;
}

/** Replaces a tab's queue (an empty list deletes it) and tells other windows. */
export async function saveQueue(tabId: string, items: QueuedMessage[]): Promise<void> {
  const db = await openDb();
  if (!db) legacyWrite(tabId, items);
  else if (items.length) await request(db, "readwrite", (s) => s.put(items, tabId));
  else await request(db, "readwrite", (s) => s.delete(tabId));
  getChannel()?.postMessage({ tabId, from: origin });
}

/** Calls back when another window changed a tab's queue. */
export function onQueueChange(listener: (tabId: string) => void): () => void {
  const ch = getChannel();
  if (!ch) return () => {};
  const handler = (e: MessageEvent<{ tabId?: string; from?: string }>) => {
    if (e.data?.tabId && e.data.from !== origin) listener(e.data.tabId);
  };
  ch.addEventListener("message", handler);
  return () => ch.removeEventListener("message", handler);
}
