import { EventEmitter, on } from "node:events";

/** Everything services announce after their database commit. Listeners must not throw. */
import type { StoredEvent } from "../services/turns/event-writer";
import type { TunnelStatus } from "../services/tunnel/types";

export interface BusEvents {
  "agents.changed": { agentId: string | null };
  /** Events of a turn, after their commit, in id order. */
  "turn.events": { agentId: string; tabId: string; turnId: string; events: StoredEvent[] };
  "tabs.changed": { agentId: string };
  /** `origin`: who started the turn; Auto Run turns are reported by the runner, not per turn. */
  "turn.status": { agentId: string; tabId: string; turnId: string; status: string; origin?: "user" | "autorun" };
  "devices.revoked": { sessionId: string };
  /** A share link was revoked: its open streams are cut. */
  "share.revoked": { shareId: string };
  "history.changed": { agentId: string | null };
  /** An Auto Run document was created, edited, ticked, renamed or deleted (`path` null: something in the folder). */
  "documents.changed": { agentId: string; path: string | null };
  /** The tunnel's state changed (started, URL known, restarting, failed, stopped). */
  "tunnel.status": TunnelStatus;
  /** Auto Run state changed (progress, status); the UI refetches the run. */
  "autorun.changed": { agentId: string; runId: string };
  /**
   * Something a user wants to hear about even with the app closed (Web Push listens).
   * `url` is the in-app path that shows it.
   */
  notify: {
    kind: "turn-done" | "task-failed" | "document-done" | "run-done" | "run-paused";
    agentId: string;
    title: string;
    body: string;
    url: string;
  };
}

export type BusTopic = keyof BusEvents;

export interface StreamOptions<E> {
  /** Ends the stream (quietly) and detaches it from the bus. */
  signal?: AbortSignal;
  /** Only events this accepts reach the reader. */
  filter?: (event: E) => boolean;
}

/** The one in-process event bus. Typed publish/subscribe that returns a disposer. */
export function createBus() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish<T extends BusTopic>(topic: T, event: BusEvents[T]) {
      emitter.emit(topic, event);
    },
    subscribe<T extends BusTopic>(topic: T, listener: (event: BusEvents[T]) => void): () => void {
      emitter.on(topic, listener);
      return () => emitter.off(topic, listener);
    },
    /**
     * A topic as an async iterable until the signal aborts (for subscriptions). It is attached
     * to the bus when called, not when first read, so events published meanwhile (while a caller
     * reads a backlog, see `resumable`) wait in its queue instead of being missed.
     */
    stream<T extends BusTopic>(topic: T, options: StreamOptions<BusEvents[T]> = {}): AsyncIterableIterator<BusEvents[T]> {
      const { signal, filter } = options;
      if (signal?.aborted) return ended();
      return unwrap<BusEvents[T]>(on(emitter, topic, { signal }), filter);
    },
  };
}

function ended<E>(): AsyncIterableIterator<E> {
  const it: AsyncIterableIterator<E> = {
    next: () => Promise.resolve({ done: true, value: undefined }),
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}

/**
 * `events.on` yields each call's argument list and rejects with AbortError on abort; a reader
 * wants the event and a quiet end. A plain iterator, not a generator, so `return()` detaches
 * from the bus even before the first read (a generator's would skip its unstarted body).
 */
function unwrap<E>(source: AsyncIterableIterator<unknown[]>, filter?: (event: E) => boolean): AsyncIterableIterator<E> {
  const it: AsyncIterableIterator<E> = {
    async next() {
      try {
        for (;;) {
          const r = await source.next();
          if (r.done) return { done: true, value: undefined };
          const event = r.value[0] as E;
          if (!filter || filter(event)) return { done: false, value: event };
        }
      } catch (err) {
        if ((err as Error)?.name === "AbortError") return { done: true, value: undefined };
        throw err;
      }
    },
    async return() {
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}

export type Bus = ReturnType<typeof createBus>;
