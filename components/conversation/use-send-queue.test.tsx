// @vitest-environment happy-dom
import { act, renderHook, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, test, vi } from "vitest";
import type { SendWorld } from "@/lib/conversation/send-queue";
import { bridgeError, testBridge, type Handler } from "@/test/ui/render";
import { storageKeys } from "../ui/storage";
import { useSendQueue } from "./use-send-queue";

const FREE: SendWorld = { running: false, down: false, caughtUp: true, lastTurn: null, hasImages: false };
const NO_IMAGES = { ids: [], uploading: false, failed: false };

function setup(handlers: Record<string, Handler>, world: SendWorld = FREE) {
  const bridge = testBridge({ "turns.overview": () => ({ running: false, count: 0, newestTurnId: null }), ...handlers });
  const host = { setDraft: vi.fn(), clearAttachments: vi.fn(), stop: vi.fn(), newTab: vi.fn() };
  const hook = renderHook(({ world }) => useSendQueue("tab-1", world, host), { wrapper: bridge.Wrapper, initialProps: { world } });
  const submit = (text: string, id: string) =>
    act(async () => hook.result.current.dispatch({ type: "submit", text, id, now: Date.now(), attachments: NO_IMAGES }));
  return { ...bridge, host, hook, submit };
}

beforeEach(() => window.localStorage.clear());

describe("useSendQueue (the policy wired to the bridge and storage)", () => {
  test("idle: the message goes to turns.send with its client id, and the box empties", async () => {
    const s = setup({ "turns.send": () => ({ turnId: "t1", duplicate: false }) });
    await waitFor(() => expect(s.hook.result.current.state.ready).toBe(true));
    await s.submit("hello", "c1");
    expect(s.host.setDraft).toHaveBeenCalledWith("");
    await waitFor(() => expect(s.fns["turns.send"]).toHaveBeenCalledWith({ tabId: "tab-1", prompt: "hello", clientId: "c1" }));
    await waitFor(() => expect(s.hook.result.current.state.pending?.turnId).toBe("t1"));
  });

  test("offline: queued (and kept on this device); back online it goes out, with the queued id", async () => {
    const s = setup({ "turns.send": () => ({ turnId: "t1", duplicate: false }) }, { ...FREE, down: true });
    await waitFor(() => expect(s.hook.result.current.state.ready).toBe(true));
    await s.submit("later", "c1");
    expect(s.hook.result.current.queue.items.map((m) => m.text)).toEqual(["later"]);
    // Stored (IndexedDB, or localStorage where there is none, as here).
    await waitFor(() => expect(window.localStorage.getItem(storageKeys.legacyQueue("tab-1"))).toContain("later"));
    expect(s.fns["turns.send"]).not.toHaveBeenCalled();

    s.hook.rerender({ world: FREE });
    await waitFor(() => expect(s.fns["turns.send"]).toHaveBeenCalledWith({ tabId: "tab-1", prompt: "later", clientId: "c1" }));
    await waitFor(() => expect(s.hook.result.current.queue.items).toEqual([]));
    expect(window.localStorage.getItem(storageKeys.legacyQueue("tab-1"))).toBeNull();
  });

  test("the bridge says another turn runs: the queue waits and asks again", async () => {
    let running = true;
    const s = setup(
      { "turns.overview": () => ({ running, count: 1, newestTurnId: null }), "turns.send": () => ({ turnId: "t2", duplicate: false }) },
      { ...FREE, running: true },
    );
    await waitFor(() => expect(s.hook.result.current.state.ready).toBe(true));
    await s.submit("next", "c1");
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      s.hook.rerender({ world: FREE });
      await waitFor(() => expect(s.fns["turns.overview"]).toHaveBeenCalled());
      expect(s.fns["turns.send"]).not.toHaveBeenCalled();
      running = false;
      await act(async () => vi.advanceTimersByTime(3500));
      await waitFor(() => expect(s.fns["turns.send"]).toHaveBeenCalledWith({ tabId: "tab-1", prompt: "next", clientId: "c1" }));
    } finally {
      vi.useRealTimers();
    }
  });

  test("a refused send puts the text back and shows the bridge's error", async () => {
    const s = setup({
      "turns.send": () => {
        throw bridgeError("claude is not installed.", "PRECONDITION_FAILED", { hint: "npm i -g @anthropic-ai/claude-code" });
      },
    });
    await waitFor(() => expect(s.hook.result.current.state.ready).toBe(true));
    await s.submit("hello", "c1");
    await waitFor(() =>
      expect(s.hook.result.current.state.error).toEqual({
        message: "claude is not installed.",
        hint: "npm i -g @anthropic-ai/claude-code",
      }),
    );
    expect(s.host.setDraft).toHaveBeenLastCalledWith("hello");
    expect(s.hook.result.current.queue.items).toEqual([]);
  });

  test("Stop's marker is kept per tab, so a reload still holds the queue back", async () => {
    const s = setup({});
    await act(async () => s.hook.result.current.dispatch({ type: "stopped-here", turnId: "t9" }));
    expect(window.localStorage.getItem(storageKeys.queuePausedAfter("tab-1"))).toBe("t9");
    const again = setup({}, { ...FREE, lastTurn: { id: "t9", status: "stopped" } });
    expect(again.hook.result.current.state.stoppedAfter).toBe("t9");
    await act(async () => again.hook.result.current.dispatch({ type: "resume" }));
    expect(window.localStorage.getItem(storageKeys.queuePausedAfter("tab-1"))).toBeNull();
  });
});
