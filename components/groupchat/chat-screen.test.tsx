// @vitest-environment happy-dom
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test } from "vitest";
import type { ChatMessageView, ChatView, ParticipantView, StoredChatEvent } from "@/lib/groupchat/types";
import { testBridge } from "@/test/ui/render";
import { ChatScreen } from "./chat-screen";
import { mentionSuggestions } from "./chat-composer";

const at = "2026-12-07T17:00:00.000Z";

function participant(n: number, name: string): ParticipantView {
  return {
    id: `p${n}`,
    agentId: `a${n}`,
    name: name.replace(/ /g, "-"),
    agentName: name,
    provider: "simulator",
    folder: `/p/${n}`,
    role: "",
    colorIndex: n,
    tabId: `t${n}`,
  };
}

function message(id: string, over: Partial<ChatMessageView>): ChatMessageView {
  return {
    id,
    roundId: "r1",
    author: "participant",
    agentId: null,
    agentName: "",
    turnId: null,
    tabId: null,
    kind: "response",
    status: "done",
    text: "",
    mentions: [],
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    durationMs: null,
    error: null,
    createdAt: at,
    endedAt: null,
    ...over,
  };
}

function chatView(over: Partial<ChatView> = {}): ChatView {
  return {
    chat: {
      id: "c1",
      name: "Release review",
      moderatorAgentId: "m",
      moderatorName: "Mod",
      moderatorProvider: "simulator",
      moderatorTabId: null,
      status: "agents",
      statusDetail: "",
      working: ["a1", "a2"],
      participantTimeoutMs: 600_000,
      roundLimit: 6,
      totals: { inputTokens: 1200, outputTokens: 300, costUsd: 0.0123, durationMs: 4000 },
      createdAt: at,
      updatedAt: at,
    },
    participants: [participant(1, "Ada"), participant(2, "Bob Smith")],
    rounds: [{ id: "r1", index: 0, status: "running", moderatorTurns: 1, error: null, startedAt: at, endedAt: null }],
    messages: [
      message("u1", { author: "user", kind: "request", text: "Is the release ready?" }),
      message("m1", {
        author: "moderator",
        agentId: "m",
        agentName: "Mod",
        kind: "delegation",
        text: "@Ada @Bob-Smith please check",
        mentions: ["Ada", "Bob-Smith"],
      }),
      message("r-a", { agentId: "a1", agentName: "Ada", status: "streaming", text: "Checking the", tabId: "t1" }),
      message("r-b", { agentId: "a2", agentName: "Bob Smith", status: "streaming", text: "" }),
    ],
    activity: {},
    lastEventId: 10,
    ...over,
  };
}

function setup(view: ChatView, batches: StoredChatEvent[][], access: "owner" | "view" | "control" = "owner") {
  const bridge = testBridge({
    "groupchat.get": () => view,
    "groupchat.onEvent": () => ({ id: String(batches.at(-1)?.at(-1)?.id ?? 0), data: batches.flat() }),
    "agents.list": () => [],
    "groupchat.stop": () => ({ stopping: true }),
    "groupchat.send": () => ({ messageId: "u2", roundId: "r2" }),
  });
  render(<ChatScreen chatId="c1" access={access} />, { wrapper: bridge.Wrapper });
  return { bridge, user: userEvent.setup() };
}

