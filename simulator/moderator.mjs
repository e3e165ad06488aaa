// The simulator in a group chat: Maestro's moderator prompt (first turn of a round, synthesis
// after the participants answered, the correction after a lost delegation) and a participant's
// request are recognised by their first line and answered deterministically per a script, so
// every path of the engine (parallel, chain, lost delegation, ping-pong, Auto Run, failure) runs
// end to end with real processes. Pure: the prompt and the script in, the reply text out.
// The strings below repeat lib/groupchat/prompt.ts and lib/groupchat/mentions.ts (a .mjs cannot
// import TS); moderator.test.ts checks that they are equal.

export const MODERATOR_OPENER = "# Maestro group chat: you are the moderator";
export const PARTICIPANT_OPENER = "# Maestro group chat: a request from the moderator";
export const HEADINGS = {
  participants: "## Participants",
  history: "## Conversation so far",
  request: "## The user's message",
  answers: "## Answers from the participants",
  correction: "## Correction",
  task: "## Your turn",
  moderatorMessage: "## The moderator's message to you",
  recap: "## Recap (your earlier session for this chat is gone)",
};
export const FINAL_MARKER = "[final]";

/** @param {string} prompt */
const firstLine = (prompt) => (prompt.split("\n", 1)[0] ?? "").trim();

/** @param {string} prompt */
export const isModeratorPrompt = (prompt) => firstLine(prompt) === MODERATOR_OPENER;
/** @param {string} prompt */
export const isParticipantPrompt = (prompt) => firstLine(prompt) === PARTICIPANT_OPENER;

/**
 * @typedef {object} Participant
 * @property {string} name      as the prompt lists it (its mention name, without the @)
 * @property {string} provider
 * @property {string} folder
 * @property {string} role
 *
 * @typedef {{name: string, status: string, text: string}} Answer
 *
 * @typedef {object} ModeratorTurn
 * @property {Participant[]} participants
 * @property {string} request
 * @property {"first"|"synthesis"|"correction"} step
 * @property {Answer[]} answers
 * @property {string} correction  the correction section's text (the reply it quotes), "" on other steps
 *
 * @typedef {{kind: "parallel"|"final"|"lost"|"lost-once"|"lost-synthesis"|"ping-pong"} | {kind: "chain", names: string[]}
 *   | {kind: "autorun", name: string, document: string | null} | {kind: "unknown", text: string}} Script
 */

/** Index of the last line equal to `heading` at or before line `before`, or -1. @param {string[]} lines @param {string} heading @param {number} before */
function lastHeading(lines, heading, before) {
  for (let i = Math.min(before, lines.length - 1); i >= 0; i--) if (lines[i] === heading) return i;
  return -1;
}

/** @param {string[]} lines @param {number} from @param {number} to */
const between = (lines, from, to) =>
  from < 0
    ? ""
    : lines
        .slice(from + 1, to < 0 ? lines.length : to)
        .join("\n")
        .trim();

/** A block's text without the data tag Maestro wraps it in (`<user-message>` … `</user-message>`). @param {string} text */
export function untag(text) {
  const m = /^<([a-z-]+)>\n([\s\S]*)\n<\/\1>$/.exec(text.trim());
  return m ? m[2].trim() : text;
}

const PARTICIPANT_LINE = /^- @(\S+) \(([^)]*)\) in (.*?)(?: — (.*))?$/;
const ANSWER_LINE = /^### @(\S+) \(([^)]*)\)$/;

/**
 * The parts of a moderator prompt. Sections are found from the end (the task heading is last,
 * the step's section before it, the request before that), so a heading quoted in the chat's
 * history does not cut the request short.
 * @param {string} prompt
 * @returns {ModeratorTurn}
 */
export function parseModeratorPrompt(prompt) {
  const lines = prompt.split("\n");
  const task = lastHeading(lines, HEADINGS.task, lines.length);
  const end = task < 0 ? lines.length : task;
  const answersAt = lastHeading(lines, HEADINGS.answers, end);
  const correctionAt = lastHeading(lines, HEADINGS.correction, end);
  const stepAt = Math.max(answersAt, correctionAt);
  const requestAt = lastHeading(lines, HEADINGS.request, stepAt < 0 ? end : stepAt);
  const participantsAt = lines.indexOf(HEADINGS.participants);
  const historyAt = lastHeading(lines, HEADINGS.history, requestAt < 0 ? end : requestAt);

  /** @type {Participant[]} */
  const participants = [];
  for (const line of between(lines, participantsAt, historyAt >= 0 ? historyAt : requestAt).split("\n")) {
    const m = PARTICIPANT_LINE.exec(line.trim());
    if (m) participants.push({ name: m[1], provider: m[2], folder: m[3], role: m[4] ?? "" });
  }
  /** @type {Answer[]} */
  const answers = [];
  if (answersAt >= 0 && answersAt === stepAt) {
    /** @type {Answer | null} */
    let cur = null;
    for (const line of lines.slice(answersAt + 1, end)) {
      const m = ANSWER_LINE.exec(line);
      if (m) answers.push((cur = { name: m[1], status: m[2], text: "" }));
      else if (cur) cur.text += (cur.text ? "\n" : "") + line;
    }
    for (const a of answers) a.text = untag(a.text.trim());
  }
  const step = stepAt < 0 ? "first" : stepAt === answersAt ? "synthesis" : "correction";
  const correction = step === "correction" ? between(lines, correctionAt, end) : "";
  return { participants, request: untag(between(lines, requestAt, stepAt >= 0 ? stepAt : end)), step, answers, correction };
}

