// The simulator in a group chat: the contract's prompts (built by lib/groupchat/prompt.ts) in,
// each script's reply at each step out, read back by the contract's own classifier; then the real
// binary in all four dialects through Maestro's adapters.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as mentions from "../lib/groupchat/mentions";
import * as contract from "../lib/groupchat/prompt";
import { moderatorPrompt, participantPrompt, type ModeratorStep, type PromptParticipant } from "../lib/groupchat/prompt";
import { replyFrom } from "../lib/providers/reply";
import { simTurn, tempWorld } from "../lib/providers/sim-turn.testkit";
import { DIALECTS } from "./harness";
import * as sim from "./moderator.mjs";

const { classifyModeratorReply, extractAutorunCommands, extractMentions, isFinalAnswer } = mentions;

const PEOPLE: PromptParticipant[] = [
  { name: "Alpha", provider: "claude", folder: "/w/alpha", role: "backend" },
  { name: "Beta Two", provider: "codex", folder: "/w/beta", role: "" },
  { name: "Gamma", provider: "gemini", folder: "/w/gamma", role: "tests — and docs" },
];
const NAMES = PEOPLE.map((p) => p.name);

function prompt(request: string, step: ModeratorStep = { kind: "first" }, participants = PEOPLE) {
  return moderatorPrompt({
    chatName: "Team",
    participants,
    history: [{ from: "You", text: "## The user's message\nan old message quoting a heading, [sim: lost]" }],
    request,
    step,
    turnsLeft: 4,
  });
}
const answer = (name: string, status = "done") => ({ name, status, text: `${name} looked at: the thing.\n\nMore words from ${name}.` });
const synth = (...answers: ReturnType<typeof answer>[]): ModeratorStep => ({ kind: "synthesis", answers });
const correction: ModeratorStep = { kind: "correction", previous: "I will ask around." };
const reply = (p: string, env?: string) => sim.moderatorReply(p, env);
const kind = (text: string) => classifyModeratorReply(text, NAMES);

describe("the simulator's copy of the contract's strings", () => {
  test("openers, headings and the final marker equal lib/groupchat's", () => {
    expect(sim.MODERATOR_OPENER).toBe(contract.MODERATOR_OPENER);
    expect(sim.PARTICIPANT_OPENER).toBe(contract.PARTICIPANT_OPENER);
    expect(sim.HEADINGS).toEqual(contract.HEADINGS);
    expect(sim.FINAL_MARKER).toBe(mentions.FINAL_MARKER);
  });
});

describe("reading the moderator prompt", () => {
  test("participants, the request and the first step", () => {
    const t = sim.parseModeratorPrompt(prompt("How do we ship?\nSecond line [sim: chain Gamma Alpha]"));
    expect(t.participants).toEqual([
      { name: "Alpha", provider: "claude", folder: "/w/alpha", role: "backend" },
      { name: "Beta-Two", provider: "codex", folder: "/w/beta", role: "" },
      { name: "Gamma", provider: "gemini", folder: "/w/gamma", role: "tests — and docs" },
    ]);
    expect(t.request).toBe("How do we ship?\nSecond line [sim: chain Gamma Alpha]");
    expect(t.step).toBe("first");
    expect(t.answers).toEqual([]);
  });

  test("the answers make a synthesis, a correction section a correction", () => {
    const s = sim.parseModeratorPrompt(prompt("q", synth(answer("Alpha"), answer("Beta Two", "timeout"))));
    expect(s.step).toBe("synthesis");
    expect(s.answers).toEqual([
      { name: "Alpha", status: "done", text: "Alpha looked at: the thing.\n\nMore words from Alpha." },
      { name: "Beta-Two", status: "timeout", text: "Beta Two looked at: the thing.\n\nMore words from Beta Two." },
    ]);
    expect(s.request).toBe("q");
    const c = sim.parseModeratorPrompt(prompt("q", correction));
    expect([c.step, c.request, c.answers]).toEqual(["correction", "q", []]);
  });

  test("no participants yet", () => {
    expect(sim.parseModeratorPrompt(prompt("q", { kind: "first" }, [])).participants).toEqual([]);
  });

  test("only prompts opening with the contract's first line are group chat turns", () => {
    expect(sim.isModeratorPrompt(prompt("q"))).toBe(true);
    expect(sim.isParticipantPrompt(prompt("q"))).toBe(false);
    expect(sim.isModeratorPrompt(`Please read this:\n${prompt("q")}`)).toBe(false);
    const p = participantPrompt({ chatName: "Team", name: "Alpha", history: [], moderatorMessage: "@Alpha look" });
    expect([sim.isParticipantPrompt(p), sim.isModeratorPrompt(p)]).toEqual([true, false]);
  });
});

