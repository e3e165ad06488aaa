import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { foldChat } from "../../../lib/groupchat/fold";
import { chatTestbed, emptyView, expectSameView } from "./chat.testkit";

/**
 * Who may be asked and by whom: removed participants, the moderator as a participant, a moderator
 * change, deleted agents, retries, repeated lost replies, read-only moderators, and the Auto Runs
 * a chat started when it is stopped or deleted.
 */
let bed: ReturnType<typeof chatTestbed>;
const owner = { canAddParticipants: true };

beforeAll(() => {
  bed = chatTestbed();
});
afterAll(async () => {
  await bed.cleanup();
});

type Agent = Awaited<ReturnType<typeof bed.agent>>;

async function newChat(spec: { moderatorEnv?: Record<string, string>; names: string[]; env?: Record<string, string> }) {
  const suffix = Math.random().toString(36).slice(2, 6);
  const moderator = await bed.agent(`Mod ${suffix}`, spec.moderatorEnv);
  const agents: Agent[] = [];
  for (const n of spec.names) agents.push(await bed.agent(`${n}${suffix}`, spec.env));
  const { id } = await bed.services.groupchat.create({
    name: `chat ${suffix}`,
    moderatorAgentId: moderator.id,
    participantAgentIds: agents.map((a) => a.id),
  });
  return { id, moderator, agents };
}

/** Live processes whose environment carries this marker, with their argv. */
function processesOf(marker: string): string[][] {
  const out: string[][] = [];
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(`GC_TEST_MARK=${marker}`))
        out.push(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0"));
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return out;
}

const SLOW = { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "300" };

async function moderatorWorking(chatId: string) {
  return bed.until("the moderator working", async () => {
    const v = await bed.services.groupchat.get(chatId);
    return v.messages.find((m) => m.author === "moderator" && m.status === "streaming" && m.turnId);
  });
}

describe("who is asked", () => {
  test("a participant removed while the moderator thinks is not asked; the chat says so", async () => {
    const { id, agents } = await newChat({ moderatorEnv: SLOW, names: ["Keep", "Drop"] });
    const [keep, drop] = agents as [Agent, Agent];
    const sent = await bed.services.groupchat.send({ chatId: id, text: "Both of you. [sim: parallel]" }, owner);
    await moderatorWorking(id);
    await bed.services.groupchat.removeParticipant({ chatId: id, agentId: drop.id });
    expect((await bed.roundEnd(sent.roundId)).status).toBe("done");
    const msgs = await bed.messages(id);
    // The moderator's prompt listed Drop: its reply mentions it, yet Drop never ran.
    expect(msgs.find((m) => m.kind === "delegation")!.text).toContain(`@${drop.name}`);
    expect(msgs.find((m) => m.kind === "delegation")!.mentions).toEqual([keep.name]);
    expect(msgs.filter((m) => m.kind === "response").map((m) => m.agentId)).toEqual([keep.id]);
    expect(await bed.services.db.turn.count({ where: { agentId: drop.id } })).toBe(0);
    expect(msgs.some((m) => m.author === "system" && m.text === `@${drop.name} is no longer in this chat: not asked.`)).toBe(true);
  }, 30_000);

  test("when every mentioned participant is gone, the reply is no delegation (the correction follows)", async () => {
    const { id, agents } = await newChat({ moderatorEnv: SLOW, names: ["Only"] });
    const sent = await bed.services.groupchat.send({ chatId: id, text: "You. [sim: parallel]" }, owner);
    await moderatorWorking(id);
    await bed.services.groupchat.removeParticipant({ chatId: id, agentId: agents[0]!.id });
    expect((await bed.roundEnd(sent.roundId)).status).toBe("done");
    const msgs = await bed.messages(id);
    expect(msgs.filter((m) => m.kind === "response")).toHaveLength(0);
    expect(await bed.services.db.turn.count({ where: { agentId: agents[0]!.id } })).toBe(0);
    // Nobody is left: the correction's parallel reply answers itself.
    expect(msgs.filter((m) => m.author === "moderator").map((m) => m.kind)).toEqual(["answer", "retry"]);
  }, 40_000);

  test("the moderator cannot be a participant of its own chat", async () => {
    const { id, moderator, agents } = await newChat({ names: ["Part"] });
    const other = await bed.agent(`Other${Math.random().toString(36).slice(2, 6)}`);
    await expect(
      bed.services.groupchat.create({ name: "x", moderatorAgentId: moderator.id, participantAgentIds: [other.id, moderator.id] }),
    ).rejects.toMatchObject({ code: "BAD_INPUT", message: expect.stringMatching(/moderator cannot also be a participant/) });
    await expect(bed.services.groupchat.addParticipant({ chatId: id, agentId: moderator.id })).rejects.toMatchObject({
      code: "BAD_INPUT",
    });
    await expect(bed.services.groupchat.update({ chatId: id, moderatorAgentId: agents[0]!.id })).rejects.toMatchObject({
      code: "BAD_INPUT",
      message: expect.stringMatching(/remove it from the participants first/),
    });
    const sent = await bed.services.groupchat.send({ chatId: id, text: `@${moderator.name} hi [sim: final]` }, owner);
    expect((await bed.roundEnd(sent.roundId)).status).toBe("done");
    const view = await bed.services.groupchat.get(id);
    expect(view.participants.map((p) => p.agentId)).toEqual([agents[0]!.id]);
    expect(view.chat.moderatorAgentId).toBe(moderator.id);
    // Removed from the participants first, it may become the moderator.
    await bed.services.groupchat.removeParticipant({ chatId: id, agentId: agents[0]!.id });
    await bed.services.groupchat.update({ chatId: id, moderatorAgentId: agents[0]!.id });
    expect((await bed.services.groupchat.get(id)).chat.moderatorAgentId).toBe(agents[0]!.id);
  }, 30_000);

  test("the moderator's turns run read-only (plan mode), the participants' do not", async () => {
    const mark = `ro-${Date.now()}`;
    const { id } = await newChat({
      moderatorEnv: { ...SLOW, GC_TEST_MARK: `${mark}-mod` },
      names: ["Writer"],
      env: { ...SLOW, GC_TEST_MARK: `${mark}-part` },
    });
    const sent = await bed.services.groupchat.send({ chatId: id, text: "Go. [sim: parallel]" }, owner);
    const moderatorArgv = await bed.until("the moderator's process", () => Promise.resolve(processesOf(`${mark}-mod`)[0]));
    const participantArgv = await bed.until("the participant's process", () => Promise.resolve(processesOf(`${mark}-part`)[0]));
    expect((await bed.roundEnd(sent.roundId)).status).toBe("done");
    const mode = (argv: string[]) => argv[argv.indexOf("--permission-mode") + 1];
    expect(mode(moderatorArgv)).toBe("plan");
    expect(participantArgv).not.toContain("plan");
  }, 30_000);
});

