import { describe, expect, expectTypeOf, test } from "vitest";
import type { z } from "zod";
import type { ChatListItem, ChatView } from "../../lib/groupchat/types";
import { chatListOutput, chatViewOutput } from "../../lib/schemas/groupchat";
import type { Principal } from "./service";
import { chatEventsFor, chatViewFor } from "./share-redact";

const share: Principal = {
  kind: "share",
  shareId: "s",
  label: "Sam",
  scope: "groupchat",
  agentId: null,
  runId: null,
  groupChatId: "C",
  permission: "view",
  canApprove: false,
  expiresAt: new Date(0),
};
const owner: Principal = { kind: "owner", sessionId: "o" };

const participant = {
  id: "p1",
  agentId: "A",
  name: "Alpha",
  agentName: "Alpha",
  provider: "claude",
  folder: "/home/owner/secret/alpha",
  role: "backend",
  colorIndex: 0,
  tabId: null,
};
const totals = { inputTokens: 1, outputTokens: 2, costUsd: 0.5, durationMs: 10 };
const view: ChatView = {
  chat: {
    id: "C",
    name: "Team",
    moderatorAgentId: "M",
    moderatorName: "Mod",
    moderatorProvider: "claude",
    moderatorTabId: null,
    status: "idle",
    statusDetail: "",
    working: [],
    participantTimeoutMs: 600_000,
    roundLimit: 6,
    totals,
    createdAt: "2026-12-07T00:00:00.000Z",
    updatedAt: "2026-12-07T00:00:00.000Z",
  },
  participants: [participant],
  rounds: [{ id: "r", index: 1, status: "done", moderatorTurns: 2, error: null, startedAt: "x", endedAt: null }],
  messages: [
    {
      id: "m",
      roundId: "r",
      author: "participant",
      agentId: "A",
      agentName: "Alpha",
      turnId: null,
      tabId: null,
      kind: "response",
      status: "done",
      text: "hi",
      mentions: [],
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      durationMs: null,
      error: null,
      createdAt: "x",
      endedAt: null,
    },
  ],
  activity: { m: "reading" },
  lastEventId: 7,
};

describe("what a share session sees of a chat", () => {
  test("participants' folders by name only; the owner sees them whole", () => {
    expect(chatViewFor(share, view).participants[0]!.folder).toBe("alpha");
    expect(chatViewFor(owner, view)).toBe(view);
    expect(view.participants[0]!.folder).toBe("/home/owner/secret/alpha");
  });

  test("the stream's participant lists too; other events pass as they are", () => {
    const events = [
      { type: "participants" as const, participants: [participant], id: 1 },
      { type: "delta" as const, messageId: "m", text: "/home/owner", id: 2 },
    ];
    expect(chatEventsFor(share, events)).toEqual([{ ...events[0], participants: [{ ...participant, folder: "alpha" }] }, events[1]]);
    expect(chatEventsFor(owner, events)).toBe(events);
  });
});

describe("the output schemas are the views, field for field", () => {
  test("types", () => {
    expectTypeOf<z.infer<typeof chatViewOutput>>().toEqualTypeOf<ChatView>();
    expectTypeOf<z.infer<typeof chatListOutput>>().toEqualTypeOf<ChatListItem[]>();
  });

  test("a whole view passes unchanged; a missing field fails closed", () => {
    expect(chatViewOutput.parse(view)).toEqual(view);
    const { lastEventId: _, ...partial } = view;
    expect(chatViewOutput.safeParse(partial).success).toBe(false);
  });
});
