import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { foldChat } from "../../../lib/groupchat/fold";
import { chatTestbed, emptyView, expectSameView } from "./chat.testkit";

/** Rounds with real simulator processes: fan-out, chain, synthesis, lost delegations, limits. */
let bed: ReturnType<typeof chatTestbed>;
const owner = { canAddParticipants: true };

beforeAll(() => {
  bed = chatTestbed();
});
afterAll(async () => {
  await bed.cleanup();
});

async function newChat(
  names: string[],
  opts: { env?: Record<string, string>; roundLimit?: number; fault?: Record<string, Record<string, string>> } = {},
) {
  const suffix = Math.random().toString(36).slice(2, 6);
  const moderator = await bed.agent(`Mod ${suffix}`);
  const agents: Awaited<ReturnType<typeof bed.agent>>[] = [];
  for (const n of names) agents.push(await bed.agent(`${n}${suffix}`, { ...opts.env, ...opts.fault?.[n] }));
  const { id } = await bed.services.groupchat.create({
    name: `chat ${suffix}`,
    moderatorAgentId: moderator.id,
    participantAgentIds: agents.map((a) => a.id),
    roundLimit: opts.roundLimit,
  });
  return { id, moderator, agents, mention: (i: number) => agents[i]!.name };
}

describe("a round", () => {
  test("fans out to 3 participants at once, synthesizes a final answer; get + the stream fold to the same chat", async () => {
    const { id, agents, moderator } = await newChat(["Ann", "Bob", "Cy"], {
      env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "100" },
    });
    const sent = await bed.services.groupchat.send({ chatId: id, text: "How do we ship this? [sim: parallel]" }, owner);
    // Midway: a client's get, then the stream after its id.
    const mid = await bed.until("participants working", async () => {
      const v = await bed.services.groupchat.get(id);
      return v.chat.status === "agents" ? v : null;
    });
    expect(mid.chat.working.length).toBeGreaterThan(0);
    // More reads while the answers stream: each is the fold of the events up to its id.
    const reads = [mid];
    for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
      const v = await bed.services.groupchat.get(id);
      if (v.chat.status !== "agents") break;
      reads.push(v);
      await new Promise((r) => setTimeout(r, 25));
    }
    const round = await bed.roundEnd(sent.roundId);
    expect(round.status).toBe("done");
    expect(round.moderatorTurns).toBe(2);

    const view = await bed.services.groupchat.get(id);
    const responses = view.messages.filter((m) => m.kind === "response");
    expect(responses.map((m) => m.agentId).sort()).toEqual(agents.map((a) => a.id).sort());
    expect(responses.map((m) => [m.status, m.error, m.text.length > 0, !!m.turnId])).toEqual(
      responses.map(() => ["done", null, true, true]),
    );
    // All three ran at once: each started before any ended.
    const lastStart = Math.max(...responses.map((m) => Date.parse(m.createdAt)));
    const firstEnd = Math.min(...responses.map((m) => Date.parse(m.endedAt!)));
    expect(lastStart).toBeLessThan(firstEnd);
    const delegation = view.messages.find((m) => m.kind === "delegation")!;
    expect(delegation.mentions).toHaveLength(3);
    const synthesis = view.messages.find((m) => m.kind === "synthesis")!;
    expect(synthesis.status).toBe("done");
    expect(synthesis.text).not.toContain("[final]");
    expect(view.chat.status).toBe("idle");
    expect(view.chat.working).toEqual([]);
    // Totals are the messages' sums.
    const sum = view.messages.reduce((s, m) => s + m.outputTokens, 0);
    expect(view.chat.totals.outputTokens).toBe(sum);
    expect(sum).toBeGreaterThan(0);

    const all = await bed.allEvents(id);
    expect(all.some((e) => e.type === "delta")).toBe(true);
    expectSameView(foldChat(emptyView(view), all), view);
    expectSameView(foldChat(mid, await bed.allEvents(id, mid.lastEventId)), view);
    const streamedText = reads.flatMap((r) => r.messages.filter((m) => m.status === "streaming" && m.text));
    expect(streamedText.length).toBeGreaterThan(0);
    for (const r of reads) {
      const upTo = foldChat(
        emptyView(r),
        all.filter((e) => e.id <= r.lastEventId),
      );
      expect({ messages: upTo.messages, rounds: upTo.rounds, participants: upTo.participants }).toEqual({
        messages: r.messages,
        rounds: r.rounds,
        participants: r.participants,
      });
    }

    // Participant turns are not user turns: no `turn` History; the chat's own entries instead.
    const history = await bed.services.db.historyEntry.findMany({ where: { groupChatId: id } });
    expect(history.filter((h) => h.kind === "groupchat-delegation")).toHaveLength(3);
    expect(history.filter((h) => h.kind === "groupchat-response" && h.turnId)).toHaveLength(3);
    expect(history.filter((h) => h.kind === "groupchat-synthesis")).toHaveLength(1);
    expect(
      await bed.services.db.historyEntry.count({ where: { kind: "turn", agentId: { in: [moderator.id, ...agents.map((a) => a.id)] } } }),
    ).toBe(0);
    expect(bed.notifies.some((n) => n.url === `/groupchats/${id}` && n.tag === `groupchat:${id}` && /answered/.test(n.title))).toBe(true);
    // The moderator ran read-only on its own tab, resumed next round.
    expect(view.chat.moderatorTabId).toBeTruthy();
    const item = (await bed.services.groupchat.list()).find((c) => c.id === id)!;
    expect(item).toMatchObject({ status: "idle", working: [], totals: view.chat.totals });
    expect(item.lastMessage).toMatchObject({ author: "moderator", text: synthesis.text.slice(0, 200) });
    expect(item.participants.map((p) => p.agentId).sort()).toEqual(agents.map((a) => a.id).sort());
  }, 60_000);

  test("a chain A → B carries A's answer forward, then a final answer", async () => {
    const { id, mention } = await newChat(["Ada", "Ben"]);
    const sent = await bed.services.groupchat.send({ chatId: id, text: `Step by step. [sim: chain ${mention(0)} ${mention(1)}]` }, owner);
    expect((await bed.roundEnd(sent.roundId)).status).toBe("done");
    const msgs = await bed.messages(id);
    const [a, b] = msgs.filter((m) => m.kind === "response");
    expect(a!.agentName).toBe(mention(0));
    expect(b!.agentName).toBe(mention(1));
    expect(Date.parse(a!.endedAt!)).toBeLessThanOrEqual(Date.parse(b!.createdAt));
    // B's request holds A's answer (the moderator passes it on).
    const bTurn = await bed.services.db.turn.findUniqueOrThrow({ where: { id: b!.turnId! } });
    const aFirstLine = a!.text.split("\n")[0]!.trim();
    expect(aFirstLine.length).toBeGreaterThan(0);
    expect(bTurn.prompt).toContain(aFirstLine.slice(0, 40));
    expect(msgs.filter((m) => m.author === "moderator").map((m) => m.kind)).toEqual(["delegation", "synthesis", "synthesis"]);
  }, 60_000);

  test("a lost delegation is retried once with a correction that fixes it", async () => {
    const { id } = await newChat(["Al", "Bo"]);
    const sent = await bed.services.groupchat.send({ chatId: id, text: "Who knows? [sim: lost-once]" }, owner);
    expect((await bed.roundEnd(sent.roundId)).status).toBe("done");
    const msgs = await bed.messages(id);
    expect(msgs.filter((m) => m.kind === "retry")).toHaveLength(1);
    expect(msgs.filter((m) => m.kind === "response")).toHaveLength(2);
    expect(msgs.filter((m) => m.author === "system")).toHaveLength(0);
  }, 60_000);

  test("a delegation still lost after the correction is shown as the answer, with a notice", async () => {
    const { id } = await newChat(["Al", "Bo"]);
    const sent = await bed.services.groupchat.send({ chatId: id, text: "Who knows? [sim: lost]" }, owner);
    const round = await bed.roundEnd(sent.roundId);
    expect(round.status).toBe("done");
    expect(round.moderatorTurns).toBe(2);
    const msgs = await bed.messages(id);
    expect(msgs.filter((m) => m.kind === "response")).toHaveLength(0);
    expect(msgs.at(-2)!.kind).toBe("retry");
    expect(msgs.at(-1)!.author).toBe("system");
    expect(msgs.at(-1)!.text).toMatch(/neither delegated/);
  }, 60_000);

  test("ping-pong stops at the round limit with a notice", async () => {
    const { id } = await newChat(["Pi", "Po"], { roundLimit: 3 });
    const sent = await bed.services.groupchat.send({ chatId: id, text: "Go. [sim: ping-pong]" }, owner);
    const round = await bed.roundEnd(sent.roundId);
    expect(round.status).toBe("limit");
    expect(round.moderatorTurns).toBe(3);
    const msgs = await bed.messages(id);
    expect(msgs.filter((m) => m.author === "moderator")).toHaveLength(3);
    expect(msgs.at(-1)!.text).toMatch(/round limit \(3\)/);
    const view = await bed.services.groupchat.get(id);
    expect(view.chat.status).toBe("idle");
    expect(view.rounds.at(-1)!.status).toBe("limit");
  }, 60_000);

  test("a resend with the same clientId is not run twice", async () => {
    const { id } = await newChat(["Re"]);
    const input = { chatId: id, text: "Once. [sim: final]", clientId: "client-1" };
    const [first, again] = await Promise.all([bed.services.groupchat.send(input, owner), bed.services.groupchat.send(input, owner)]);
    expect(again.messageId).toBe(first.messageId);
    expect(again.duplicate).toBe(true);
    await bed.roundEnd(first.roundId);
    const later = await bed.services.groupchat.send(input, owner);
    expect(later).toMatchObject({ messageId: first.messageId, roundId: first.roundId, duplicate: true });
    expect(await bed.services.db.groupChatRound.count({ where: { chatId: id } })).toBe(1);
    expect((await bed.messages(id)).filter((m) => m.author === "user")).toHaveLength(1);
  }, 60_000);
});

