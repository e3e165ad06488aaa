/**
 * What a tab's composer does with a message: send it now, queue it (the tab is busy, the
 * bridge is away, or older messages wait), retry, or refuse it (images can't wait in the
 * queue). A pure reducer, `(state, event) → { state, effects }`: the component dispatches
 * events (the user sent, a send answered, the world changed) and runs the effects (call the
 * bridge, save the queue, put the text back in the box, try again later). Ids and clocks come
 * in with the events, so the same events always give the same result.
 */
import { BUILTIN_COMMANDS, parseSlash } from "../prompts/slash";
import { SPEC_COMMAND } from "../prompts/spec";
import { editQueued, enqueue, moveQueued, removeQueued, type QueuedMessage } from "../transcript/queue";

export interface SendError {
  message: string;
  hint?: string;
}

/** What a failed send tells us (a tRPC error, read on the client). */
export interface SendFailure {
  message: string;
  hint?: string;
  code?: string;
  /** The request never got an answer (bridge down, network gone). */
  network: boolean;
}

/** The message on its way: shown as the optimistic prompt until the stream shows its turn. */
export interface Pending {
  text: string;
  /** ISO time it was sent. */
  at: string;
  clientId: string;
  /** Set when it came from the queue. */
  queuedId?: string;
  /** Set once the bridge answered with the turn it started. */
  turnId?: string;
}

/** The facts about the tab the reducer does not own: the stream, the connection, the images. */
export interface SendWorld {
  /** A turn is running in the transcript. */
  running: boolean;
  /** The bridge is unreachable. */
  down: boolean;
  /** The tab's backlog has arrived, so "not running" is the truth, not "not loaded yet". */
  caughtUp: boolean;
  /** The newest turn of the transcript. */
  lastTurn: { id: string; status: string } | null;
  /** Images are attached in the composer. */
  hasImages: boolean;
}

export interface SendState {
  queue: QueuedMessage[];
  /** The stored queue has been read (until then nothing is sent, so order holds). */
  ready: boolean;
  pending: Pending | null;
  error: SendError | null;
  /** News, not state: the component lets it go after a while. */
  notice: string | null;
  /** Why the message with images did not go (it stays in the box). */
  attachNote: string | null;
  /** A queued message failed for good: the queue waits for "Retry queue". */
  queueFailed: boolean;
  /** The turn this device stopped: the queue waits after it until the user says go (persisted). */
  stoppedAfter: string | null;
  /** Bumped to try the queue again (after a busy bridge or a lost answer). */
  retryTick: number;
  world: SendWorld;
}

/** The images attached in the composer when the user sends. */
export interface SendAttachments {
  ids: string[];
  uploading: boolean;
  failed: boolean;
}

export type SendEvent =
  /** The user sent the composer's text. `id` is a fresh client id, `now` epoch ms. */
  | { type: "submit"; text: string; attachments: SendAttachments; id: string; now: number }
  | { type: "world"; world: SendWorld }
  /** The stored queue was read: first on mount, later when another window changed it. */
  | { type: "queue-loaded"; items: QueuedMessage[]; first: boolean }
  | { type: "queue-remove"; id: string }
  | { type: "queue-edit"; id: string; text: string }
  | { type: "queue-move"; id: string; by: -1 | 1 }
  /** The bridge says the tab is free: the head of the queue goes out. */
  | { type: "queue-due"; now: number }
  /** The bridge says a turn runs (or could not be asked): try again later. */
  | { type: "queue-blocked" }
  | { type: "retry" }
  | { type: "send-ok"; send: SendRequest; turnId: string }
  | { type: "send-failed"; send: SendRequest; failure: SendFailure; now: number }
  /** The stream shows a turn (the optimistic prompt gives way to it). */
  | { type: "turn-seen"; turnId: string }
  | { type: "stopped-here"; turnId: string }
  | { type: "stop-failed"; message: string }
  /** "Resume queue" / "Retry queue". */
  | { type: "resume" }
  /** The user edited the composer's text. */
  | { type: "typed" }
  | { type: "attachments-added" }
  | { type: "dismiss-notice" };