describe("directives", () => {
  test.each([
    ["", { kind: "parallel" }],
    ["[sim: parallel]", { kind: "parallel" }],
    ["please [SIM:  chain @Alpha, Beta-Two ] thanks", { kind: "chain", names: ["Alpha", "Beta-Two"] }],
    ["chain A", { kind: "chain", names: ["A"] }],
    ["[sim: final]", { kind: "final" }],
    ["[sim: lost]", { kind: "lost" }],
    ["[sim: lost-once]", { kind: "lost-once" }],
    ["[sim: lost-synthesis]", { kind: "lost-synthesis" }],
    ["[sim: ping-pong]", { kind: "ping-pong" }],
    ["[sim: autorun Alpha]", { kind: "autorun", name: "Alpha", document: null }],
    ["[sim: autorun @Alpha:phase-1.md]", { kind: "autorun", name: "Alpha", document: "phase-1.md" }],
    ["[sim: autorun Alpha:notes.txt]", { kind: "unknown", text: "autorun Alpha:notes.txt" }],
    ["[sim: chain]", { kind: "unknown", text: "chain" }],
    ["[sim: final now]", { kind: "unknown", text: "final now" }],
    ["[sim: dance]", { kind: "unknown", text: "dance" }],
  ])("%j", (text, script) => expect(sim.parseScript(text)).toEqual(script));

  test("the user's directive wins over the environment's; the environment's over the default", () => {
    expect(sim.scriptFor("hi [sim: final]", "lost")).toEqual({ kind: "final" });
    expect(sim.scriptFor("hi", "[sim: lost]")).toEqual({ kind: "lost" });
    expect(sim.scriptFor("hi", "chain Gamma")).toEqual({ kind: "chain", names: ["Gamma"] });
    expect(sim.scriptFor("hi", undefined)).toEqual({ kind: "parallel" });
  });

  test("a directive in the history is not this message's", () => {
    expect(kind(reply(prompt("hi")))).toMatchObject({ kind: "delegation" });
  });
});

