// One turn, dialect-neutral: what the simulator plans, does, thinks and replies.
import { verifyLines, workerReply } from "./mission.mjs";
import { moderatorReply, participantReply } from "./moderator.mjs";
import { emptyInfo, planWork } from "./plan-work.mjs";
import { applyAction, countTasks } from "./work.mjs";
import { sentMark } from "./io.mjs";

/**
 * How writes are treated, from the dialect's permission / sandbox / approval flags.
 *  allow    — tool calls run and write
 *  deny     — tool calls are made but refused by the permission system (claude default mode)
 *  readonly — tool calls are made but the sandbox blocks the write (codex read-only)
 *  plan     — no tool calls; the reply is a plan (claude plan mode, opencode plan agent)
 *  notools  — no write tools offered (gemini default approval mode in headless runs)
 * @typedef {"allow"|"deny"|"readonly"|"plan"|"notools"} WriteMode
 */

/**
 * What a dialect's parser hands to the turn runner.
 * @typedef {object} Invocation
 * @property {string} cwd
 * @property {string|null} prompt           null: read it from stdin
 * @property {"none"|"text"|"claude-jsonl"} stdin
 * @property {string} [resume]              resume this session id
 * @property {string} [sessionId]           start a new session with this id (claude)
 * @property {string} model
 * @property {WriteMode} writeMode
 * @property {string} [writeModeNote]       why writes are not allowed, for the reply
 * @property {"jsonl"|"text"|"json"} output
 * @property {string[]} images
 * @property {string[]} files
 * @property {boolean} thinking             opencode --thinking
 * @property {Record<string, any>} opts     the raw parsed options
 */

/**
 * @typedef {object} TurnCtx
 * @property {string} dialect
 * @property {Invocation} inv
 * @property {string} cwd
 * @property {string} sessionId
 * @property {number} turn                  turn number within the session (1-based)
 * @property {boolean} first                first turn of this process (claude stream input)
 * @property {string} prompt
 * @property {number} images
 * @property {import("./faults.mjs").Faults} faults
 * @property {import("./work.mjs").Action[]} actions
 * @property {ReturnType<typeof planWork>["info"]} info
 * @property {number} startedAt             epoch ms
 * @property {number} cacheRead             tokens of earlier turns in the session
 * @property {number} exitCode
 * @property {string} finalText             the full reply, once rendered
 * @property {number} inputTokens           filled by the dialect for the session record
 * @property {number} outputTokens
 * @property {{costUsd: number, usage: {input: number, cached: number, output: number}}} prior  what earlier turns of the session reported
 * @property {number} turnCostUsd           this turn's cost (claude adds it to prior.costUsd)
 * @property {{input: number, cached: number, output: number} | null} reportedUsage  codex: cumulative usage reported
 */

/** ≈ chars / 4. @param {string} s */
export const tokens = (s) => Math.ceil(s.length / 4);

/**
 * @param {object} o
 * @param {string} o.dialect
 * @param {Invocation} o.inv
 * @param {string} o.sessionId
 * @param {number} o.turn
 * @param {boolean} o.first
 * @param {string} o.prompt
 * @param {number} o.images
 * @param {import("./faults.mjs").Faults} o.faults
 * @param {number} o.cacheRead
 * @param {TurnCtx["prior"]} [o.prior]
 * @returns {TurnCtx}
 */
export function makeTurn(o) {
  const quiet = o.faults.auth || o.faults.ratelimit;
  // Only claude runs commands and asks questions (AskUserQuestion exists only with the stdio prompt tool).
  const extras = o.dialect === "claude" ? { questions: o.inv.opts.permissionPromptTool === "stdio" } : null;
  const planned = quiet ? { actions: [], info: emptyInfo() } : planWork({ prompt: o.prompt, cwd: o.inv.cwd, halt: o.faults.halt, extras });
  return {
    dialect: o.dialect,
    inv: o.inv,
    cwd: o.inv.cwd,
    sessionId: o.sessionId,
    turn: o.turn,
    first: o.first,
    prompt: o.prompt,
    images: o.images,
    faults: o.faults,
    actions: planned.actions,
    info: planned.info,
    startedAt: Date.now(),
    cacheRead: o.cacheRead,
    exitCode: 0,
    finalText: "",
    inputTokens: 0,
    outputTokens: 0,
    prior: o.prior ?? { costUsd: 0, usage: { input: 0, cached: 0, output: 0 } },
    turnCostUsd: 0,
    reportedUsage: null,
  };
}