/** One call of `turns.send`. `clientId` is the same on every attempt, so the bridge recognises a resend. */
export interface SendRequest {
  text: string;
  clientId: string;
  queuedId?: string;
  images?: string[];
}

export type SendEffect =
  | { type: "send"; request: SendRequest }
  | { type: "save-queue"; items: QueuedMessage[] }
  | { type: "save-stopped-after"; turnId: string | null }
  /** Put text back in the composer ("" empties it). */
  | { type: "set-draft"; text: string }
  | { type: "clear-attachments" }
  /** Dispatch `retry` after `ms`. */
  | { type: "retry-later"; ms: number }
  /** The tab's overview (turn count, running) is stale. */
  | { type: "refresh-overview" }
  | { type: "stop" }
  | { type: "new-tab" };

export interface SendResult {
  state: SendState;
  effects: SendEffect[];
}

export const RETRY_MS = 3000;

export const SPEC_NEEDS_GOAL = "Say what to plan after /spec, e.g. “/spec a tiny static site”.";

export const NOTICES = {
  offline: "Can't reach Maestro: your message is queued and goes out when it is back.",
  busy: "A turn was already running here, so your message is queued.",
} as const;

export const ATTACH_NOTES = {
  uploading: "The images are still uploading: send again in a moment.",
  failed: "Remove the images that failed to upload, then send.",
  offlineQueue: "Can't reach Maestro. Messages with images can't be queued: send again when it is back.",
  busyQueue: "Messages with images can't be queued: send when the tab is free (your text and images stay here).",
  offlineSend: "Can't reach Maestro. Your message and images are still here: send again when it is back.",
  busySend: "A turn started here meanwhile. Your message and images are still here: send when it is done.",
} as const;

const IDLE_WORLD: SendWorld = { running: false, down: false, caughtUp: false, lastTurn: null, hasImages: false };

export function initialSendState(opts: { stoppedAfter?: string | null; world?: Partial<SendWorld> } = {}): SendState {
  return {
    queue: [],
    ready: false,
    pending: null,
    error: null,
    notice: null,
    attachNote: null,
    queueFailed: false,
    stoppedAfter: opts.stoppedAfter ?? null,
    retryTick: 0,
    world: { ...IDLE_WORLD, ...opts.world },
  };
}

/** A turn runs, or a message of ours is on its way. */
export function isBusy(s: SendState): boolean {
  return s.world.running || s.pending !== null;
}

/** The queue holds back: after a failed queued send, or after the turn this device stopped. */
export function isPaused(s: SendState): boolean {
  const last = s.world.lastTurn;
  return s.queueFailed || (last !== null && last.status !== "running" && last.id === s.stoppedAfter);
}

/** What Send does now: queue instead of sending. */
export function willQueue(s: SendState): boolean {
  return isBusy(s) || s.world.down || (s.queue.length > 0 && !isPaused(s));
}

/** The head of the queue may go out (once the bridge confirms the tab is free). */
export function canAutoSend(s: SendState): boolean {
  return s.ready && s.queue.length > 0 && !isBusy(s) && !s.world.down && !isPaused(s) && s.world.caughtUp;
}

export type QueueStatus = "waiting" | "paused" | "failed" | "offline" | "sending";

/** How the queue panel marks the queue. */
export function queueStatus(s: SendState): QueueStatus {
  if (s.pending?.queuedId) return "sending";
  if (s.world.down) return "offline";
  if (s.queueFailed) return "failed";
  return isPaused(s) ? "paused" : "waiting";
}

export function sendReducer(state: SendState, event: SendEvent): SendResult {
  const result = step(state, event);
  return { state: expireAttachNote(state, result.state), effects: result.effects };
}

/**
 * The note about images is only true while the tab is busy (or offline) and images wait: when
 * any of those changes and it no longer holds, the note goes.
 */
function expireAttachNote(before: SendState, after: SendState): SendState {
  const b = [before.world.hasImages, isBusy(before), before.world.down];
  const a = [after.world.hasImages, isBusy(after), after.world.down];
  // A note this very event set is news: it stays until the world changes after it.
  if (b.every((v, i) => v === a[i]) || after.attachNote === null || after.attachNote !== before.attachNote) return after;
  if (!after.world.hasImages || (!isBusy(after) && !after.world.down)) return { ...after, attachNote: null };
  return after;
}