describe("each script at each step", () => {
  test("parallel: one reply mentions everyone, a line each; the synthesis summarises and is final", () => {
    const first = reply(prompt("How do we ship? [sim: parallel]"));
    expect(first.split("\n")[0]).toBe("@Alpha @Beta-Two @Gamma — please each look at this from your side: How do we ship?");
    expect(first.split("\n").slice(1)).toEqual([
      "@Alpha: your part as backend (claude, in /w/alpha).",
      "@Beta-Two: your part as a participant (codex, in /w/beta).",
      "@Gamma: your part as tests — and docs (gemini, in /w/gamma).",
    ]);
    expect(kind(first)).toEqual({ kind: "delegation", mentions: ["Alpha", "Beta-Two", "Gamma"], autorun: [] });
    const last = reply(prompt("How do we ship?", synth(answer("Alpha"), answer("Beta Two", "failed"), answer("Gamma"))));
    expect(last).toBe(
      [
        "Summary of 3 answers to: How do we ship?",
        "- Alpha (done): Alpha looked at: the thing.",
        "- Beta-Two (failed): Beta Two looked at: the thing.",
        "- Gamma (done): Gamma looked at: the thing.",
        "",
        "[final]",
      ].join("\n"),
    );
    expect(kind(last).kind).toBe("final");
  });

  test("parallel with nobody in the chat answers itself", () => {
    const r = reply(prompt("hi", { kind: "first" }, []));
    expect(isFinalAnswer(r)).toBe(true);
    expect(r).toContain("Nobody is in this chat yet");
  });

  test("quoted text never mentions anybody: the user's @names and the answers' are neutralised", () => {
    const first = reply(prompt("@Alpha and @Gamma, what next? mail bob@example.com [sim: final]"));
    expect(first).toBe("Direct answer to: Alpha and Gamma, what next? mail bob@example.com\n\n[final]");
    expect(kind(first).kind).toBe("final");
    const s = reply(prompt("q", synth({ name: "Alpha", status: "done", text: "Ask @Gamma next" })));
    expect(kind(s).kind).toBe("final");
  });

  test("chain: A first, then the next not yet answered quoting the last answer, then final", () => {
    const env = "chain gamma Alpha";
    const first = reply(prompt("Refactor it"), env);
    expect(first).toBe("@Gamma please take the first step: Refactor it");
    expect(kind(first).mentions).toEqual(["Gamma"]);
    const second = reply(prompt("Refactor it", synth(answer("Gamma"))), env);
    expect(second).toBe("@Alpha please take the next step. Gamma answered: “Gamma looked at: the thing.”");
    expect(kind(second).mentions).toEqual(["Alpha"]);
    // The engine may list only the latest answer or all of them: the next step is the same.
    expect(reply(prompt("Refactor it", synth(answer("Gamma"), answer("Alpha"))), env)).toMatch(/^Summary of 2 answers/);
    const done = reply(prompt("Refactor it", synth(answer("Alpha"))), env);
    expect(kind(done).kind).toBe("final");
  });

  test.each(["failed", "timeout", "stopped"])("chain: a %s answer stops the chain with a final answer", (status) => {
    const r = reply(prompt("Refactor it [sim: chain Gamma Alpha]", synth(answer("Gamma", status))));
    expect(r.split("\n")[0]).toBe(`The chain stopped: Gamma ${status === "timeout" ? "timed out" : status}, so nobody after it was asked.`);
    expect(kind(r).kind).toBe("final");
  });

  test("final: answers directly at once", () => {
    expect(kind(reply(prompt("hi [sim: final]"))).kind).toBe("final");
  });

  test("lost: no mention and no marker, also to the correction", () => {
    for (const step of [{ kind: "first" } as const, correction, synth(answer("Alpha"))]) {
      const r = reply(prompt("hi [sim: lost]", step));
      expect(r).toMatch(/I will ask/);
      expect(kind(r).kind).toBe("lost");
    }
  });

  test("lost-once: lost first, the correction delegates to everyone, the synthesis is final", () => {
    expect(kind(reply(prompt("hi [sim: lost-once]"))).kind).toBe("lost");
    expect(kind(reply(prompt("hi [sim: lost-once]", correction)))).toEqual({
      kind: "delegation",
      mentions: ["Alpha", "Beta-Two", "Gamma"],
      autorun: [],
    });
    expect(kind(reply(prompt("hi [sim: lost-once]", synth(answer("Alpha"))))).kind).toBe("final");
  });

  test("lost-synthesis: lost first, the correction delegates, the synthesis is lost, its correction is final", () => {
    expect(kind(reply(prompt("hi [sim: lost-synthesis]"))).kind).toBe("lost");
    expect(kind(reply(prompt("hi [sim: lost-synthesis]", correction))).mentions).toEqual(["Alpha", "Beta-Two", "Gamma"]);
    const lostSynthesis = reply(prompt("hi [sim: lost-synthesis]", synth(answer("Alpha"))));
    expect(kind(lostSynthesis).kind).toBe("lost");
    const again = reply(prompt("hi [sim: lost-synthesis]", { kind: "correction", previous: lostSynthesis }));
    expect(kind(again).kind).toBe("final");
    expect(again).toMatch(/^Summary after the correction, for: hi/);
  });

  test("ping-pong: always the first participant again, never final", () => {
    for (const step of [{ kind: "first" } as const, synth(answer("Alpha")), synth(answer("Alpha"), answer("Alpha"))]) {
      const r = reply(prompt("hi [sim: ping-pong]", step));
      expect(kind(r)).toEqual({ kind: "delegation", mentions: ["Alpha"], autorun: [] });
      expect(isFinalAnswer(r)).toBe(false);
    }
  });

  test("autorun: the !autorun line and the marker; the report back is summarised", () => {
    const r = reply(prompt("run it [sim: autorun gamma:phase-1.md]"));
    expect(r.split("\n")).toContain("!autorun @Gamma:phase-1.md");
    expect(extractAutorunCommands(r, NAMES)).toEqual([{ name: "Gamma", document: "phase-1.md" }]);
    expect(kind(r)).toEqual({ kind: "autorun", mentions: [], autorun: [{ name: "Gamma", document: "phase-1.md" }] });
    expect(isFinalAnswer(r)).toBe(true);
    expect(extractAutorunCommands(reply(prompt("run it [sim: autorun Alpha]")), NAMES)).toEqual([{ name: "Alpha", document: null }]);
    expect(kind(reply(prompt("run it [sim: autorun Gamma]", synth(answer("Gamma"))))).kind).toBe("final");
  });

  test("an unknown directive is a final answer that names it", () => {
    const r = reply(prompt("hi [sim: dance all night]"));
    expect(r).toBe('Unknown simulator directive "dance all night": I answer directly instead.\n\n[final]');
    expect(kind(r).kind).toBe("final");
  });
});