const DIRECTIVE = /\[sim:\s*([^\]]*)\]/i;

/**
 * A script from its text (`chain A B`, `autorun Name:doc.md`, …; `[sim: …]` around it is allowed).
 * Empty text is the default, `parallel`.
 * @param {string | undefined | null} text
 * @returns {Script}
 */
export function parseScript(text) {
  const inner = (DIRECTIVE.exec(text ?? "")?.[1] ?? text ?? "").trim();
  if (!inner) return { kind: "parallel" };
  const [word, ...rest] = inner.split(/\s+/);
  const args = rest.map((a) => a.replace(/^@/, "").replace(/,$/, "")).filter(Boolean);
  const kind = word.toLowerCase();
  if (
    (kind === "parallel" ||
      kind === "final" ||
      kind === "lost" ||
      kind === "lost-once" ||
      kind === "lost-synthesis" ||
      kind === "ping-pong") &&
    !args.length
  )
    return { kind };
  if (kind === "chain" && args.length) return { kind: "chain", names: args };
  if (kind === "autorun" && args.length === 1) {
    const [name, document] = args[0].split(/:(.*)/s);
    if (name && (document === undefined || /\.md$/i.test(document))) return { kind: "autorun", name, document: document || null };
  }
  return { kind: "unknown", text: inner };
}

/** The script for a moderator turn: the user's `[sim: …]`, else the environment's, else parallel. @param {string} request @param {string | undefined} envScript */
export function scriptFor(request, envScript) {
  return DIRECTIVE.test(request) ? parseScript(request) : parseScript(envScript);
}

