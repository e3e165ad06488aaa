import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { foldChat } from "../../../lib/groupchat/fold";
import { HEADINGS } from "../../../lib/groupchat/prompt";
import { chatTestbed, emptyView } from "./chat.testkit";

/** Participants that hang, crash, lose their session; Stop; the participant add/remove race; Auto Run. */
let bed: ReturnType<typeof chatTestbed>;
const owner = { canAddParticipants: true };
const TIMEOUT_MS = 2500;

beforeAll(() => {
  bed = chatTestbed({ participantTimeoutMs: TIMEOUT_MS });
});
afterAll(async () => {
  await bed.cleanup();
});

async function newChat(spec: { name: string; env?: Record<string, string> }[]) {
  const suffix = Math.random().toString(36).slice(2, 6);
  const moderator = await bed.agent(`Mod ${suffix}`);
  const agents: Awaited<ReturnType<typeof bed.agent>>[] = [];
  for (const s of spec) agents.push(await bed.agent(`${s.name}${suffix}`, s.env));
  const name = `chat-${suffix}-${Date.now()}`;
  const { id } = await bed.services.groupchat.create({
    name,
    moderatorAgentId: moderator.id,
    participantAgentIds: agents.map((a) => a.id),
  });
  return { id, name, moderator, agents };
}

/** Live processes whose environment carries this marker (the agents' own env setting: their CLIs). */
function processesOf(marker: string): number {
  let n = 0;
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(`GC_TEST_MARK=${marker}`)) n++;
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return n;
}