/** Tool calls are shown at all (not in plan / no-tools modes). @param {TurnCtx} ctx */
export function showsTools(ctx) {
  return ctx.actions.length > 0 && ctx.inv.writeMode !== "plan" && ctx.inv.writeMode !== "notools";
}

/**
 * Carry out an action, or record why the dialect's permission mode stopped it.
 * @param {TurnCtx} ctx
 * @param {import("./work.mjs").Action} a
 * @param {string} [deniedText]  the dialect's own refusal text
 */
export function runAction(ctx, a, deniedText) {
  if (a.refuse) return (a.result = { ok: false, refused: true, error: a.refuse });
  if (ctx.inv.writeMode === "allow") return applyAction(a);
  return (a.result = { ok: false, denied: true, error: deniedText ?? ctx.inv.writeModeNote ?? "writes are not allowed in this mode" });
}

/** @param {string} s @param {number} n */
const clip = (s, n) => {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > n ? one.slice(0, n - 1) + "…" : one;
};

/** @param {string[]} xs */
const quoteList = (xs) => xs.map((x) => `'${clip(x, 80)}'`).join(", ");

/** The model's reasoning for this turn. @param {TurnCtx} ctx */
export function thinkingText(ctx) {
  const { info, actions } = ctx;
  const ticks = actions.filter((a) => a.kind === "tick");
  const writes = actions.filter((a) => a.kind === "write");
  const parts = [];
  if (info.halted) parts.push(`I was told to halt, so I will append a halt marker to ${info.doc} and tick nothing.`);
  else if (info.doc && ticks.length) {
    const open = info.total - info.checkedBefore;
    parts.push(
      `The prompt names ${info.doc} and asks for ${info.all ? "all unchecked tasks" : "the first unchecked task"}. ` +
        `Open tasks: ${open} of ${info.total}; the first is on line ${ticks[0].line}: "${clip(ticks[0].oldLine ?? "", 100)}". ` +
        `I will tick ${ticks.length === 1 ? "that box" : `those ${ticks.length} boxes`} and leave every other byte as it is.`,
    );
  } else if (info.doc) parts.push(`The prompt names ${info.doc}, but it has no unchecked task left.`);
  const qs = actions.find((a) => a.kind === "question");
  if (qs) parts.push(`I should ask first: ${(qs.questions ?? []).map((q) => q.question).join(" ")}`);
  for (const c of actions.filter((a) => a.kind === "command")) parts.push(`The prompt asks me to run \`${c.command}\`; I will.`);
  for (const w of writes)
    parts.push(
      w.refuse
        ? `The task asks for ${w.rel}, which is outside the working folder; I must refuse it.`
        : w.checklist
          ? `The prompt asks for a checklist of ${w.checklist.tasks.length} tasks for “${w.checklist.subject}”, saved as ${w.rel}; I will write it.`
          : w.said !== undefined
            ? `The task asks for ${w.rel} containing “${clip(w.said, 80)}”; I will write exactly that.`
            : `The task asks for ${w.rel}; I will write it with short content.`,
    );
  if (info.groupchat === "moderator")
    parts.push("This is a group chat moderator turn: I follow the script and either delegate with @mentions or answer the user.");
  if (info.groupchat === "participant") parts.push("The group chat's moderator asks me for my part; I start with a one-sentence summary.");
  if (info.mission) parts.push(`I am a mission worker on ${info.mission.key}: I write its file and end with a one-paragraph summary.`);
  if (info.commit) parts.push("The prompt asks for a commit message for the listed changes, so I will answer with one and change nothing.");
  if (info.plan)
    parts.push(
      `The prompt asks for a plan for “${info.plan.subject}”, so I will answer with a checklist of ${info.plan.tasks.length} tasks, each small enough for one Auto Run step.`,
    );
  if (!parts.length) parts.push("The prompt asks for no change in the folder, so I will answer in text.");
  if (ctx.inv.writeMode === "plan" && actions.length) parts.push("I am in plan mode, so I will only describe the change.");
  return parts.join(" ");
}

