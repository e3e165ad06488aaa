import { describe, expect, test } from "vitest";
import {
  ATTACH_NOTES,
  canAutoSend,
  initialSendState,
  NOTICES,
  queueStatus,
  RETRY_MS,
  sendReducer,
  SPEC_NEEDS_GOAL,
  willQueue,
  type SendAttachments,
  type SendEffect,
  type SendEvent,
  type SendState,
  type SendWorld,
} from "./send-queue";

const NOW = Date.parse("2026-12-06T22:00:00Z");
const NO_IMAGES: SendAttachments = { ids: [], uploading: false, failed: false };
const FREE: SendWorld = { running: false, down: false, caughtUp: true, lastTurn: null, hasImages: false };

/** A loaded, caught-up tab in the given world, with the given queue. */
function tab(world: Partial<SendWorld> = {}, queue: { id: string; text: string }[] = []): SendState {
  let s = initialSendState({ world: { ...FREE, ...world } });
  s = sendReducer(s, { type: "queue-loaded", items: queue.map((m) => ({ ...m, at: NOW })), first: true }).state;
  return s;
}

/** Runs events in order; returns the last state and every effect, in order. */
function play(state: SendState, events: SendEvent[]): { state: SendState; effects: SendEffect[] } {
  const effects: SendEffect[] = [];
  for (const e of events) {
    const r = sendReducer(state, e);
    state = r.state;
    effects.push(...r.effects);
  }
  return { state, effects };
}

const submit = (text: string, id: string, attachments = NO_IMAGES): SendEvent => ({ type: "submit", text, id, now: NOW, attachments });
const sends = (effects: SendEffect[]) => effects.flatMap((e) => (e.type === "send" ? [e.request] : []));
const ids = (s: SendState) => s.queue.map((m) => m.id);

describe("what Send does", () => {
  test.each([
    { name: "idle: sends now", world: {}, queue: [], sent: true, queued: [], status: "waiting" },
    { name: "busy (a turn runs): queued", world: { running: true }, queue: [], sent: false, queued: ["m1"], status: "waiting" },
    { name: "offline: queued and marked", world: { down: true }, queue: [], sent: false, queued: ["m1"], status: "offline" },
    {
      name: "older messages wait: goes behind them",
      world: {},
      queue: [{ id: "q0", text: "first" }],
      sent: false,
      queued: ["q0", "m1"],
      status: "waiting",
    },
  ])("$name", ({ world, queue, sent, queued, status }) => {
    const { state, effects } = play(tab(world, queue), [submit("hello", "m1")]);
    expect(effects[0]).toEqual({ type: "set-draft", text: "" });
    expect(sends(effects)).toEqual(sent ? [{ text: "hello", clientId: "m1" }] : []);
    expect(ids(state)).toEqual(queued);
    expect(queueStatus(state)).toBe(status);
    if (sent) expect(state.pending).toMatchObject({ text: "hello", clientId: "m1", at: new Date(NOW).toISOString() });
    else expect(effects).toContainEqual({ type: "save-queue", items: state.queue });
  });

  test("a send on its way makes the next message wait (one turn at a time)", () => {
    const { state, effects } = play(tab(), [submit("one", "m1"), submit("two", "m2")]);
    expect(sends(effects).map((r) => r.clientId)).toEqual(["m1"]);
    expect(ids(state)).toEqual(["m2"]);
    expect(willQueue(state)).toBe(true);
  });

  test("before the stored queue is read, a message is held (not sent, not saved) and goes behind the stored ones", () => {
    let s = initialSendState({ world: FREE });
    const typed = play(s, [submit("early", "e1")]);
    expect(sends(typed.effects)).toEqual([]);
    expect(typed.effects.some((e) => e.type === "save-queue")).toBe(false);
    s = typed.state;
    const loaded = sendReducer(s, { type: "queue-loaded", items: [{ id: "old", text: "stored", at: 1 }], first: true });
    expect(ids(loaded.state)).toEqual(["old", "e1"]);
    expect(loaded.effects).toEqual([{ type: "save-queue", items: loaded.state.queue }]);
  });

  test("blank text and Maestro's own commands are never sent", () => {
    expect(play(tab(), [submit("   ", "m1")]).effects).toEqual([]);
    expect(play(tab(), [submit("/stop", "m1")]).effects).toEqual([{ type: "set-draft", text: "" }, { type: "stop" }]);
    expect(play(tab(), [submit("/new", "m1")]).effects).toEqual([{ type: "set-draft", text: "" }, { type: "new-tab" }]);
    // With arguments it is the provider's command, sent as typed.
    expect(sends(play(tab(), [submit("/new thing", "m1")]).effects)).toHaveLength(1);
  });

  test("/spec with a goal is sent for the bridge to expand; without one it stays in the box with a hint", () => {
    const sent = play(tab(), [submit("/spec a tiny static site", "m1")]);
    expect(sends(sent.effects)).toEqual([{ text: "/spec a tiny static site", clientId: "m1" }]);
    const bare = play(tab(), [submit("/spec", "m2")]);
    expect(bare.effects).toEqual([]);
    expect(bare.state.error).toEqual({ message: SPEC_NEEDS_GOAL });
    expect(bare.state.pending).toBeNull();
  });
});

