import type { AgentEvent } from "../../../lib/providers/events";
import type { Db } from "../../db";

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
    };

export type StreamItem = AgentEvent | TurnMarker;

export function toStored(row: { id: number; turnId: string; type: string; payload: string; createdAt: Date }): StoredEvent {
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(row.payload);
  } catch {
    /* a row we wrote ourselves; cannot happen short of disk corruption */
  }
  return { id: row.id, turnId: row.turnId, type: row.type, data, at: row.createdAt.toISOString() };
}

/**
 * Batches a turn's events into short transactions (every few ms or every N events) and hands the
 * stored rows, with their ids, to `onCommitted` after each commit — never before, so a client
 * can never see an id that is not in the database. Writes are serialized in order.
 */
export function createEventWriter(
  db: Db,
  turnId: string,
  onCommitted: (events: StoredEvent[]) => void,
  options: { flushMs?: number; maxBatch?: number } = {},
) {
  const flushMs = options.flushMs ?? 8;
  const maxBatch = options.maxBatch ?? 256;
  let queue: StreamItem[] = [];
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown = null;

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (queue.length === 0) return chain;
    const batch = queue;
    queue = [];
    chain = chain.then(async () => {
      try {
        const rows = await db.event.createManyAndReturn({
          data: batch.map((e) => {
            const { type, ...rest } = e;
            return { turnId, type, payload: JSON.stringify(rest) };
          }),
        });
        onCommitted(rows.sort((a, b) => a.id - b.id).map(toStored));
      } catch (err) {
        failure = err;
      }
    });
    return chain;
  }

  return {
    push(event: StreamItem) {
      queue.push(event);
      if (queue.length >= maxBatch) void flush();
      else if (!timer) timer = setTimeout(() => void flush(), flushMs);
    },
    /** Writes whatever is queued and waits for every write so far. */
    async close(): Promise<void> {
      await flush();
      if (failure) throw failure;
    },
  };
}