/** Text as quoted in a reply: no `@` that would read as a mention, on one line, clipped. @param {string} text @param {number} [max] */
export function quote(text, max = 160) {
  const one = text
    .replace(/(^|[^\p{L}\p{N}_.+-])@/gu, "$1")
    .replace(/\s+/g, " ")
    .trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** The user's message without the directive, first line. @param {string} request */
const asked = (request) => quote(request.replace(DIRECTIVE, "").trim().split("\n")[0] ?? "", 120) || "(an empty message)";

/** A participant's name as the script names it, matched to the list (any case); unknown names stay as written. @param {Participant[]} ps @param {string} name */
const canonical = (ps, name) => ps.find((p) => p.name.toLowerCase() === name.toLowerCase())?.name ?? name;

/** @param {Participant[]} ps @param {string} request */
function delegateAll(ps, request) {
  if (!ps.length) return finalReply([`Nobody is in this chat yet, so I answer myself: ${asked(request)}`]);
  const lines = [`${ps.map((p) => `@${p.name}`).join(" ")} — please each look at this from your side: ${asked(request)}`];
  for (const p of ps) lines.push(`@${p.name}: your part as ${p.role || "a participant"} (${p.provider}, in ${p.folder}).`);
  return lines.join("\n");
}

/** @param {string[]} lines */
const finalReply = (lines) => [...lines, "", FINAL_MARKER].join("\n");

/** @param {Answer[]} answers @param {string} request */
function summary(answers, request) {
  if (!answers.length) return finalReply([`Here is my answer to: ${asked(request)}`, "Nobody was asked, so this is my own summary."]);
  return finalReply([
    `Summary of ${answers.length} answer${answers.length === 1 ? "" : "s"} to: ${asked(request)}`,
    ...answers.map((a) => `- ${a.name} (${a.status}): ${quote(a.text.split("\n")[0] ?? "") || "(no answer)"}`),
  ]);
}

const LOST = "I will ask the right agents to look into this and report back with what they find.";
/** A synthesis that went missing (no mention, no marker); told apart from LOST in the correction that quotes it. */
const LOST_SYNTHESIS = "I have their answers and will put them together for you in a moment.";
const BROKEN = new Set(["failed", "timeout", "stopped"]);

/**
 * The moderator's reply for a turn under a script.
 * @param {ModeratorTurn} t
 * @param {Script} script
 * @returns {string}
 */
export function moderatorReplyFor(t, script) {
  const { participants: ps, request, step, answers } = t;
  switch (script.kind) {
    case "unknown":
      return finalReply([`Unknown simulator directive "${quote(script.text, 80)}": I answer directly instead.`]);
    case "final":
      return step === "synthesis" ? summary(answers, request) : finalReply([`Direct answer to: ${asked(request)}`]);
    case "lost":
      return LOST;
    case "lost-once":
      return step === "first" ? LOST : step === "correction" ? delegateAll(ps, request) : summary(answers, request);
    case "lost-synthesis":
      if (step === "synthesis") return LOST_SYNTHESIS;
      if (step === "correction" && t.correction.includes(LOST_SYNTHESIS))
        return finalReply([`Summary after the correction, for: ${asked(request)}`]);
      return step === "first" ? LOST : delegateAll(ps, request);
    case "ping-pong": {
      const first = ps[0]?.name ?? "nobody";
      return `@${first} please look again at: ${asked(request)}${answers.length ? ` (the last answer began: ${quote(answers[answers.length - 1].text.split("\n")[0] ?? "", 80)})` : ""}`;
    }
    case "autorun":
      if (step === "synthesis") return summary(answers, request);
      return finalReply([
        `Starting ${canonical(ps, script.name)}'s Auto Run for: ${asked(request)}`,
        `!autorun @${canonical(ps, script.name)}${script.document ? `:${script.document}` : ""}`,
      ]);
    case "chain":
      return chainReply(
        t,
        script.names.map((n) => canonical(ps, n)),
      );
    default:
      return step === "synthesis" ? summary(answers, request) : delegateAll(ps, request);
  }
}

/** @param {ModeratorTurn} t @param {string[]} chain */
function chainReply(t, chain) {
  const { request, step, answers } = t;
  if (step !== "synthesis") return `@${chain[0]} please take the first step: ${asked(request)}`;
  const last = answers[answers.length - 1];
  if (last && BROKEN.has(last.status))
    return finalReply([
      `The chain stopped: ${last.name} ${last.status === "timeout" ? "timed out" : last.status}, so nobody after it was asked.`,
    ]);
  const done = answers.map((a) => chain.findIndex((n) => n.toLowerCase() === a.name.toLowerCase()));
  const next = chain[Math.max(-1, ...done) + 1];
  if (!next || !last) return summary(answers, request);
  return `@${next} please take the next step. ${last.name} answered: “${quote(last.text.split("\n")[0] ?? "")}”`;
}

/** The reply to a moderator prompt. @param {string} prompt @param {string | undefined} envScript MAESTRO_SIM_MODERATOR */
export function moderatorReply(prompt, envScript) {
  const t = parseModeratorPrompt(prompt);
  return moderatorReplyFor(t, scriptFor(t.request, envScript));
}

/**
 * The parts of a participant's request.
 * @param {string} prompt
 * @returns {{name: string, chat: string, message: string, recap: number}}
 */
export function parseParticipantPrompt(prompt) {
  const lines = prompt.split("\n");
  const who = /You are @(\S+) in the group chat "(.*)"\./.exec(prompt);
  const at = lastHeading(lines, HEADINGS.moderatorMessage, lines.length);
  const recapAt = lines.indexOf(HEADINGS.recap);
  const historyAt = lastHeading(lines, HEADINGS.history, at < 0 ? lines.length : at);
  const recap = untag(between(lines, recapAt, historyAt));
  return {
    name: who?.[1] ?? "participant",
    chat: who?.[2] ?? "",
    message: untag(between(lines, at, -1)),
    recap: recap ? recap.split(/\n\n(?=\*\*)/).length : 0,
  };
}

/**
 * A participant's answer: the one-sentence summary first (as the prompt asks), then a short paragraph.
 * @param {string} prompt
 * @param {number} turn  the turn of this participant's session (resumed sessions count on)
 */
export function participantReply(prompt, turn) {
  const p = parseParticipantPrompt(prompt);
  const line = quote(p.message.split("\n")[0] ?? "", 120).replace(/[\s.!?…:;,]+$/, "") || "(an empty message)";
  const sentences = [
    `I read the moderator's request in the group chat "${p.chat}" and checked it against my folder without changing anything.`,
    `My part: the request is clear, nothing in my folder contradicts it, and I have no open question.`,
    p.recap ? `My earlier session for this chat was gone; the recap gave me ${p.recap} earlier message${p.recap === 1 ? "" : "s"}.` : "",
    `This is turn ${turn} of my session for this chat.`,
  ];
  return `${p.name} looked at: ${line}.\n\n${sentences.filter(Boolean).join(" ")}`;
}
