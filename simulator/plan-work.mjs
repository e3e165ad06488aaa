// What a turn will do in the folder, decided from the prompt before anything is written: save a
// checklist to a file, tick the document's tasks (and write the files those tasks name), write
// the file the prompt names, or answer with a plan. The phrasing is read by intent.mjs.
import fs from "node:fs";
import { readCommands, readQuestions } from "./ask-intent.mjs";
import { asksForCommitMessage, commitMessageFor } from "./commit-message.mjs";
import { readIntent } from "./intent.mjs";
import { isModeratorPrompt, isParticipantPrompt } from "./moderator.mjs";
import { featureDescription, featureFile, isWorkerPrompt, workerFeature } from "./mission.mjs";
import { makeChecklist } from "./make-checklist.mjs";
import {
  displayPath,
  fileContent,
  findDocs,
  findTasks,
  findWriteTargets,
  readText,
  resolveInside,
  tickLine,
  wantsAll,
  wantsTasks,
} from "./work.mjs";

/**
 * @typedef {object} WorkInfo
 * @property {string|null} doc          the checklist document, as shown
 * @property {string|null} docAbs
 * @property {boolean} all              every unchecked task, not only the first
 * @property {number} total
 * @property {number} checkedBefore
 * @property {string|null} firstTask
 * @property {boolean} halted
 * @property {import("./make-checklist.mjs").MadeChecklist|null} plan  a checklist to answer with
 * @property {string|null} commit      a commit message to answer with (the prompt asked to draft one)
 * @property {"moderator"|"participant"|null} groupchat  a group chat turn (moderator.mjs answers it)
 * @property {{key: string, title: string}|null} mission  a mission worker's turn: its feature (mission.mjs)
 */

/** @returns {WorkInfo} */
export function emptyInfo() {
  return {
    doc: null,
    docAbs: null,
    all: false,
    total: 0,
    checkedBefore: 0,
    firstTask: null,
    halted: false,
    plan: null,
    commit: null,
    groupchat: null,
    mission: null,
  };
}

/**
 * A write of `target` (as the text names it), confined to the working folder: outside it, the
 * action is planned but refused, so the dialect shows the refused tool call a real CLI would.
 * @param {string} cwd
 * @param {string} target
 * @param {{task: string, content?: string, said?: string, checklist?: import("./make-checklist.mjs").MadeChecklist}} o
 * @returns {import("./work.mjs").Action}
 */
function writeAction(cwd, target, o) {
  const { abs, inside } = resolveInside(cwd, target);
  const rel = inside ? displayPath(cwd, abs) : target;
  return {
    kind: "write",
    abs,
    rel,
    task: o.task,
    content: o.content ?? fileContent(rel, o.task),
    said: o.said,
    checklist: o.checklist,
    exists: fs.existsSync(abs),
    refuse: inside ? undefined : `${target} resolves outside the working folder (${cwd})`,
  };
}

/**
 * The writes one text (the prompt, or a task being done) asks for.
 * @param {string} src
 * @param {import("./intent.mjs").Intent|null} asked  what src asks for
 * @param {string} cwd
 * @param {(target: string) => string} taskFor  the task a file is written for (its default content says so)
 */
function writesFor(src, asked, cwd, taskFor) {
  if (asked?.kind === "plan") {
    if (!asked.file) return [];
    const made = makeChecklist(asked.subject, asked.count);
    return [writeAction(cwd, asked.file, { task: `checklist for ${made.subject}`, content: made.document, checklist: made })];
  }
  if (asked?.kind === "write") {
    const said = asked.content;
    const content = said === null ? undefined : said === "" || said.endsWith("\n") ? said : said + "\n";
    return [writeAction(cwd, asked.name, { task: taskFor(asked.name), content, said: said ?? undefined })];
  }
  return findWriteTargets(src).map((t) => writeAction(cwd, t, { task: taskFor(t) }));
}

/**
 * Plan the work a prompt asks for (nothing is written here). `extras` (claude only): questions
 * first ("ask me …", when the CLI may ask), then the writes, then the commands ("run `…`").
 * @param {{prompt: string, cwd: string, halt: boolean, extras?: {questions: boolean} | null}} o
 * @returns {{actions: import("./work.mjs").Action[], info: WorkInfo}}
 */
export function planWork(o) {
  const planned = planFiles(o);
  if (!o.extras || planned.info.commit || planned.info.groupchat || planned.info.mission) return planned;
  const qs = o.extras.questions ? readQuestions(o.prompt) : [];
  /** @type {import("./work.mjs").Action[]} */
  const before = qs.length ? [{ kind: "question", abs: o.cwd, rel: ".", questions: qs }] : [];
  /** @type {import("./work.mjs").Action[]} */
  const after = readCommands(o.prompt).map((command) => ({ kind: "command", abs: o.cwd, rel: ".", command }));
  return { actions: [...before, ...planned.actions, ...after], info: planned.info };
}