describe("the queue goes out", () => {
  test("on reconnect: in order, one turn at a time", () => {
    // Typed offline: both queued and marked.
    let { state } = play(tab({ down: true }), [submit("a", "qa"), submit("b", "qb")]);
    expect(ids(state)).toEqual(["qa", "qb"]);
    expect(queueStatus(state)).toBe("offline");
    expect(canAutoSend(state)).toBe(false);

    // Back online: the head goes (with its id as the client id), the rest waits.
    state = play(state, [{ type: "world", world: FREE }]).state;
    expect(canAutoSend(state)).toBe(true);
    let r = play(state, [{ type: "queue-due", now: NOW }]);
    expect(sends(r.effects)).toEqual([{ text: "a", clientId: "qa", queuedId: "qa" }]);
    expect(queueStatus(r.state)).toBe("sending");
    expect(canAutoSend(r.state)).toBe(false);
    // A second "due" while the first is on its way sends nothing.
    expect(sends(play(r.state, [{ type: "queue-due", now: NOW }]).effects)).toEqual([]);

    // The bridge took it: it leaves the queue; its turn runs, then ends.
    r = play(r.state, [{ type: "send-ok", send: { text: "a", clientId: "qa", queuedId: "qa" }, turnId: "t1" }]);
    expect(ids(r.state)).toEqual(["qb"]);
    expect(r.effects).toEqual([{ type: "save-queue", items: r.state.queue }, { type: "refresh-overview" }]);
    r = play(r.state, [
      { type: "world", world: { ...FREE, running: true, lastTurn: { id: "t1", status: "running" } } },
      { type: "turn-seen", turnId: "t1" },
    ]);
    expect(r.state.pending).toBeNull();
    expect(canAutoSend(r.state)).toBe(false);
    r = play(r.state, [
      { type: "world", world: { ...FREE, lastTurn: { id: "t1", status: "done" } } },
      { type: "queue-due", now: NOW },
    ]);
    expect(sends(r.effects)).toEqual([{ text: "b", clientId: "qb", queuedId: "qb" }]);
  });

  test.each([
    { name: "not caught up with the backlog", world: { caughtUp: false }, state: {} },
    { name: "offline", world: { down: true }, state: {} },
    { name: "a turn runs", world: { running: true }, state: {} },
    {
      name: "paused after the turn this device stopped",
      world: { lastTurn: { id: "t9", status: "stopped" } },
      state: { stoppedAfter: "t9" },
    },
    { name: "a queued send failed", world: {}, state: { queueFailed: true } },
  ])("waits while $name", ({ world, state }) => {
    const s = { ...tab(world, [{ id: "q1", text: "x" }]), ...state };
    expect(canAutoSend(s)).toBe(false);
    expect(sends(play(s, [{ type: "queue-due", now: NOW }]).effects)).toEqual([]);
  });

  test("a bridge that says a turn runs (another device) means: try again later", () => {
    const s = tab({}, [{ id: "q1", text: "x" }]);
    const r = play(s, [{ type: "queue-blocked" }]);
    expect(r.effects).toEqual([{ type: "retry-later", ms: RETRY_MS }]);
    expect(play(r.state, [{ type: "retry" }]).state.retryTick).toBe(s.retryTick + 1);
  });

  test("Stop pauses the queue after that turn; Resume lets it go", () => {
    const stopped = play(tab({ running: true, lastTurn: { id: "t1", status: "running" } }, [{ id: "q1", text: "x" }]), [
      { type: "stopped-here", turnId: "t1" },
    ]);
    expect(stopped.effects).toEqual([{ type: "save-stopped-after", turnId: "t1" }]);
    const state = play(stopped.state, [{ type: "world", world: { ...FREE, lastTurn: { id: "t1", status: "stopped" } } }]).state;
    expect(queueStatus(state)).toBe("paused");
    // Paused, a new message may go straight out (the queue is held, not the tab).
    expect(willQueue(state)).toBe(false);
    const resumed = play(state, [{ type: "resume" }]);
    expect(resumed.effects).toEqual([{ type: "save-stopped-after", turnId: null }]);
    expect(canAutoSend(resumed.state)).toBe(true);
  });
});