describe("failures", () => {
  test("a participant that hangs times out; the others' answers are synthesized", async () => {
    const { id, agents } = await newChat([{ name: "Hang", env: { MAESTRO_SIM_FAULT: "hang" } }, { name: "Fine" }]);
    const started = Date.now();
    const sent = await bed.services.groupchat.send({ chatId: id, text: "Both of you. [sim: parallel]" }, owner);
    const round = await bed.roundEnd(sent.roundId);
    expect(round.status).toBe("done");
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS);
    const msgs = await bed.messages(id);
    const hung = msgs.find((m) => m.agentId === agents[0]!.id)!;
    const fine = msgs.find((m) => m.agentId === agents[1]!.id)!;
    expect(hung).toMatchObject({ status: "timeout", kind: "response" });
    expect(hung.error).toMatch(/No answer within 3 s/);
    expect(fine.status).toBe("done");
    const turn = await bed.services.db.turn.findUniqueOrThrow({ where: { id: hung.turnId! } });
    expect(turn.status).toBe("stopped");
    expect(bed.services.turns.isBusy(hung.tabId!)).toBe(false);
    // The moderator was told: its synthesis prompt lists the timed-out answer.
    const synthesis = msgs.find((m) => m.kind === "synthesis")!;
    const prompt = (await bed.services.db.turn.findUniqueOrThrow({ where: { id: synthesis.turnId! } })).prompt;
    expect(prompt).toMatch(/\(timeout\)/);
  }, 30_000);

  test("a participant that crashes in a chain fails, the chain stops, the round ends failed", async () => {
    const { id, agents } = await newChat([{ name: "Crash", env: { MAESTRO_SIM_FAULT: "crash" } }, { name: "Next" }]);
    const [crash, next] = agents.map((a) => a.name.replace(/\s+/g, "-"));
    const sent = await bed.services.groupchat.send({ chatId: id, text: `Chain. [sim: chain ${crash} ${next}]` }, owner);
    const round = await bed.roundEnd(sent.roundId);
    expect(round.status).toBe("failed");
    const msgs = await bed.messages(id);
    const responses = msgs.filter((m) => m.kind === "response");
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({ agentId: agents[0]!.id, status: "failed" });
    expect(responses[0]!.error).toMatch(/crash/i);
    const view = await bed.services.groupchat.get(id);
    expect(view.chat.status).toBe("failed");
    // A failed chat takes the next message.
    const again = await bed.services.groupchat.send({ chatId: id, text: "Just answer. [sim: final]" }, owner);
    expect((await bed.roundEnd(again.roundId)).status).toBe("done");
  }, 30_000);

  test("a single-mention step that fails stops the chain: a further delegation is not followed", async () => {
    const { id, agents } = await newChat([{ name: "Break", env: { MAESTRO_SIM_FAULT: "crash" } }, { name: "Idle" }]);
    const sent = await bed.services.groupchat.send({ chatId: id, text: "Again and again. [sim: ping-pong]" }, owner);
    const round = await bed.roundEnd(sent.roundId);
    expect(round).toMatchObject({ status: "failed", moderatorTurns: 2 });
    const msgs = await bed.messages(id);
    expect(msgs.filter((m) => m.kind === "response").map((m) => [m.agentId, m.status])).toEqual([[agents[0]!.id, "failed"]]);
    // The synthesis asked for the next step; it is shown without mentions, and the chat says why it stopped.
    const synthesis = msgs.find((m) => m.kind === "synthesis")!;
    expect(synthesis.text).toContain("@");
    expect(synthesis.mentions).toEqual([]);
    expect(msgs.at(-1)).toMatchObject({ author: "system" });
    expect(msgs.at(-1)!.text).toMatch(/The chain stopped: @Break\w+ failed/);
  }, 30_000);

  test("Stop mid-round stops every process of the chat; the next message runs", async () => {
    const mark = `stop-${Date.now()}`;
    const { id, agents } = await newChat([
      { name: "Slow1", env: { MAESTRO_SIM_FAULT: "hang", GC_TEST_MARK: mark } },
      { name: "Slow2", env: { MAESTRO_SIM_FAULT: "hang", GC_TEST_MARK: mark } },
    ]);
    const sent = await bed.services.groupchat.send({ chatId: id, text: "Work. [sim: parallel]" }, owner);
    await bed.until("both participants working", async () => {
      const v = await bed.services.groupchat.get(id);
      const responses = v.messages.filter((m) => m.kind === "response");
      return v.chat.status === "agents" && responses.length === 2 && responses.every((m) => m.turnId);
    });
    // The CLIs start on the command thread a moment after their turns: both run before the stop.
    await bed.until("both CLIs running", () => Promise.resolve(processesOf(mark) >= 2));
    // A participant at work is not removed from under its request.
    await expect(bed.services.groupchat.removeParticipant({ chatId: id, agentId: agents[0]!.id })).rejects.toThrow(/stop the round first/);
    expect(await bed.services.groupchat.stop(id)).toEqual({ stopping: true });
    const round = await bed.roundEnd(sent.roundId);
    expect(round.status).toBe("stopped");
    const view = await bed.services.groupchat.get(id);
    expect(view.chat.status).toBe("stopped");
    const responses = view.messages.filter((m) => m.kind === "response");
    expect(responses.map((m) => m.status)).toEqual(["stopped", "stopped"]);
    for (const m of responses) expect(bed.services.turns.isBusy(m.tabId!)).toBe(false);
    await bed.until("no process of the chat left", () => Promise.resolve(processesOf(mark) === 0), 5000);
    expect(await bed.services.groupchat.stop(id)).toEqual({ stopping: false });
    const next = await bed.services.groupchat.send({ chatId: id, text: "Answer. [sim: final]" }, owner);
    expect((await bed.roundEnd(next.roundId)).status).toBe("done");
  }, 30_000);

  test("a participant whose session is gone answers in a fresh session with a recap", async () => {
    const { id, agents } = await newChat([{ name: "Forget" }]);
    const first = await bed.services.groupchat.send({ chatId: id, text: "One. [sim: parallel]" }, owner);
    await bed.roundEnd(first.roundId);
    fs.rmSync(path.join(bed.simHome, "sessions"), { recursive: true, force: true });
    const second = await bed.services.groupchat.send({ chatId: id, text: "Two. [sim: parallel]" }, owner);
    expect((await bed.roundEnd(second.roundId)).status).toBe("done");
    const answers = (await bed.messages(id)).filter((m) => m.agentId === agents[0]!.id);
    expect(answers.map((m) => m.status)).toEqual(["done", "done"]);
    const turn = await bed.services.db.turn.findUniqueOrThrow({ where: { id: answers[1]!.turnId! } });
    expect(turn.prompt).toContain(HEADINGS.recap);
    expect(turn.prompt).toContain(answers[0]!.text.split("\n")[0]!.slice(0, 30));
  }, 30_000);

  test("retry runs the last user message again in a new round (not after an answered one)", async () => {
    const { id } = await newChat([{ name: "Again" }]);
    await bed.services.groupchat.update({ chatId: id, roundLimit: 1 });
    const sent = await bed.services.groupchat.send({ chatId: id, text: "Hi. [sim: ping-pong]" }, owner);
    expect((await bed.roundEnd(sent.roundId)).status).toBe("limit");
    const { roundId } = await bed.services.groupchat.retry(id);
    expect(roundId).not.toBe(sent.roundId);
    expect((await bed.roundEnd(roundId)).status).toBe("limit");
    const view = await bed.services.groupchat.get(id);
    expect(view.messages.filter((m) => m.author === "user")).toHaveLength(1);
    expect(view.rounds.map((r) => [r.index, r.status])).toEqual([
      [1, "limit"],
      [2, "limit"],
    ]);
    const answered = await bed.services.groupchat.send({ chatId: id, text: "Hi. [sim: final]" }, owner);
    expect((await bed.roundEnd(answered.roundId)).status).toBe("done");
    await expect(bed.services.groupchat.retry(id)).rejects.toThrow(/was answered/);
  }, 30_000);

  test("deleting a chat mid-round stops its processes first; its agents' tabs stay", async () => {
    const mark = `delete-${Date.now()}`;
    const { id, agents } = await newChat([{ name: "Gone", env: { MAESTRO_SIM_FAULT: "hang", GC_TEST_MARK: mark } }]);
    const sent = await bed.services.groupchat.send({ chatId: id, text: "Work. [sim: parallel]" }, owner);
    const tabId = await bed.until("the participant working", async () => {
      const v = await bed.services.groupchat.get(id);
      return v.messages.find((m) => m.kind === "response" && m.turnId)?.tabId;
    });
    await bed.until("its CLI running", () => Promise.resolve(processesOf(mark) === 1));
    await bed.services.groupchat.remove(id);
    expect(processesOf(mark)).toBe(0);
    expect(bed.services.turns.isBusy(tabId)).toBe(false);
    await expect(bed.services.groupchat.get(id)).rejects.toThrow(/no longer exists/);
    expect(await bed.services.db.groupChatRound.count({ where: { id: sent.roundId } })).toBe(0);
    expect(await bed.services.db.groupChatEvent.count({ where: { chatId: id } })).toBe(0);
    expect((await bed.services.tabs.list(agents[0]!.id)).map((t) => t.id)).toContain(tabId);
  }, 30_000);
});