/** The sentence said before the tool calls. @param {TurnCtx} ctx */
export function preambleText(ctx) {
  const bits = [];
  for (const a of ctx.actions) {
    if (a.kind === "halt") bits.push(`append a halt marker to ${a.rel}`);
    else if (a.kind === "question") bits.push("ask you first");
    else if (a.kind === "command") bits.push(`run \`${a.command}\``);
    else if (a.kind === "tick") bits.push(`tick '${clip(a.task ?? "", 80)}' in ${a.rel}`);
    else bits.push(`write ${a.rel}`);
  }
  return bits.length ? `I'll ${bits.join(", then ")}.` : "";
}

/**
 * The reply: a one-paragraph summary first, then details. Call after the actions ran.
 * @param {TurnCtx} ctx
 */
export function replyText(ctx) {
  const { info, actions, inv } = ctx;
  if (info.commit) return info.commit;
  if (info.groupchat === "moderator") return moderatorReply(ctx.prompt, process.env.MAESTRO_SIM_MODERATOR);
  if (info.groupchat === "participant") return participantReply(ctx.prompt, ctx.turn);
  if (info.mission)
    return workerReply(
      info.mission,
      actions.filter((a) => a.kind === "write").map((w) => ({ rel: w.rel, ok: !!w.result?.ok, error: w.result?.error ?? w.refuse })),
      verifyLines(ctx.prompt),
    );
  const s = [];
  const ticks = actions.filter((a) => a.kind === "tick");
  const done = ticks.filter((a) => a.result?.ok);
  const failed = ticks.filter((a) => a.result && !a.result.ok);
  const planOnly = inv.writeMode === "plan" || inv.writeMode === "notools";
  const halt = actions.find((a) => a.kind === "halt");
  if (halt) {
    if (halt.result?.ok)
      s.push(`Halted: appended a halt marker to ${halt.rel} because the simulator was told to halt; no task was ticked.`);
    else if (planOnly)
      s.push(`I was told to halt and would append a halt marker to ${halt.rel}, but ${inv.writeModeNote ?? "I may not edit files here"}.`);
    else s.push(`I was told to halt but could not append the halt marker to ${halt.rel}: ${halt.result?.error ?? "unknown error"}.`);
  }
  if (ticks.length && planOnly) {
    s.push(
      `Plan only, no changes made: I would tick ${ticks.length === 1 ? "task" : `${ticks.length} tasks:`} ${quoteList(ticks.map((t) => t.task ?? ""))} in ${info.doc}${inv.writeModeNote ? ` (${inv.writeModeNote})` : ""}.`,
    );
  } else {
    if (done.length === 1) s.push(`Ticked task '${clip(done[0].task ?? "", 120)}' in ${info.doc}.`);
    else if (done.length > 1) s.push(`Ticked ${done.length} tasks in ${info.doc}: ${quoteList(done.map((t) => t.task ?? ""))}.`);
    for (const f of failed) s.push(`Could not tick task '${clip(f.task ?? "", 120)}' in ${info.doc}: ${f.result?.error}.`);
  }
  if (info.doc && !halt && !ticks.length && info.total >= 0 && /unchecked|task|tick|checkbox|checklist/i.test(ctx.prompt)) {
    s.push(
      info.total
        ? `Found no unchecked task in ${info.doc}; all ${info.total} tasks are already checked.`
        : `Found no checkbox task in ${info.doc}; nothing to tick.`,
    );
  }
  /** @type {string[]} */
  const unsaved = [];
  for (const w of actions.filter((a) => a.kind === "write")) {
    const bytes = Buffer.byteLength(w.content ?? "");
    const list = w.checklist;
    if (w.refuse) s.push(`Refused to write ${w.rel}: it resolves outside the working folder.`);
    else if (list && w.result?.ok)
      s.push(`Saved a ${list.tasks.length}-task checklist for “${list.subject}” to ${w.rel} (${bytes} bytes), ready for Auto Run.`);
    else if (planOnly) s.push(`I would write ${w.rel}, but made no change.`);
    else if (w.result?.ok)
      s.push(
        `${w.result.created ? "Created" : "Updated"} ${w.rel} (${bytes} bytes)${w.said !== undefined ? ` containing “${clip(w.said, 80)}”` : ""}.`,
      );
    else s.push(`Could not write ${w.rel}: ${w.result?.error ?? "not attempted"}.`);
    // A checklist that could not be saved is still the answer: show it.
    if (list && !w.result?.ok) unsaved.push(list.list);
  }
  s.push(...extraReplies(actions));
  if (!s.length && !info.plan) s.push("Answered without changing any file in the folder.");
  s.push(`This is turn ${ctx.turn} of this session.`);
  const details = [];
  if (info.docAbs && (done.length || halt)) {
    const c = countTasks(info.docAbs);
    if (c) details.push(`${info.doc} now has ${c.checked} of ${c.total} tasks checked.`);
  }
  if (ctx.images) details.push(`I received ${ctx.images} image${ctx.images === 1 ? "" : "s"} with the prompt.`);
  if (inv.files.length) details.push(`Attached files: ${inv.files.join(", ")}.`);
  // A plan is the answer itself: an intro line, the checklist, then the usual closing line.
  if (info.plan) return [info.plan.intro, info.plan.list, [...s, ...details].join(" ")].join("\n\n");
  const paras = [s.join(" "), ...unsaved];
  if (details.length) paras.push(details.join(" "));
  paras.push(`Prompt: "${clip(ctx.prompt, 200)}"`);
  return paras.join("\n\n");
}