function withQueue(s: SendState, queue: QueuedMessage[], effects: SendEffect[] = []): SendResult {
  // Before the stored queue is read, writing would replace it: the load merges and saves instead.
  return { state: { ...s, queue }, effects: s.ready ? [...effects, { type: "save-queue", items: queue }] : effects };
}

function startSend(s: SendState, request: SendRequest, now: number): SendResult {
  return {
    state: {
      ...s,
      error: null,
      notice: null,
      pending: { text: request.text, at: new Date(now).toISOString(), clientId: request.clientId, queuedId: request.queuedId },
    },
    effects: [{ type: "send", request }],
  };
}

function sameWorld(a: SendWorld, b: SendWorld): boolean {
  return (
    a.running === b.running &&
    a.down === b.down &&
    a.caughtUp === b.caughtUp &&
    a.hasImages === b.hasImages &&
    a.lastTurn?.id === b.lastTurn?.id &&
    a.lastTurn?.status === b.lastTurn?.status
  );
}

function step(s: SendState, e: SendEvent): SendResult {
  switch (e.type) {
    case "submit":
      return submit(s, e);
    case "world":
      // The same facts again (a re-render, the first layout effect) change nothing: returning the
      // same state lets the component skip a render.
      return { state: sameWorld(s.world, e.world) ? s : { ...s, world: e.world }, effects: [] };
    case "queue-loaded": {
      if (!e.first) return { state: { ...s, queue: e.items, ready: true }, effects: [] };
      // Anything typed before the stored queue was read goes after it.
      const early = s.queue.filter((m) => !e.items.some((x) => x.id === m.id));
      const queue = [...e.items, ...early];
      return { state: { ...s, queue, ready: true }, effects: early.length ? [{ type: "save-queue", items: queue }] : [] };
    }
    case "queue-remove":
      return withQueue(s, removeQueued(s.queue, e.id));
    case "queue-edit":
      return withQueue(s, editQueued(s.queue, e.id, e.text));
    case "queue-move":
      return withQueue(s, moveQueued(s.queue, e.id, e.by));
    case "queue-due": {
      const head = s.queue[0];
      // One turn at a time: a send on its way (or a turn running) holds the rest back.
      if (!head || !canAutoSend(s)) return { state: s, effects: [] };
      return startSend(s, { text: head.text, clientId: head.id, queuedId: head.id }, e.now);
    }
    case "queue-blocked":
      return { state: s, effects: [{ type: "retry-later", ms: RETRY_MS }] };
    case "retry":
      return { state: { ...s, retryTick: s.retryTick + 1 }, effects: [] };
    case "send-ok":
      return sendOk(s, e.send, e.turnId);
    case "send-failed":
      return sendFailed(s, e.send, e.failure, e.now);
    case "turn-seen":
      return { state: s.pending?.turnId === e.turnId ? { ...s, pending: null } : s, effects: [] };
    case "stopped-here":
      return { state: { ...s, stoppedAfter: e.turnId }, effects: [{ type: "save-stopped-after", turnId: e.turnId }] };
    case "stop-failed":
      return { state: { ...s, error: { message: `Couldn't stop: ${e.message}` } }, effects: [] };
    case "resume":
      return {
        state: { ...s, queueFailed: false, error: null, stoppedAfter: null },
        effects: [{ type: "save-stopped-after", turnId: null }],
      };
    case "typed":
      return { state: s.error && !s.queueFailed ? { ...s, error: null } : s, effects: [] };
    case "attachments-added":
      return { state: { ...s, attachNote: null }, effects: [] };
    case "dismiss-notice":
      return { state: { ...s, notice: null }, effects: [] };
  }
}