describe("participants", () => {
  test("removing a participant while a message @mentions it resolves to one state, told as it is", async () => {
    const { id, agents } = await newChat([{ name: "Stay" }]);
    const extra = await bed.agent(`Racer${Math.random().toString(36).slice(2, 6)}`);
    for (let i = 0; i < 4; i++) {
      const send = bed.services.groupchat.send({ chatId: id, text: `@${extra.name} join. [sim: final]` }, owner);
      const remove = bed.services.groupchat.removeParticipant({ chatId: id, agentId: extra.id });
      const add = bed.services.groupchat.addParticipant({ chatId: id, agentId: extra.id });
      const again = bed.services.groupchat.removeParticipant({ chatId: id, agentId: extra.id });
      const results = await Promise.allSettled([send, remove, add, again]);
      for (const r of results) if (r.status === "rejected") expect(String(r.reason)).toMatch(/not in this chat/);
      if (results[0].status === "fulfilled") await bed.roundEnd(results[0].value.roundId);
      const view = await bed.services.groupchat.get(id);
      const stored = await bed.services.db.groupChatParticipant.findMany({ where: { chatId: id } });
      expect(view.participants.map((p) => p.agentId).sort()).toEqual(stored.map((p) => p.agentId).sort());
      const folded = foldChat(emptyView(view), await bed.allEvents(id));
      expect(folded.participants).toEqual(view.participants);
      expect(stored.filter((p) => p.agentId === agents[0]!.id)).toHaveLength(1);
      expect(new Set(stored.map((p) => p.agentId)).size).toBe(stored.length);
    }
  }, 60_000);

  test("a share caller's @mention does not add an agent; the owner's does", async () => {
    const { id } = await newChat([{ name: "Only" }]);
    const outsider = await bed.agent(`Out${Math.random().toString(36).slice(2, 6)}`);
    const shared = await bed.services.groupchat.send(
      { chatId: id, text: `@${outsider.name} hi [sim: final]` },
      { canAddParticipants: false },
    );
    await bed.roundEnd(shared.roundId);
    expect((await bed.services.groupchat.get(id)).participants.some((p) => p.agentId === outsider.id)).toBe(false);
    const own = await bed.services.groupchat.send({ chatId: id, text: `@${outsider.name} hi [sim: final]` }, owner);
    await bed.roundEnd(own.roundId);
    expect((await bed.services.groupchat.get(id)).participants.some((p) => p.agentId === outsider.id)).toBe(true);
  }, 30_000);
});

