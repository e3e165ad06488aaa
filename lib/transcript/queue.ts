/**
 * The per-tab queue of messages typed while a turn runs (or while the bridge is unreachable):
 * sent one by one, in order, when the tab is free. Pure list operations plus a tolerant
 * parser for what localStorage holds.
 */
export interface QueuedMessage {
  id: string;
  text: string;
  /** epoch ms */
  at: number;
}

export const QUEUE_LIMIT = 50;

export function queueKey(tabId: string): string {
  return `maestro.queue.${tabId}`;
}

/** A stored message as found: `at` may be missing (older versions) or anything. */
interface StoredMessage {
  id: string;
  text: string;
  at?: unknown;
}

function isStoredMessage(m: unknown): m is StoredMessage {
  if (!m || typeof m !== "object") return false;
  const { id, text } = m as Record<string, unknown>;
  return typeof id === "string" && typeof text === "string" && text.trim() !== "";
}

/** Reads a stored queue; anything malformed is dropped, never thrown. */
export function parseQueue(raw: string | null): QueuedMessage[] {
  if (!raw) return [];
  try {
    const v: unknown = JSON.parse(raw);
    if (!Array.isArray(v)) return [];
    return (v as unknown[])
      .filter(isStoredMessage)
      .map((m) => ({ id: m.id, text: m.text, at: typeof m.at === "number" ? m.at : 0 }))
      .slice(0, QUEUE_LIMIT);
  } catch {
    return [];
  }
}

export function enqueue(q: readonly QueuedMessage[], text: string, id: string, at: number): QueuedMessage[] {
  if (!text.trim()) return q.slice();
  return [...q, { id, text, at }].slice(-QUEUE_LIMIT);
}

export function removeQueued(q: readonly QueuedMessage[], id: string): QueuedMessage[] {
  return q.filter((m) => m.id !== id);
}

/** Replaces a message's text; an emptied message leaves the queue. */
export function editQueued(q: readonly QueuedMessage[], id: string, text: string): QueuedMessage[] {
  if (!text.trim()) return removeQueued(q, id);
  return q.map((m) => (m.id === id ? { ...m, text } : m));
}

/** Moves a message up (-1) or down (+1); out-of-range moves change nothing. */
export function moveQueued(q: readonly QueuedMessage[], id: string, by: -1 | 1): QueuedMessage[] {
  const i = q.findIndex((m) => m.id === id);
  const j = i + by;
  if (i < 0 || j < 0 || j >= q.length) return q.slice();
  const next = q.slice();
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}