describe("ChatScreen", () => {
  test("folds the stream after the snapshot: live text appends, a replayed event applies once, working names show", async () => {
    const delta: StoredChatEvent = { id: 11, type: "delta", messageId: "r-a", text: " release notes" };
    // The batch repeats an event the snapshot already holds (id 10): it must not apply again.
    const replay: StoredChatEvent = { id: 10, type: "delta", messageId: "r-a", text: " AGAIN" };
    const { bridge } = setup(chatView(), [[replay, delta, { id: 12, type: "activity", messageId: "r-b", text: "Read package.json" }]]);
    const ada = await screen.findByRole("article", { name: "Ada's answer" });
    await waitFor(() => expect(ada.textContent).toContain("Checking the release notes"));
    expect(ada.textContent).not.toContain("AGAIN");
    expect(screen.getByRole("article", { name: "Bob Smith's answer" }).textContent).toContain("Read package.json");
    const strip = screen.getByRole("status", { name: "Working now" });
    expect(strip.textContent).toContain("Agents working");
    expect(within(strip).getByText("Ada")).toBeTruthy();
    expect(within(strip).getByText("Bob Smith")).toBeTruthy();
    // The stream resumed from the snapshot's id.
    expect(bridge.fns["groupchat.onEvent"]).toHaveBeenCalledWith({ chatId: "c1", lastEventId: "10" });
    expect(screen.getAllByRole("link", { name: "Open in agent" })[0]!.getAttribute("href")).toBe("/agents/a1?tab=t1");
    expect(screen.getByRole("button", { name: "Send" })).toHaveProperty("disabled", true);
  });

  test("Stop while a round runs asks the bridge to stop the chat", async () => {
    const { bridge, user } = setup(chatView(), []);
    await user.click(await screen.findByRole("button", { name: "Stop" }));
    expect(bridge.fns["groupchat.stop"]).toHaveBeenCalledWith({ chatId: "c1" });
    expect(await screen.findByText("Stopping…")).toBeTruthy();
  });

  test("a finished, stopped round offers Retry and no card is left working", async () => {
    const view = chatView({
      chat: { ...chatView().chat, status: "stopped", working: [] },
      rounds: [{ id: "r1", index: 0, status: "stopped", moderatorTurns: 1, error: null, startedAt: at, endedAt: at }],
      messages: chatView().messages.map((m) => (m.status === "streaming" ? { ...m, status: "stopped" as const } : m)),
    });
    setup(view, []);
    expect(await screen.findByRole("button", { name: "Retry" })).toBeTruthy();
    expect(screen.getByText("The last round was stopped.")).toBeTruthy();
    expect(screen.queryByRole("status", { name: "Working now" })).toBeNull();
    expect(screen.getAllByText("Stopped").length).toBeGreaterThan(0);
  });

  test("a view link watches: no composer, no agent links, no settings", async () => {
    setup(chatView(), [], "view");
    await screen.findByRole("article", { name: "Ada's answer" });
    expect(screen.queryByRole("textbox", { name: "Message" })).toBeNull();
    expect(screen.queryByRole("link", { name: "Open in agent" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Chat settings" })).toBeNull();
    expect(screen.getByText("View only: you can watch this chat but not send to it.")).toBeTruthy();
  });
});

test("a control link sends, stops and retries, but manages no participants and opens no agent", async () => {
  const { bridge, user } = setup(chatView({ chat: { ...chatView().chat, status: "idle", working: [] } }), [], "control");
  await screen.findByRole("article", { name: "Ada's answer" });
  expect(screen.queryByRole("link", { name: "Open in agent" })).toBeNull();
  expect(screen.queryByRole("button", { name: "Chat settings" })).toBeNull();
  expect(screen.queryByRole("button", { name: "Share" })).toBeNull();
  // Its own agents are the owner's: a share link never lists them.
  expect(bridge.fns["agents.list"]).not.toHaveBeenCalled();
  await user.click(screen.getByRole("button", { name: /Participants/ }));
  expect(screen.queryByRole("button", { name: /^Remove/ })).toBeNull();
  await user.keyboard("{Escape}");
  await user.type(screen.getByRole("textbox", { name: "Message" }), "And the docs?");
  await user.click(screen.getByRole("button", { name: "Send" }));
  await waitFor(() => expect(bridge.fns["groupchat.send"]).toHaveBeenCalledTimes(1));
  expect(bridge.fns["groupchat.send"]!.mock.calls[0]![0]).toMatchObject({ chatId: "c1", text: "And the docs?" });
});

describe("mentionSuggestions", () => {
  const parts = [participant(1, "Ada"), participant(2, "Bob Smith")];
  test("offers participants first, then agents a mention would add, written as mention names", () => {
    const rows = mentionSuggestions("ask @b", 6, parts, [
      { agentId: "a2", name: "Bob Smith" },
      { agentId: "a9", name: "Bobby Tables" },
    ]);
    expect(rows.map((r) => [r.label, r.detail])).toEqual([
      ["@Bob-Smith", "in this chat"],
      ["@Bobby-Tables", "adds it to the chat"],
    ]);
    expect(rows[1]!.apply("ask @b")).toEqual({ text: "ask @Bobby-Tables ", caret: 18 });
  });
  test("nothing outside a mention, and an e-mail address is no mention", () => {
    expect(mentionSuggestions("hello", 5, parts, [])).toEqual([]);
    expect(mentionSuggestions("mail bob@ex", 11, parts, [])).toEqual([]);
  });
});
