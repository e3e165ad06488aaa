import { EventEmitter } from "node:events";

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
  "notify": {
    kind: "turn-done" | "task-failed" | "document-done" | "run-done" | "run-paused";
    agentId: string;
    title: string;
    body: string;
    url: string;
  };
}

export type BusTopic = keyof BusEvents;

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
    /** Async iteration over a topic until the signal aborts (for subscriptions). */
    async *stream<T extends BusTopic>(topic: T, signal?: AbortSignal): AsyncGenerator<BusEvents[T]> {
      const queue: BusEvents[T][] = [];
      let wake: (() => void) | null = null;
      const off = this.subscribe(topic, (e) => {
        queue.push(e);
        wake?.();
      });
      const onAbort = () => wake?.();
      signal?.addEventListener("abort", onAbort);
      try {
        while (!signal?.aborted) {
          if (queue.length === 0) await new Promise<void>((r) => (wake = r));
          wake = null;
          while (queue.length > 0 && !signal?.aborted) yield queue.shift()!;
        }
      } finally {
        off();
        signal?.removeEventListener("abort", onAbort);
      }
    },
  };
}

export type Bus = ReturnType<typeof createBus>;
