// @vitest-environment happy-dom
import { renderHook, waitFor } from "@testing-library/react";
import { expect, test } from "vitest";
import { testBridge } from "@/test/ui/render";
import { useTranscript } from "./use-transcript";

/** One finished turn's stored events, ids from `first` on. */
function turnEvents(turnId: string, first: number, reply: string) {
  const at = "2026-12-08T10:00:00.000Z";
  return [
    { id: first, turnId, type: "prompt", data: { prompt: `Q ${turnId}`, images: 0 }, at },
    { id: first + 1, turnId, type: "text", data: { text: reply, messageId: `m-${turnId}` }, at },
    { id: first + 2, turnId, type: "turn_end", data: { status: "done" }, at },
  ];
}

test("a cold tab opens with one plain tail request, then streams from after its last event", async () => {
  const calls: string[] = [];
  const tail = [...turnEvents("a", 101, "older reply"), ...turnEvents("b", 104, "newest reply")];
  const { fns, Wrapper } = testBridge({
    "turns.tail": () => {
      calls.push("tail");
      return tail;
    },
    "turns.onEvent": () => {
      calls.push("stream");
      return { id: "106", data: [] };
    },
  });
  const { result } = renderHook(() => useTranscript("tab-cold", { fetchFirst: true }), { wrapper: Wrapper });
  await waitFor(() => expect(result.current.transcript.turns.map((t) => t.id)).toEqual(["a", "b"]));
  await waitFor(() => expect(calls).toEqual(["tail", "stream"]));
  // At most the newest 400 events at open, then the stream resumes after them (no backlog again).
  expect(fns["turns.tail"]).toHaveBeenCalledTimes(1);
  expect(fns["turns.tail"]!.mock.calls[0]![0]).toEqual({ tabId: "tab-cold", tail: 400 });
  expect(fns["turns.onEvent"]!.mock.calls[0]![0]).toEqual({ tabId: "tab-cold", lastEventId: "106" });
});

test("without fetchFirst (a teammate's view) the stream itself brings the tail", async () => {
  const { fns, Wrapper } = testBridge({
    "turns.onEvent": () => ({ id: "103", data: turnEvents("a", 101, "reply") }),
  });
  const { result } = renderHook(() => useTranscript("tab-shared"), { wrapper: Wrapper });
  await waitFor(() => expect(result.current.transcript.turns.map((t) => t.id)).toEqual(["a"]));
  expect(fns["turns.onEvent"]!.mock.calls[0]![0]).toEqual({ tabId: "tab-shared", lastEventId: null, tail: 400 });
});
