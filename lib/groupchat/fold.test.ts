import { describe, expect, test } from "vitest";
import { foldChat } from "./fold";
import type { ChatHeader, ChatMessageView, ChatView, StoredChatEvent } from "./types";

const header: ChatHeader = {
  id: "chat",
  name: "Chat",
  moderatorAgentId: "mod",
  moderatorName: "Mod",
  moderatorProvider: "simulator",
  moderatorTabId: null,
  status: "idle",
  statusDetail: "",
  working: [],
  participantTimeoutMs: 600_000,
  roundLimit: 6,
  totals: { inputTokens: 0, outputTokens: 0, costUsd: 0, durationMs: 0 },
  createdAt: "2026-12-07T00:00:00.000Z",
  updatedAt: "2026-12-07T00:00:00.000Z",
};
const empty: ChatView = { chat: header, participants: [], rounds: [], messages: [], activity: {}, lastEventId: 0 };

function message(id: string, over: Partial<ChatMessageView> = {}): ChatMessageView {
  return {
    id,
    roundId: "r1",
    author: "participant",
    agentId: "a",
    agentName: "Ann",
    turnId: null,
    tabId: null,
    kind: "response",
    status: "streaming",
    text: "",
    mentions: [],
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    durationMs: null,
    error: null,
    createdAt: "2026-12-07T00:00:01.000Z",
    endedAt: null,
    ...over,
  };
}

const round = { id: "r1", index: 1, status: "running" as const, moderatorTurns: 0, error: null, startedAt: "x", endedAt: null };

describe("foldChat", () => {
  test("a message streams (deltas, activity), then is replaced whole at its end", () => {
    const events: StoredChatEvent[] = [
      { id: 1, type: "round", round },
      { id: 2, type: "message", message: message("m1") },
      { id: 3, type: "activity", messageId: "m1", text: "Read: a.ts" },
      { id: 4, type: "delta", messageId: "m1", text: "Hello" },
      { id: 5, type: "activity", messageId: "m1", text: "Bash: ls" },
      { id: 6, type: "delta", messageId: "m1", text: ", world" },
    ];
    const mid = foldChat(empty, events.slice(0, 5));
    expect(mid.messages[0]!.text).toBe("Hello");
    expect(mid.activity).toEqual({ m1: "Bash: ls" });
    const streamed = foldChat(mid, events.slice(5));
    expect(streamed.messages[0]!.text).toBe("Hello, world");
    // A delta clears the activity line: the agent writes again.
    expect(streamed.activity).toEqual({});
    const withLine = foldChat(streamed, [{ id: 7, type: "activity", messageId: "m1", text: "Edit: b.ts" }]);
    const ended = foldChat(withLine, [
      { id: 8, type: "message", message: message("m1", { status: "done", text: "Hello, world!", outputTokens: 5 }) },
      { id: 9, type: "round", round: { ...round, status: "done", moderatorTurns: 2 } },
    ]);
    expect(ended.messages).toEqual([message("m1", { status: "done", text: "Hello, world!", outputTokens: 5 })]);
    expect(ended.activity).toEqual({});
    expect(ended.rounds).toEqual([{ ...round, status: "done", moderatorTurns: 2 }]);
    expect(ended.lastEventId).toBe(9);
  });

  test("events at or below the view's id are skipped: a replayed batch applies once", () => {
    const batch: StoredChatEvent[] = [
      { id: 1, type: "message", message: message("m1") },
      { id: 2, type: "delta", messageId: "m1", text: "ab" },
    ];
    const once = foldChat(empty, batch);
    expect(foldChat(once, batch)).toBe(once);
    expect(foldChat(once, [...batch, { id: 3, type: "delta", messageId: "m1", text: "c" }]).messages[0]!.text).toBe("abc");
  });

  test("the header and the participant list are replaced whole; messages keep their first order", () => {
    const participants = [
      { id: "p", agentId: "a", name: "Ann", agentName: "Ann", provider: "simulator", folder: "/", role: "", colorIndex: 0, tabId: null },
    ];
    const v = foldChat(empty, [
      { id: 1, type: "chat", chat: { ...header, status: "agents", working: ["a"] } },
      { id: 2, type: "participants", participants },
      { id: 3, type: "message", message: message("m1") },
      { id: 4, type: "message", message: message("m2") },
      { id: 5, type: "message", message: message("m1", { status: "failed" }) },
    ]);
    expect(v.chat.working).toEqual(["a"]);
    expect(v.participants).toEqual(participants);
    expect(v.messages.map((m) => [m.id, m.status])).toEqual([
      ["m1", "failed"],
      ["m2", "streaming"],
    ]);
    expect(foldChat(v, [{ id: 6, type: "participants", participants: [] }]).participants).toEqual([]);
  });
});
