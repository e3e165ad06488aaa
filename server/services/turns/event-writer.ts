import type { AgentEvent } from "../../../lib/providers/events";
import type { FastDb } from "../../db/fast";

/** Where batches of events are stored (the fast path's "Event" inserts). */
type EventInserter = Pick<FastDb["events"], "insert">;

/** An event as stored and streamed: the durable id is the resume point for clients. */
export interface StoredEvent {
  id: number;
  turnId: string;
  type: string;
  data: Record<string, unknown>;
  at: string;
}

/** Maestro's own events in the same stream: a turn's prompt and its end. */
export type TurnMarker =
  | { type: "prompt"; prompt: string; images: number }
  | {
      type: "turn_end";
      status: "done" | "error" | "stopped";
      durationMs: number;
      inputTokens: number;
      outputTokens: number;
      costUsd: number;
      error?: string;
      /** Files that differ between the working-tree snapshots around the turn; absent: no record. */
      filesChanged?: number;
    };

export type StreamItem = AgentEvent | TurnMarker;

export function toStored(row: { id: number; turnId: string; type: string; payload: string; createdAt: Date }): StoredEvent {
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(row.payload) as Record<string, unknown>;
  } catch {
    /* a row we wrote ourselves; cannot happen short of disk corruption */
  }
  return { id: row.id, turnId: row.turnId, type: row.type, data, at: row.createdAt.toISOString() };
}

/**
 * One writer for every running turn: events are queued with the time they happened and written
 * in short shared transactions (every few ms, or sooner when many are waiting), so twenty busy
 * agents cost one INSERT per tick, not twenty. Each turn's rows, with their ids, go to that
 * turn's `onCommitted` after the commit — never before, so a client can never see an id that
 * is not in the database. Writes are serialized in order.
 */
export function createEventStore(inserter: EventInserter, options: { flushMs?: number; maxBatch?: number } = {}) {
  const flushMs = options.flushMs ?? 4;
  const maxBatch = options.maxBatch ?? 1000;
  type Queued = { turnId: string; event: StreamItem; at: Date };
  const sinks = new Map<string, { onCommitted: (events: StoredEvent[]) => void; failure: Error | null }>();
  let queue: Queued[] = [];
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (queue.length === 0) return chain;
    const batch = queue;
    queue = [];
    chain = chain.then(() => {
      try {
        const data = batch.map(({ event }) => {
          const { type: _type, ...rest } = event;
          return rest;
        });
        const rows = inserter.insert(
          batch.map(({ turnId, event, at }, i) => ({ turnId, type: event.type, payload: JSON.stringify(data[i]), createdAt: at })),
        );
        // Rows come back in the order given, ids ascending. Each stored event carries the object
        // just written rather than a parse of its JSON (the same fields: events hold plain JSON
        // values), and one ISO string per millisecond: at twenty busy agents both were a
        // measurable share of the bridge's streaming CPU.
        const byTurn = new Map<string, StoredEvent[]>();
        let lastMs = NaN;
        let lastIso = "";
        rows.forEach((row, i) => {
          const ms = row.createdAt.getTime();
          if (ms !== lastMs) {
            lastMs = ms;
            lastIso = row.createdAt.toISOString();
          }
          const list = byTurn.get(row.turnId) ?? [];
          list.push({ id: row.id, turnId: row.turnId, type: row.type, data: data[i]!, at: lastIso });
          byTurn.set(row.turnId, list);
        });
        for (const [turnId, events] of byTurn) sinks.get(turnId)?.onCommitted(events);
      } catch (err) {
        for (const { turnId } of batch) {
          const sink = sinks.get(turnId);
          if (sink) sink.failure ??= err instanceof Error ? err : new Error(String(err));
        }
      }
    });
    return chain;
  }

  return {
    /** A turn's handle on the shared writer. */
    writer(turnId: string, onCommitted: (events: StoredEvent[]) => void) {
      const sink = { onCommitted, failure: null as Error | null };
      sinks.set(turnId, sink);
      return {
        push(event: StreamItem) {
          // Each event keeps the time it happened (was read from the CLI), not when its batch was written.
          queue.push({ turnId, event, at: new Date() });
          if (queue.length >= maxBatch) void flush();
          else if (!timer) timer = setTimeout(() => void flush(), flushMs);
        },
        /** Writes whatever is queued and waits for it; throws if any write of this turn failed. */
        async close(): Promise<void> {
          await flush();
          sinks.delete(turnId);
          if (sink.failure) throw sink.failure;
        },
      };
    },
  };
}

export type EventStore = ReturnType<typeof createEventStore>;