describe("when a send fails", () => {
  const fresh = { text: "hello", clientId: "m1" };
  const queued = { text: "hello", clientId: "q1", queuedId: "q1" };
  const sending = (req: { clientId: string }, queue: { id: string; text: string }[] = []) => ({
    ...tab({}, queue),
    pending: { text: "hello", at: "", clientId: req.clientId },
  });

  test.each([
    { name: "unreachable", failure: { message: "x", network: true }, notice: NOTICES.offline },
    { name: "another device's turn runs (CONFLICT)", failure: { message: "x", code: "CONFLICT", network: false }, notice: NOTICES.busy },
  ])("$name: a fresh message is queued first, with the same client id, and retried", ({ failure, notice }) => {
    const r = play(sending(fresh, [{ id: "q0", text: "older" }]), [{ type: "send-failed", send: fresh, failure, now: NOW }]);
    expect(ids(r.state)).toEqual(["m1", "q0"]);
    expect(r.state.pending).toBeNull();
    expect(r.state.notice).toBe(notice);
    expect(r.effects).toContainEqual({ type: "retry-later", ms: RETRY_MS });
  });

  test("a duplicate client id is never queued twice, and the resend carries it (the bridge recognises it)", () => {
    // The queued message "q1" was sent, the answer was lost: it stays, once, and is resent as q1.
    const s = sending(queued, [
      { id: "q1", text: "hello" },
      { id: "q2", text: "next" },
    ]);
    let r = play({ ...s, pending: { ...s.pending, queuedId: "q1" } }, [
      { type: "send-failed", send: queued, failure: { message: "x", network: true }, now: NOW },
    ]);
    expect(ids(r.state)).toEqual(["q1", "q2"]);
    expect(r.effects).toEqual([{ type: "retry-later", ms: RETRY_MS }]);
    r = play(r.state, [{ type: "queue-due", now: NOW }]);
    expect(sends(r.effects)).toEqual([queued]);

    // A fresh send whose id is already queued (another window queued it) is not doubled.
    const dup = play(sending(fresh, [{ id: "m1", text: "hello" }]), [
      { type: "send-failed", send: fresh, failure: { message: "x", network: true }, now: NOW },
    ]);
    expect(ids(dup.state)).toEqual(["m1"]);
    // The bridge answering a resend with the first turn's id is a success like any other.
    const ok = play(sending(queued, [{ id: "q1", text: "hello" }]), [{ type: "send-ok", send: queued, turnId: "t1" }]);
    expect(ids(ok.state)).toEqual([]);
  });

  test("a fresh message that fails for good comes back to the box with the error", () => {
    const failure = { message: "The agent's folder is gone.", hint: "Pick another folder.", code: "BAD_REQUEST", network: false };
    const r = play(sending(fresh), [{ type: "send-failed", send: fresh, failure, now: NOW }]);
    expect(r.effects).toEqual([{ type: "set-draft", text: "hello" }]);
    expect(r.state.error).toEqual({ message: failure.message, hint: failure.hint });
    expect(ids(r.state)).toEqual([]);
    // Typing clears the error.
    expect(play(r.state, [{ type: "typed" }]).state.error).toBeNull();
  });

  test("a queued message that fails for good pauses the queue until Retry", () => {
    const r = play(sending(queued, [{ id: "q1", text: "hello" }]), [
      { type: "send-failed", send: queued, failure: { message: "nope", network: false }, now: NOW },
    ]);
    expect(r.state.error?.message).toBe("A queued message could not be sent: nope");
    expect(queueStatus(r.state)).toBe("failed");
    expect(canAutoSend(r.state)).toBe(false);
    // The error stays while typing (it is about the queue, not the box).
    expect(play(r.state, [{ type: "typed" }]).state.error).not.toBeNull();
    const retried = play(r.state, [{ type: "resume" }]).state;
    expect(retried.error).toBeNull();
    expect(canAutoSend(retried)).toBe(true);
  });
});