describe("moderator change and delete", () => {
  test("after a moderator change the next round's moderator turn runs on the new agent, never in the old one's tab", async () => {
    const { id, moderator } = await newChat({ names: ["Helper"] });
    const first = await bed.services.groupchat.send({ chatId: id, text: "One. [sim: final]" }, owner);
    await bed.roundEnd(first.roundId);
    const oldTab = (await bed.services.db.groupChat.findUniqueOrThrow({ where: { id } })).moderatorTabId!;
    const next = await bed.agent(`Next${Math.random().toString(36).slice(2, 6)}`);
    await bed.services.groupchat.update({ chatId: id, moderatorAgentId: next.id });
    // What a change racing a round's tab write could leave: the old agent's tab stored.
    await bed.services.db.groupChat.update({ where: { id }, data: { moderatorTabId: oldTab } });
    const second = await bed.services.groupchat.send({ chatId: id, text: "Two. [sim: final]" }, owner);
    expect((await bed.roundEnd(second.roundId)).status).toBe("done");
    const answer = (await bed.messages(id)).filter((m) => m.author === "moderator").at(-1)!;
    expect(answer.agentId).toBe(next.id);
    const turn = await bed.services.db.turn.findUniqueOrThrow({ where: { id: answer.turnId! } });
    expect(turn.agentId).toBe(next.id);
    expect(turn.tabId).not.toBe(oldTab);
    expect((await bed.services.db.tab.findUniqueOrThrow({ where: { id: turn.tabId } })).agentId).toBe(next.id);
    expect(await bed.services.db.turn.count({ where: { agentId: moderator.id } })).toBe(1);
  }, 30_000);

  test("a delete racing a send ends in one state, without a raw database error", async () => {
    const { id } = await newChat({ names: ["Racer"] });
    const [sent, removed] = await Promise.allSettled([
      bed.services.groupchat.send({ chatId: id, text: "Hi. [sim: parallel]" }, owner),
      bed.services.groupchat.remove(id),
    ]);
    expect(removed.status).toBe("fulfilled");
    if (sent.status === "rejected") expect(String(sent.reason)).toMatch(/no longer exists/);
    await expect(bed.services.groupchat.get(id)).rejects.toThrow(/no longer exists/);
    expect(await bed.services.db.groupChatMessage.count({ where: { chatId: id } })).toBe(0);
  }, 30_000);
});

describe("deleted agents", () => {
  test("deleting a participant's agent reaches the chat's stream: its fold equals get, with a notice", async () => {
    const { id, agents } = await newChat({ names: ["Stays", "Goes"] });
    const sent = await bed.services.groupchat.send({ chatId: id, text: "Hello. [sim: parallel]" }, owner);
    await bed.roundEnd(sent.roundId);
    await bed.services.agents.remove(agents[1]!.id);
    const view = await bed.until("the chat told", async () => {
      const v = await bed.services.groupchat.get(id);
      return v.messages.some((m) => m.author === "system" && m.text.includes("was deleted")) ? v : null;
    });
    expect(view.participants.map((p) => p.agentId)).toEqual([agents[0]!.id]);
    expectSameView(foldChat(emptyView(view), await bed.allEvents(id)), view);
  }, 30_000);
});