describe("chat settings", () => {
  test("rename and a new moderator reach the stream; the new moderator gets its own tab", async () => {
    const { id, moderator } = await newChat(["Set"]);
    const first = await bed.services.groupchat.send({ chatId: id, text: "Hi. [sim: final]" }, owner);
    await bed.roundEnd(first.roundId);
    const before = await bed.services.groupchat.get(id);
    expect(before.chat.moderatorTabId).toBeTruthy();
    const other = await bed.agent(`Other ${Math.random().toString(36).slice(2, 6)}`);
    await bed.services.groupchat.update({ chatId: id, name: "Renamed", moderatorAgentId: other.id });
    const folded = foldChat(before, await bed.allEvents(id, before.lastEventId));
    expect(folded.chat).toMatchObject({ name: "Renamed", moderatorAgentId: other.id, moderatorName: other.name, moderatorTabId: null });
    const next = await bed.services.groupchat.send({ chatId: id, text: "Again. [sim: final]" }, owner);
    await bed.roundEnd(next.roundId);
    const after = await bed.services.groupchat.get(id);
    expect(after.messages.at(-1)).toMatchObject({ author: "moderator", agentId: other.id });
    expect((await bed.services.tabs.list(other.id)).map((t) => t.id)).toContain(after.chat.moderatorTabId);
    expect(moderator.id).not.toBe(other.id);
    await expect(bed.services.groupchat.update({ chatId: id, moderatorAgentId: "nope" })).rejects.toThrow(/no longer exists/);
  }, 30_000);
});
