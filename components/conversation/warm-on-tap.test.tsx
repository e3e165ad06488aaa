// @vitest-environment happy-dom
import { renderHook, waitFor } from "@testing-library/react";
import { expect, test } from "vitest";
import { testBridge } from "@/test/ui/render";
import { useTranscript } from "./use-transcript";
import { useWarmOnTap } from "./warm-on-tap";

test("a tap on an agent fetches its tab's tail once; the conversation then opens on that same request", async () => {
  const at = "2026-12-08T10:00:00.000Z";
  let resolveTail: (v: unknown) => void = () => {};
  const { fns, queryClient, Wrapper } = testBridge({
    // Held until the conversation has mounted, as when the route renders during the request.
    "turns.tail": () => new Promise((r) => (resolveTail = r)),
    "turns.onEvent": () => ({ id: "3", data: [] }),
  });
  queryClient.setQueryData([["tabs", "list"], { input: { agentId: "ag" }, type: "query" }], [{ id: "tab-tap" }]);
  const tap = renderHook(() => useWarmOnTap(), { wrapper: Wrapper });
  tap.result.current("ag");
  await waitFor(() => expect(fns["turns.tail"]).toHaveBeenCalledTimes(1));
  expect(fns["turns.tail"]!.mock.calls[0]![0]).toEqual({ tabId: "tab-tap", tail: 400 });

  const { result } = renderHook(() => useTranscript("tab-tap", { fetchFirst: true }), { wrapper: Wrapper });
  resolveTail([
    { id: 1, turnId: "a", type: "prompt", data: { prompt: "Q", images: 0 }, at },
    { id: 2, turnId: "a", type: "text", data: { text: "reply", messageId: "m" }, at },
    { id: 3, turnId: "a", type: "turn_end", data: { status: "done" }, at },
  ]);
  await waitFor(() => expect(result.current.transcript.turns.map((t) => t.id)).toEqual(["a"]));
  await waitFor(() => expect(fns["turns.onEvent"]).toHaveBeenCalledTimes(1));
  expect(fns["turns.tail"]).toHaveBeenCalledTimes(1);
  expect(fns["turns.onEvent"]!.mock.calls[0]![0]).toEqual({ tabId: "tab-tap", lastEventId: "3" });
});
