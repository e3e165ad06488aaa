import { EventEmitter } from "node:events";

/** Everything services announce after their database commit. Listeners must not throw. */
import type { StoredEvent } from "../services/turns/event-writer";
import type { TunnelStatus } from "../services/tunnel/types";
import type { RunEvent } from "../../lib/autorun/run-events";
import type { StoredChatEvent } from "../../lib/groupchat/types";
import type { MissionLogEntry } from "../../lib/missions/types";

export interface BusEvents {
  "agents.changed": { agentId: string | null };
  /** Events of a turn, after their commit, in id order. */
  "turn.events": { agentId: string; tabId: string; turnId: string; events: StoredEvent[] };
  "tabs.changed": { agentId: string };
  /** `origin`: who started the turn; Auto Run, group chat and mission turns are reported by their services, not per turn. */
  "turn.status": { agentId: string; tabId: string; turnId: string; status: string; origin?: "user" | "autorun" | "groupchat" | "mission" };
  "devices.revoked": { sessionId: string };
  /** A share link was revoked: its open streams are cut. */
  "share.revoked": { shareId: string };
  "history.changed": { agentId: string | null };
  /** An Auto Run document was created, edited, ticked, renamed or deleted (`path` null: something in the folder). */
  "documents.changed": { agentId: string; path: string | null };
  /** The tunnel's state changed (started, URL known, restarting, failed, stopped). */
  "tunnel.status": TunnelStatus;
  /** An agent's git status (branch, ahead/behind, changed files) changed; the UI refetches it. */
  "git.changed": { agentId: string };
  /** A worktree agent's work was committed, pushed, offered as a pull request, or merged back. */
  "git.finished": { agentId: string; action: "commit" | "push" | "pr" | "merge"; url?: string | null };
  /** Auto Run state changed (progress, status); the UI refetches the run. */
  "autorun.changed": { agentId: string; runId: string };
  /**
   * What happened in a run (started, a document or task began or ended, a loop ended, paused,
   * ended), typed, after its commit; the source of the CLI's JSONL run events.
   */
  "autorun.event": RunEvent;
  /** A new worktree's setup script: its output as it comes (`chunk`), then its end. */
  "worktrees.setup": {
    agentId: string;
    status: "running" | "ok" | "failed";
    chunk: string | null;
    exitCode: number | null;
    error: string | null;
  };
  /**
   * Something a user wants to hear about even with the app closed (Web Push listens).
   * `url` is the in-app path that shows it.
   */
  notify: {
    kind: "turn-done" | "task-failed" | "document-done" | "run-done" | "run-paused" | "approval" | "groupchat" | "mission";
    agentId: string;
    title: string;
    body: string;
    url: string;
    /** kind "approval": the request, so a notification's Allow/Deny can answer it. */
    approvalId?: string;
    /** kind "approval": Allow/Deny actions are offered (a tool call; not a question). */
    actions?: boolean;
    /** The notification this one replaces (default: one per kind and agent); a group chat's is its chat. */
    tag?: string;
  };
  /** A group chat's stream: events just stored (in id order), for its open screens. */
  "groupchat.events": { chatId: string; events: StoredChatEvent[] };
  /** A group chat was made, changed, answered or deleted: the chat list refetches. */
  "groupchat.changed": { chatId: string };
  /** A mission's activity log: entries just stored (in id order), for Mission Control. */
  "missions.events": { missionId: string; entries: MissionLogEntry[] };
  /** A mission was made, changed (any row of it) or deleted: lists and views refetch. */
  "missions.changed": { missionId: string };
  /** An approval was opened or ended (answered, expired, cancelled); lists and badges refetch. */
  "approvals.changed": { agentId: string; turnId: string; approvalId: string; status: string };
}

export type BusTopic = keyof BusEvents;

