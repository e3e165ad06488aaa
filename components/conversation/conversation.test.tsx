// @vitest-environment happy-dom
import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { ZERO_USAGE, type Transcript, type Turn } from "@/lib/transcript/build";
import { testBridge, type Handler } from "@/test/ui/render";
import { connection } from "../shell/connection-store";
import { Conversation } from "./conversation";

// The live stream is the one thing replaced: the transcript is whatever the test says it is.
const live = vi.hoisted<{ transcript: Transcript | null }>(() => ({ transcript: null }));
vi.mock("./use-transcript", () => ({
  useTranscript: () => ({
    transcript: live.transcript,
    stream: "live",
    streamError: null,
    loadEarlier: async () => {},
    loadingEarlier: false,
  }),
  forgetTranscript: () => {},
}));

function transcriptOf(turns: Partial<Turn>[]): Transcript {
  const full = turns.map((t, i): Turn => ({
    id: `t${i + 1}`,
    key: `e${i + 1}`,
    prompt: "earlier",
    images: 0,
    startedAt: "2026-12-06T10:00:00Z",
    endedAt: null,
    status: "done",
    items: [],
    usage: ZERO_USAGE,
    durationMs: null,
    error: null,
    filesChanged: null,
    model: null,
    contextWindow: null,
    toolIndex: new Map(),
    ...t,
  }));
  return {
    lastId: full.length,
    turns: full,
    totals: ZERO_USAGE,
    eventCount: full.length,
    turnIndex: new Map(full.map((t, i) => [t.id, i])),
  };
}

function setup(turns: Partial<Turn>[], handlers: Record<string, Handler> = {}) {
  live.transcript = transcriptOf(turns);
  const last = turns.length ? `t${turns.length}` : null;
  const running = turns.at(-1)?.status === "running";
  const bridge = testBridge({
    "turns.overview": () => ({ count: turns.length, newestTurnId: last, running, inputTokens: 0, outputTokens: 0, costUsd: 0 }),
    "turns.send": () => ({ turnId: "t-new", duplicate: false }),
    "turns.stop": () => ({ stopping: true }),
    ...handlers,
  });
  render(<Conversation agentId="a1" tabId="tab-1" tabName="Main" providerLabel="Simulator" folder="/srv/app" simulator agentName="Ada" />, {
    wrapper: bridge.Wrapper,
  });
  return { ...bridge, user: userEvent.setup(), box: screen.getByRole("textbox", { name: "Message" }) };
}

beforeEach(() => window.localStorage.clear());
afterEach(() => connection.set(false));

describe("Conversation", () => {
  test("idle: Enter sends the message to the bridge", async () => {
    const s = setup([{ status: "done" }]);
    await s.user.type(s.box, "run the tests{Enter}");
    await waitFor(() =>
      expect(s.fns["turns.send"]).toHaveBeenCalledWith(expect.objectContaining({ tabId: "tab-1", prompt: "run the tests" })),
    );
    expect(s.box).toHaveProperty("value", "");
  });

  test("while a turn runs: the message waits in the queue, where it can be removed", async () => {
    const s = setup([{ status: "running" }]);
    expect(screen.getByRole("button", { name: "Stop" })).toBeTruthy();
    await s.user.type(s.box, "and then the docs{Enter}");
    expect(await screen.findByText("Queued (1)")).toBeTruthy();
    expect(screen.getByText("Sent in order when the current turn ends.")).toBeTruthy();
    expect(screen.getByText("and then the docs")).toBeTruthy();
    expect(s.fns["turns.send"]).not.toHaveBeenCalled();
    await s.user.click(screen.getByRole("button", { name: "Remove queued message 1" }));
    expect(screen.queryByText("Queued (1)")).toBeNull();
  });

  test("offline: the message is queued and marked", async () => {
    const s = setup([{ status: "done" }]);
    act(() => connection.set(true));
    await s.user.type(s.box, "when you are back{Enter}");
    expect(await screen.findByText("Queued — will send when back online.")).toBeTruthy();
    expect(s.fns["turns.send"]).not.toHaveBeenCalled();
  });

  test("/stop stops the running turn and holds the queue", async () => {
    const s = setup([{ status: "running" }]);
    await s.user.type(s.box, "/stop{Enter}");
    await waitFor(() => expect(s.fns["turns.stop"]).toHaveBeenCalledWith({ tabId: "tab-1" }));
    expect(s.fns["turns.send"]).not.toHaveBeenCalled();
    expect(await screen.findByText(/Stopping…/)).toBeTruthy();
  });
});