function submit(s: SendState, e: Extract<SendEvent, { type: "submit" }>): SendResult {
  const text = e.text;
  if (!text.trim()) return { state: s, effects: [] };
  // Maestro's own slash commands are done here, never sent to the provider.
  const builtin = parseSlash(text.trim());
  if (builtin?.name === SPEC_COMMAND && !builtin.args) {
    // `/spec <goal>` goes to the bridge, which expands it; without a goal there is nothing to plan.
    return { state: { ...s, error: { message: SPEC_NEEDS_GOAL } }, effects: [] };
  }
  if (builtin && !builtin.args && builtin.name !== SPEC_COMMAND && BUILTIN_COMMANDS.some((c) => c.name === builtin.name)) {
    return { state: s, effects: [{ type: "set-draft", text: "" }, builtin.name === "stop" ? { type: "stop" } : { type: "new-tab" }] };
  }
  const paused = isPaused(s);
  const { down } = s.world;
  if (e.attachments.ids.length > 0 || e.attachments.uploading || e.attachments.failed) {
    // Messages with images go out now or not at all (the queue keeps text only).
    const note = (attachNote: string): SendResult => ({ state: { ...s, attachNote }, effects: [] });
    if (e.attachments.uploading) return note(ATTACH_NOTES.uploading);
    if (e.attachments.failed) return note(ATTACH_NOTES.failed);
    if (isBusy(s) || down || (s.queue.length > 0 && !paused)) return note(down ? ATTACH_NOTES.offlineQueue : ATTACH_NOTES.busyQueue);
    const sent = startSend({ ...s, attachNote: null }, { text, clientId: e.id, images: e.attachments.ids }, e.now);
    return { state: sent.state, effects: [{ type: "set-draft", text: "" }, ...sent.effects] };
  }
  // Until the stored queue is read, a new message goes behind it (order is the promise).
  if (isBusy(s) || down || !s.ready || (s.queue.length > 0 && !paused)) {
    const queued = withQueue({ ...s, error: null }, enqueue(s.queue, text, e.id, e.now));
    return { state: queued.state, effects: [{ type: "set-draft", text: "" }, ...queued.effects] };
  }
  const sent = startSend(s, { text, clientId: e.id }, e.now);
  return { state: sent.state, effects: [{ type: "set-draft", text: "" }, ...sent.effects] };
}

function sendOk(s: SendState, req: SendRequest, turnId: string): SendResult {
  const effects: SendEffect[] = [];
  let next: SendState = { ...s, pending: s.pending ? { ...s.pending, turnId } : s.pending };
  if (req.queuedId) {
    const r = withQueue(next, removeQueued(next.queue, req.queuedId));
    next = r.state;
    effects.push(...r.effects);
  }
  if (req.images?.length) effects.push({ type: "clear-attachments" });
  effects.push({ type: "refresh-overview" });
  return { state: next, effects };
}

function sendFailed(s: SendState, req: SendRequest, f: SendFailure, now: number): SendResult {
  const base: SendState = { ...s, pending: null };
  const waits = f.code === "CONFLICT" || f.network;
  if (req.images?.length) {
    // Images can't wait in the queue: the text and the images stay in the box.
    const effects: SendEffect[] = [{ type: "set-draft", text: req.text }];
    if (waits) return { state: { ...base, attachNote: f.network ? ATTACH_NOTES.offlineSend : ATTACH_NOTES.busySend }, effects };
    return { state: { ...base, error: { message: f.message, hint: f.hint } }, effects };
  }
  if (waits) {
    // Busy (another device sent first) or unreachable: nothing is lost, it waits.
    const notice = f.network ? NOTICES.offline : NOTICES.busy;
    const retry: SendEffect = { type: "retry-later", ms: RETRY_MS };
    if (req.queuedId) return { state: { ...base, notice }, effects: [retry] };
    // First in line, with the same id: if the first attempt did reach the bridge, the resend is recognised.
    const front = [...enqueue([], req.text, req.clientId, now), ...base.queue.filter((m) => m.id !== req.clientId)];
    const r = withQueue({ ...base, notice }, front);
    return { state: r.state, effects: [...r.effects, retry] };
  }
  if (req.queuedId) {
    return {
      state: { ...base, queueFailed: true, error: { message: `A queued message could not be sent: ${f.message}`, hint: f.hint } },
      effects: [],
    };
  }
  // Give the text back so it can be fixed and sent again.
  return { state: { ...base, error: { message: f.message, hint: f.hint } }, effects: [{ type: "set-draft", text: req.text }] };
}