export interface StreamOptions<E> {
  /** Ends the stream (quietly) and detaches it from the bus. */
  signal?: AbortSignal;
  /** Only events this accepts reach the reader. */
  filter?: (event: E) => boolean;
  /**
   * At most this many events wait for a reader that fell behind (a phone that stopped reading
   * holds its SSE writer, so the queue would otherwise grow for as long as it stays away).
   * Past it, everything queued but the newest event is dropped and `resync()` says so once: the
   * reader reads what it missed back from the store. Only for streams whose events are stored
   * (see `resumable`); without it the queue is unbounded.
   */
  maxQueued?: number;
}

/**
 * A live feed of one topic: an async iterator, plus `drain()` to take at once, without waiting,
 * everything already queued behind the event just read (so a reader that fell behind sends one
 * batch, not one message per event).
 */
export interface BusStream<E> extends AsyncIterableIterator<E> {
  drain(): E[];
  /** True once after `maxQueued` made the stream drop events: read them back from the store. */
  resync(): boolean;
  /** Events waiting to be read. */
  readonly queued: number;
}

/** The one in-process event bus. Typed publish/subscribe that returns a disposer. */
export function createBus() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish<T extends BusTopic>(topic: T, event: BusEvents[T]) {
      emitter.emit(topic, event);
    },
    /** Listeners attached to a topic now (leak checks: it returns to its baseline once readers leave). */
    listenerCount(topic: BusTopic): number {
      return emitter.listenerCount(topic);
    },
    subscribe<T extends BusTopic>(topic: T, listener: (event: BusEvents[T]) => void): () => void {
      emitter.on(topic, listener);
      return () => emitter.off(topic, listener);
    },
    /**
     * A topic as an async iterable until the signal aborts (for subscriptions). It is attached
     * to the bus when called, not when first read, so events published meanwhile (while a caller
     * reads a backlog, see `resumable`) wait in its queue instead of being missed.
     *
     * Not `events.on`: that queues every event of the topic for every reader and settles a
     * promise per event before any filter can look at it. With one stream per open tab and 20
     * agents streaming, that cost the bridge a fifth more CPU in bench:stream. Here the filter
     * runs in the listener, and only what it accepts is queued.
     */
    stream<T extends BusTopic>(topic: T, options: StreamOptions<BusEvents[T]> = {}): BusStream<BusEvents[T]> {
      return createStream(emitter, topic, options);
    },
  };
}

function createStream<E>(emitter: EventEmitter, topic: string, { signal, filter, maxQueued }: StreamOptions<E>): BusStream<E> {
  let queue: E[] = [];
  let head = 0;
  let wake: (() => void) | null = null;
  let ended = false;
  let dropped = false;
  const listener = (event: E) => {
    if (filter && !filter(event)) return;
    queue.push(event);
    if (maxQueued !== undefined && queue.length - head > maxQueued) {
      // The newest stays queued so a reader waiting in `next()` after the drop still wakes
      // (and resyncs) even if nothing else is ever published.
      queue = [event];
      head = 0;
      dropped = true;
    }
    const w = wake;
    wake = null;
    w?.();
  };
  const end = () => {
    if (ended) return;
    ended = true;
    emitter.off(topic, listener);
    signal?.removeEventListener("abort", end);
    queue = [];
    head = 0;
    const w = wake;
    wake = null;
    w?.();
  };
  if (signal?.aborted) ended = true;
  else {
    emitter.on(topic, listener);
    signal?.addEventListener("abort", end, { once: true });
  }
  const take = (): E | undefined => {
    if (head >= queue.length) return undefined;
    const event = queue[head++]!;
    if (head === queue.length) {
      queue = [];
      head = 0;
    }
    return event;
  };
  const it: BusStream<E> = {
    async next() {
      while (!ended && head >= queue.length) await new Promise<void>((r) => (wake = r));
      if (ended) return { done: true, value: undefined };
      return { done: false, value: take()! };
    },
    return() {
      end();
      return Promise.resolve({ done: true, value: undefined });
    },
    drain() {
      const rest = ended ? [] : queue.slice(head);
      queue = [];
      head = 0;
      return rest;
    },
    resync() {
      const was = dropped;
      dropped = false;
      return was;
    },
    get queued() {
      return queue.length - head;
    },
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}

export type Bus = ReturnType<typeof createBus>;