describe("rounds", () => {
  test("a retried message is in the moderator's prompt once, without the cut-off attempt's answers", async () => {
    const { id } = await newChat({ names: ["Stuck"], env: { MAESTRO_SIM_FAULT: "hang" } });
    const token = `tok${Date.now()}`;
    const sent = await bed.services.groupchat.send({ chatId: id, text: `Please ${token}. [sim: parallel]` }, owner);
    await bed.until("the participant working", async () => {
      const v = await bed.services.groupchat.get(id);
      return v.messages.some((m) => m.kind === "response" && m.turnId);
    });
    await bed.services.groupchat.stop(id);
    expect((await bed.roundEnd(sent.roundId)).status).toBe("stopped");
    // Twice: the second retry leaves out the first retry's cut-off round too.
    for (let attempt = 0; attempt < 2; attempt++) {
      const { roundId } = await bed.services.groupchat.retry(id);
      const moderatorTurn = await bed.until("the retry's moderator turn", async () => {
        const m = (await bed.messages(id)).find((x) => x.roundId === roundId && x.author === "moderator" && x.turnId);
        return m?.turnId;
      });
      await bed.until("the retry's participant working", async () =>
        (await bed.messages(id)).some((x) => x.roundId === roundId && x.kind === "response" && x.turnId),
      );
      await bed.services.groupchat.stop(id);
      await bed.roundEnd(roundId);
      const prompt = (await bed.services.db.turn.findUniqueOrThrow({ where: { id: moderatorTurn } })).prompt;
      expect(prompt.split(token).length - 1).toBe(1);
      expect(prompt).not.toMatch(/\(stopped\)|Stopped\./);
    }
  }, 40_000);

  test("a lost synthesis after a corrected lost delegation is corrected again", async () => {
    const { id, agents } = await newChat({ names: ["Solo"] });
    const sent = await bed.services.groupchat.send({ chatId: id, text: "Sum it up. [sim: lost-synthesis]" }, owner);
    const round = await bed.roundEnd(sent.roundId);
    expect(round).toMatchObject({ status: "done", moderatorTurns: 4 });
    const msgs = await bed.messages(id);
    expect(msgs.filter((m) => m.author === "moderator").map((m) => m.kind)).toEqual(["answer", "retry", "synthesis", "retry"]);
    expect(msgs.filter((m) => m.kind === "response").map((m) => m.agentId)).toEqual([agents[0]!.id]);
    expect(msgs.at(-1)!.text).toMatch(/^Summary after the correction/);
    expect(msgs.some((m) => m.author === "system")).toBe(false);
  }, 40_000);
});

describe("Auto Runs a chat started", () => {
  async function chatWithRun(tasks: number) {
    const { id, agents } = await newChat({ names: ["Runner"], env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "400" } });
    const docs = path.join(bed.project, ".maestro", "playbooks");
    fs.mkdirSync(docs, { recursive: true });
    const doc = `gc-long-${Math.random().toString(36).slice(2, 6)}.md`;
    fs.writeFileSync(path.join(docs, doc), `# Long\n\n${Array.from({ length: tasks }, (_, i) => `- [ ] task ${i}`).join("\n")}\n`);
    const sent = await bed.services.groupchat.send({ chatId: id, text: `Run. [sim: autorun ${agents[0]!.name}:${doc}]` }, owner);
    expect((await bed.roundEnd(sent.roundId)).status).toBe("done");
    const run = await bed.until("the run going", () =>
      bed.services.db.autorunRun.findFirst({ where: { agentId: agents[0]!.id, status: "running" } }),
    );
    return { id, run };
  }

  test("Stop stops them (stopping: true with no round running)", async () => {
    const { id, run } = await chatWithRun(6);
    expect(await bed.services.groupchat.stop(id)).toEqual({ stopping: true });
    expect((await bed.services.db.autorunRun.findUniqueOrThrow({ where: { id: run.id } })).status).not.toBe("running");
    const ended = await bed.until(
      "the run ended",
      async () => {
        const r = await bed.services.db.autorunRun.findUniqueOrThrow({ where: { id: run.id } });
        return ["aborted", "done", "error", "halted"].includes(r.status) ? r : null;
      },
      30_000,
    );
    expect(ended.status).toBe("aborted");
    expect(await bed.services.groupchat.stop(id)).toEqual({ stopping: false });
  }, 60_000);

  test("deleting the chat stops them", async () => {
    const { id, run } = await chatWithRun(6);
    await bed.services.groupchat.remove(id);
    expect((await bed.services.db.autorunRun.findUniqueOrThrow({ where: { id: run.id } })).status).not.toBe("running");
    await bed.until(
      "the run ended",
      async () => (await bed.services.db.autorunRun.findUniqueOrThrow({ where: { id: run.id } })).status === "aborted",
      30_000,
    );
  }, 60_000);
});