/** What the reply says about questions asked and commands run (claude). @param {import("./work.mjs").Action[]} actions */
function extraReplies(actions) {
  const s = [];
  for (const a of actions) {
    if (a.kind === "question") {
      const said = Object.entries(a.answers ?? {}).map(([q, v]) => `“${clip(q, 100)}” → ${clip(v, 100)}`);
      if (a.result?.ok && said.length) s.push(`You answered: ${said.join("; ")}.`);
      else if (a.result) s.push(`I asked, but got no answer: ${a.result.error ?? "no answer"}.`);
    } else if (a.kind === "command") {
      if (a.result?.ok) s.push(`Ran \`${a.command}\`.`);
      else if (a.result) s.push(`Could not run \`${a.command}\`: ${a.result.error ?? "not attempted"}.`);
    }
  }
  return s;
}

/**
 * Split text into about n pieces at word boundaries (joined, they are the text again),
 * then add the padding chunks MAESTRO_SIM_EVENTS asks for.
 * @param {TurnCtx} ctx
 * @param {string} text
 * @param {number} n  pieces in a normal run
 */
export function chunk(ctx, text, n) {
  // Group chat replies stream in several pieces, so a chat screen sees them grow; except codex's:
  // it prints a message as one completed item, and Maestro's reply is its last message.
  if (ctx.info.groupchat && ctx.dialect === "codex") return [text];
  const least = ctx.info.groupchat ? Math.max(n, 4) : n;
  const want = Math.max(1, ctx.faults.slow ? Math.max(least, 8) : least);
  // words keep their trailing spaces, so the pieces join back into the text exactly
  const words = text.match(/\S*\s*/g)?.filter(Boolean) ?? [];
  /** @type {string[]} */
  const out = [];
  const k = Math.min(want, words.length);
  for (let g = 0; g < k; g++) out.push(words.slice(Math.floor((g * words.length) / k), Math.floor(((g + 1) * words.length) / k)).join(""));
  if (!out.length) out.push(text);
  const pad = ctx.faults.extraEvents;
  // MAESTRO_SIM_STAMP: each padding chunk says when it was written (io.mjs fills the mark in at
  // write time), so a bench can time a line from the CLI's write to wherever it arrives.
  const stamp = process.env.MAESTRO_SIM_STAMP === "1";
  for (let k = 1; k <= pad; k++) out.push(`\n[maestro-sim padding ${k}/${pad}${stamp ? ` sent ${sentMark(k)}` : ""}]`);
  return out;
}