describe("a participant's answer", () => {
  test("a one-sentence summary of the moderator's first line, then a paragraph; mentions neutralised", () => {
    const p = participantPrompt({
      chatName: "Team",
      name: "Beta Two",
      history: [{ from: "You", text: "hi" }],
      moderatorMessage: "@Alpha @Beta-Two — please each look at this: How?\n@Beta-Two: your part.",
    });
    const r = sim.participantReply(p, 3);
    const [head, body] = r.split("\n\n");
    expect(head).toBe("Beta-Two looked at: Alpha Beta-Two — please each look at this: How.");
    expect(body).toContain('in the group chat "Team"');
    expect(body).toMatch(/This is turn 3 of my session for this chat\.$/);
    expect(extractMentions(r, ["Alpha", "Beta Two"])).toEqual([]);
  });

  test("a recap (the session was gone) is acknowledged with its size", () => {
    const p = participantPrompt({
      chatName: "Team",
      name: "Alpha",
      history: [],
      moderatorMessage: "again",
      recap: [
        { from: "Alpha", text: "one" },
        { from: "Alpha", text: "two" },
      ],
    });
    expect(sim.parseParticipantPrompt(p)).toEqual({ name: "Alpha", chat: "Team", message: "again", recap: 2 });
    expect(sim.participantReply(p, 1)).toContain("the recap gave me 2 earlier messages");
  });
});

describe.concurrent.each(DIALECTS)("$name: group chat turns in the real wire format", (d) => {
  let world: ReturnType<typeof tempWorld>;
  beforeAll(() => {
    world = tempWorld();
  });
  afterAll(() => world.cleanup());

  test("the moderator's delegation and the participant's streamed answer reach Maestro intact", async () => {
    const mp = prompt("How do we ship?");
    const m = await simTurn(d.name, { prompt: mp, cwd: world.cwd, readOnly: true }, { home: world.home });
    expect(m.exit).toBeNull();
    expect(replyFrom(m.events).text).toBe(sim.moderatorReply(mp, undefined));
    expect(kind(replyFrom(m.events).text).mentions).toEqual(["Alpha", "Beta-Two", "Gamma"]);

    const pp = participantPrompt({ chatName: "Team", name: "Alpha", history: [], moderatorMessage: replyFrom(m.events).text });
    const p = await simTurn(d.name, { prompt: pp, cwd: world.cwd }, { home: world.home });
    expect(p.exit).toBeNull();
    expect(replyFrom(p.events).text).toBe(sim.participantReply(pp, 1));
    const texts = p.events.filter((e) => e.type === "text");
    // codex prints a message as one completed item; the others stream it in pieces.
    if (d.name === "codex") expect(texts).toHaveLength(1);
    else expect(texts.length).toBeGreaterThanOrEqual(4);
    expect(p.events.some((e) => e.type === "tool_call")).toBe(false);
  });

  test("MAESTRO_SIM_MODERATOR scripts the turn; the fault crash still crashes a participant", async () => {
    const mp = prompt("Go");
    const m = await simTurn(
      d.name,
      { prompt: mp, cwd: world.cwd, readOnly: true },
      { home: world.home, env: { MAESTRO_SIM_MODERATOR: "lost" } },
    );
    expect(kind(replyFrom(m.events).text).kind).toBe("lost");
    const pp = participantPrompt({ chatName: "Team", name: "Alpha", history: [], moderatorMessage: "@Alpha go" });
    const p = await simTurn(d.name, { prompt: pp, cwd: world.cwd }, { home: world.home, fault: "crash" });
    expect(p.run.code).toBe(1);
    expect(p.exit).not.toBeNull();
  });
});

test("MAESTRO_SIM_STARTED stamps when each process got going, with its folder", async () => {
  const world = tempWorld();
  try {
    const file = path.join(world.root, "started.txt");
    const before = Date.now();
    const t = await simTurn(
      "claude",
      { prompt: prompt("hi [sim: final]"), cwd: world.cwd },
      { home: world.home, env: { MAESTRO_SIM_STARTED: file } },
    );
    expect(t.exit).toBeNull();
    const [line, ...rest] = fs.readFileSync(file, "utf8").trim().split("\n");
    expect(rest).toEqual([]);
    const [at, cwd] = [Number(line!.split(" ")[0]), line!.slice(line!.indexOf(" ") + 1)];
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect(fs.realpathSync(cwd)).toBe(fs.realpathSync(world.cwd));
  } finally {
    world.cleanup();
  }
});