describe("images", () => {
  const withImages: SendAttachments = { ids: ["up1", "up2"], uploading: false, failed: false };
  const img = { ...FREE, hasImages: true };

  test("go out now, with the text, and are cleared once the bridge took them", () => {
    const r = play(tab(img), [submit("look", "m1", withImages)]);
    expect(sends(r.effects)).toEqual([{ text: "look", clientId: "m1", images: ["up1", "up2"] }]);
    const ok = play(r.state, [{ type: "send-ok", send: sends(r.effects)[0]!, turnId: "t1" }]);
    expect(ok.effects).toContainEqual({ type: "clear-attachments" });
  });

  test.each([
    { name: "still uploading", world: img, attachments: { ...withImages, uploading: true }, note: ATTACH_NOTES.uploading },
    { name: "an upload failed", world: img, attachments: { ...withImages, failed: true }, note: ATTACH_NOTES.failed },
    {
      name: "the tab is busy (images can't be queued)",
      world: { ...img, running: true },
      attachments: withImages,
      note: ATTACH_NOTES.busyQueue,
    },
    { name: "offline (images can't be queued)", world: { ...img, down: true }, attachments: withImages, note: ATTACH_NOTES.offlineQueue },
  ])("stay in the box when $name", ({ world, attachments, note }) => {
    const r = play(tab(world), [submit("look", "m1", attachments)]);
    expect(r.effects).toEqual([]);
    expect(r.state.attachNote).toBe(note);
    expect(ids(r.state)).toEqual([]);
  });

  test("a provider that refuses images: the text and images stay, the bridge's error shows, nothing is queued", () => {
    const r0 = play(tab(img), [submit("look", "m1", withImages)]);
    const request = sends(r0.effects)[0]!;
    const failure = { message: "codex cannot take images in batch mode.", code: "BAD_REQUEST", network: false };
    const r = play(r0.state, [{ type: "send-failed", send: request, failure, now: NOW }]);
    expect(r.effects).toEqual([{ type: "set-draft", text: "look" }]);
    expect(r.effects).not.toContainEqual({ type: "clear-attachments" });
    expect(r.state.error).toEqual({ message: failure.message, hint: undefined });
    expect(ids(r.state)).toEqual([]);
    expect(r.state.pending).toBeNull();
  });

  test("a lost answer shows its note even before the app has noticed it is offline", () => {
    const r0 = play(tab(img), [submit("look", "m1", withImages)]);
    const request = sends(r0.effects)[0]!;
    const r = play(r0.state, [{ type: "send-failed", send: request, failure: { message: "x", network: true }, now: NOW }]);
    expect(r.state.attachNote).toBe(ATTACH_NOTES.offlineSend);
    expect(r.effects).toEqual([{ type: "set-draft", text: "look" }]);
  });

  test("a lost answer keeps the images in the box with a note while offline", () => {
    const r0 = play(tab(img), [submit("look", "m1", withImages)]);
    const request = sends(r0.effects)[0]!;
    const r = play(r0.state, [
      { type: "world", world: { ...img, down: true } },
      { type: "send-failed", send: request, failure: { message: "x", network: true }, now: NOW },
    ]);
    expect(r.state.attachNote).toBe(ATTACH_NOTES.offlineSend);
    expect(ids(r.state)).toEqual([]);
    // Back online with the tab free: the note is no longer true, so it goes.
    expect(play(r.state, [{ type: "world", world: img }]).state.attachNote).toBeNull();
  });
});