/** @param {{prompt: string, cwd: string, halt: boolean}} o */
function planFiles({ prompt, cwd, halt }) {
  const info = emptyInfo();
  // A group chat turn is text only: the moderator never works in a folder, and a participant's
  // request quotes the whole chat, whose phrasings are no request to this folder.
  if (isModeratorPrompt(prompt)) return { actions: [], info: { ...info, groupchat: /** @type {const} */ ("moderator") } };
  if (isParticipantPrompt(prompt)) return { actions: [], info: { ...info, groupchat: /** @type {const} */ ("participant") } };
  // A mission worker writes its feature's file, and what its prompt asks for ("write a file named
  // X containing Y" in the feature's description); the rest of the prompt (handoffs, guidance) is
  // context, not a request.
  if (isWorkerPrompt(prompt)) {
    const feature = workerFeature(prompt);
    const own = writeAction(cwd, featureFile(feature.key), {
      task: `feature ${feature.key}`,
      content: `${feature.key}: ${feature.title}\n`,
    });
    const more = [];
    for (const line of featureDescription(prompt).split("\n")) {
      const asked = readIntent(line);
      if (asked?.kind !== "write") continue;
      for (const w of writesFor(line, asked, cwd, (t) => `write ${t}`))
        if (w.abs !== own.abs && !more.some((x) => x.abs === w.abs)) more.push(w);
    }
    return { actions: [own, ...more], info: { ...info, mission: feature } };
  }
  // A commit message is the whole answer: the diff that follows may quote any phrasing
  // ("write notes.md"), and none of it is a request.
  if (asksForCommitMessage(prompt)) return { actions: [], info: { ...info, commit: commitMessageFor(prompt) } };
  const intent = readIntent(prompt);
  // A checklist to save comes first: the document it names may exist already, and ticking it
  // is not what was asked.
  if (intent?.kind === "plan" && intent.file) return { actions: writesFor(prompt, intent, cwd, () => prompt), info };

  /** @type {import("./work.mjs").Action[]} */
  const actions = [];
  // Several .md files may be named (context, then the document): prefer one with open tasks.
  const docs = findDocs(prompt, cwd);
  const scored = docs.map((abs) => {
    try {
      const tasks = findTasks(readText(abs).text);
      return { abs, score: tasks.some((t) => !t.checked) ? 2 : tasks.length ? 1 : 0 };
    } catch {
      return { abs, score: -1 };
    }
  });
  const best = Math.max(-1, ...scored.map((s) => s.score));
  const doc = scored.find((s) => s.score === best)?.abs;
  info.doc = doc ? displayPath(cwd, doc) : null;
  info.docAbs = doc ?? null;
  info.all = wantsAll(prompt);
  /** @type {string[]} */
  const taskTexts = [];
  const ticking = !!doc && wantsTasks(prompt);
  if (doc && halt) {
    info.halted = true;
    const { text } = readText(doc);
    actions.push({ kind: "halt", abs: doc, rel: info.doc ?? doc, before: text });
  } else if (doc && ticking) {
    const { text } = readText(doc);
    const tasks = findTasks(text);
    info.total = tasks.length;
    info.checkedBefore = tasks.filter((t) => t.checked).length;
    const open = tasks.filter((t) => !t.checked);
    for (const t of info.all ? open : open.slice(0, 1)) {
      taskTexts.push(t.text);
      actions.push({
        kind: "tick",
        abs: doc,
        rel: info.doc ?? doc,
        task: t.text,
        line: t.index + 1,
        oldLine: t.line,
        newLine: tickLine(t.line),
        before: text,
      });
    }
    info.firstTask = open[0]?.text ?? null;
  }
  if (!info.halted) {
    const sources = taskTexts.length ? [prompt, ...taskTexts] : [prompt];
    /** @type {string[]} */
    const seen = [];
    for (const src of sources) {
      /** @param {string} target */
      const taskFor = (target) => (src === prompt ? (taskTexts[0] ?? `write ${target}`) : src);
      // A task that reads like a plan request ("make a plan and write notes.md") keeps the
      // older rule (its `write <path>`s); only the prompt answers with a plan.
      const asked = src === prompt ? intent : readIntent(src);
      const use = src !== prompt && asked?.kind === "plan" && !asked.file ? null : asked;
      for (const w of writesFor(src, use, cwd, taskFor)) {
        if (seen.includes(w.abs) || w.abs === doc) continue;
        seen.push(w.abs);
        actions.push(w);
      }
    }
  }
  if (intent?.kind === "plan" && !actions.length && !ticking) info.plan = makeChecklist(intent.subject, intent.count);
  return { actions, info };
}