describe("!autorun", () => {
  test("starts the participant's Auto Run and reports its end into the chat", async () => {
    const { id, agents } = await newChat([{ name: "Runner" }]);
    const docs = path.join(bed.project, ".maestro", "playbooks");
    fs.mkdirSync(docs, { recursive: true });
    fs.writeFileSync(path.join(docs, "gc-plan.md"), "# Plan\n\n- [ ] one\n");
    const name = agents[0]!.name;
    const sent = await bed.services.groupchat.send({ chatId: id, text: `Run it. [sim: autorun ${name}:gc-plan.md]` }, owner);
    expect((await bed.roundEnd(sent.roundId)).status).toBe("done");
    const ended = await bed.until("the run's end in the chat", async () => {
      const notices = (await bed.messages(id)).filter((m) => m.author === "system").map((m) => m.text);
      return notices.some((t) => /ended/.test(t)) ? notices : null;
    });
    expect(ended[0]).toBe(`Started Auto Run of @${name}: gc-plan.md.`);
    expect(ended[1]).toMatch(new RegExp(`^Auto Run of @${name} ended: done`));
  }, 60_000);
});

describe("shutdown", () => {
  // Last in the file: it ends the service's Auto Run watch too.
  test("a bridge shutdown mid-round leaves the round interrupted (Retry offered), not stopped", async () => {
    const { id } = await newChat([{ name: "Cut", env: { MAESTRO_SIM_FAULT: "hang" } }]);
    const sent = await bed.services.groupchat.send({ chatId: id, text: "Work. [sim: parallel]" }, owner);
    await bed.until("the participant working", async () => {
      const v = await bed.services.groupchat.get(id);
      return v.messages.some((m) => m.kind === "response" && m.turnId);
    });
    await bed.services.groupchat.shutdown();
    const round = await bed.services.db.groupChatRound.findUniqueOrThrow({ where: { id: sent.roundId } });
    expect(round.status).toBe("interrupted");
    const view = await bed.services.groupchat.get(id);
    expect(view.messages.find((m) => m.kind === "response")!.status).toBe("interrupted");
    expect(view.chat.status).toBe("idle");
    expect(view.chat.statusDetail).toMatch(/Retry/);
  }, 30_000);
});
