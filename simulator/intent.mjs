// What a prompt (or an Auto Run task's text) asks the simulator for, from its natural phrasing:
// a plan (a checklist, in the reply or saved to a file) or one file written with given content.
// Pure: text in, a plain object out; nothing here touches the disk.
import { DEFAULT_TASKS, MAX_TASKS, slugOf } from "./make-checklist.mjs";

const MAX_SCAN = 8000;

/** Where a plan saved "in the Auto Run folder" goes: Maestro's default Auto Run folder. */
export const AUTORUN_FOLDER = ".maestro/playbooks";

/**
 * @typedef {{kind: "plan", subject: string, count: number, file: string | null}} PlanIntent
 *   file: where to save the checklist (as written in the prompt), null to answer with it
 * @typedef {{kind: "write", name: string, content: string | null}} WriteIntent
 *   content: null when the prompt names the file but not what goes in it
 * @typedef {PlanIntent | WriteIntent} Intent
 */

const NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
const NUM = `(\\d{1,3}|${NUMBERS.slice(2).join("|")})`;
const COUNT_RE = new RegExp(
  `\\b(?:(?:in|with|of|into|as|using)\\s+)?(?:(?:about|around|exactly|just)\\s+)?${NUM}(?:\\s+(?:short|small|simple|clear|concrete))?(?:\\s+|-)(?:tasks|steps|items|subtasks|todos|parts)\\b|\\b${NUM}[- ]step\\b`,
  "i",
);

const ADJ = String.raw`(?:(?:short|quick|simple|small|detailed|brief|rough|clear|markdown|concrete|step[- ]by[- ]step|[\w]+[- ](?:step|task)|new|full|little)\s+)*`;
const NOUN = String.raw`(?:plan|checklist|check[- ]list|spec|specification|to-?do[- ]list|todo|todos|task[- ]list|list\s+of\s+(?:tasks|steps|todos)|steps|roadmap|breakdown)`;
const VERB = String.raw`(?:make|write|draft|create|prepare|produce|generate|give|put\s+together|draw\s+up|come\s+up\s+with|build|sketch|outline|list|show)`;
// "todo" alone only as a list: "create a todo app" asks for an app, not a plan.
const NOUN_END = String.raw`(?<!\btodo)(?![\w.-])`;

/** Plan phrasings; each match's end is where the subject starts. */
const PLAN_RES = [
  new RegExp(String.raw`\b${VERB}\s+(?:me\s+|us\s+)?(?:(?:a|an|the|some|your|one)\s+)?${ADJ}${NOUN}${NOUN_END}`, "i"),
  new RegExp(String.raw`^\s*(?:a\s+)?${ADJ}(?:plan|spec|checklist|to-?do list|task list)\s*[:—–-]\s*`, "i"),
  new RegExp(String.raw`^\s*(?:a\s+)?${ADJ}(?:checklist|check list|to-?do list|plan|spec|task list|roadmap)\s+(?:for|to|of|on)\b`, "i"),
  /\b(?:plan|spec|map)\s+out\b/i,
  /(?:^|\b(?:please|you|me|us|to|let's|lets|and|then)\s+)plan\s+(?=(?:a|an|the|my|our|how|for|this|that|what)\b)/i,
  /\bwhat\s+are\s+the\s+steps\s+(?:to|for)\b/i,
];
const BREAK_RE =
  /\bbreak\s+(?:down\s+)?(.+?)\s+(?:down\s+)?into\s+(?:\S+\s+)?(?:tasks|steps|subtasks|a\s+checklist|a\s+to-?do\s+list|todos|pieces)\b/i;
const PRONOUN = /^(?:it|this|that|these|those|them|the work|this work|that work)$/i;

const OPENERS = { '"': '"', "'": "'", "`": "`", "“": "”", "‘": "’" };
const ABS_RE = /^~?\/[^\n]*?\.[A-Za-z0-9]{1,10}(?=$|[\s,;:!?)"'`”’]|\.(?:\s|$))/;
const WORD_RE = /^[^\s,;:!?()"'`“”‘’]+/;
const EXT_RE = /[^/]\.[A-Za-z0-9]{1,10}$/;

/**
 * A file name or path in the text at `from`: quoted, absolute (may hold spaces), or one word.
 * @param {string} text
 * @param {number} from
 * @param {boolean} needExt  only a name with an extension counts (e.g. `hello.txt`)
 * @returns {{path: string, end: number} | null}
 */
export function readPath(text, from, needExt) {
  let i = from;
  while (text[i] === " " || text[i] === "\t") i++;
  const open = /** @type {keyof typeof OPENERS} */ (text[i]);
  let p = "";
  let end = i;
  if (open in OPENERS) {
    const close = text.indexOf(OPENERS[open], i + 1);
    if (close < 0) return null;
    p = text.slice(i + 1, close);
    end = close + 1;
    if (p.includes("\n")) return null;
  } else {
    const m = ABS_RE.exec(text.slice(i)) ?? WORD_RE.exec(text.slice(i));
    if (!m) return null;
    p = m[0].replace(/\.+$/, "");
    end = i + p.length;
  }
  p = p.trim();
  if (!p || p.endsWith("/") || (needExt && !EXT_RE.test(p))) return null;
  return { path: p, end };
}

const CONTENT_RE =
  /^\s*,?\s*(?:containing|that\s+(?:says|reads|contains|holds|has)|which\s+(?:says|reads|contains|holds|has)|saying|reading|with\s+(?:the\s+)?(?:text|content|contents|words?|line|body|message))\s*:?/i;

/**
 * The content a clause at `from` gives ("containing hi", "that says 'hello there'"), or undefined
 * when there is no such clause. Quoted content is taken as is; otherwise up to the end of the
 * sentence, or every following line when the clause ends its line. `\n` means a new line.
 * @param {string} text
 * @param {number} from
 * @returns {string | undefined}
 */
export function readContent(text, from) {
  const m = CONTENT_RE.exec(text.slice(from));
  if (!m) return undefined;
  return contentAt(text, from + m[0].length);
}

/** @param {string} text @param {number} from */
function contentAt(text, from) {
  let i = from;
  while (text[i] === " " || text[i] === "\t") i++;
  const open = /** @type {keyof typeof OPENERS} */ (text[i]);
  let c;
  if (open in OPENERS && text.indexOf(OPENERS[open], i + 1) > i) c = text.slice(i + 1, text.indexOf(OPENERS[open], i + 1));
  else if (text[i] === "\n" || (text[i] === "\r" && text[i + 1] === "\n")) c = text.slice(i).trim();
  else {
    const line = text.slice(i).split(/\r?\n/)[0];
    const stop = /[.!?](?=\s+[A-Z]|\s*$)/.exec(line);
    c = (stop ? line.slice(0, stop.index) : line).trim();
  }
  return c.replace(/\\n/g, "\n");
}

const NAMED_RE =
  /\b(?:write|create|make|add|save|generate|produce|touch)\s+(?:me\s+|us\s+)?(?:(?:a|an|the|one|new|small|short|simple|plain|text|markdown|empty|little)\s+)*file\s+(?:named|called|titled|with\s+the\s+name)\s+/gi;
const DIRECT_RE = /\b(?:write|create|make)\s+(?:(?:a\s+)?new\s+(?:file\s+)?|(?:the\s+)?file\s+)?(?=\S)/gi;
const PUT_RE =
  /\b(?:put|write|save|store|place)\s+(?:the\s+(?:text|words?|line)\s+)?("[^"\n]*"|'[^'\n]*'|“[^”\n]*”|`[^`\n]*`|[^\n]+?)\s+(?:in|into|to|as)\s+(?:(?:a|the)\s+)?(?:new\s+)?(?:file\s+(?:(?:named|called)\s+)?)?(?=\S)/gi;
const NOT_CONTENT =
  /^(?:it|this|that|them|these|those|(?:a|an|the)\s+(?:\w+\s+)?(?:file|checklist|plan|spec|list|document|result|results|output))$/i;

/**
 * "write a file named X containing Y", "create X with the text Y", "make a file called X that
 * says Y", "put 'Y' in X", "save Y to X".
 * @param {string} text
 * @returns {(WriteIntent & {at: number}) | null}
 */
export function readWrite(text) {
  for (const m of text.matchAll(NAMED_RE)) {
    const p = readPath(text, m.index + m[0].length, false);
    if (p) return { kind: "write", name: p.path, content: readContent(text, p.end) ?? null, at: m.index };
  }
  for (const m of text.matchAll(DIRECT_RE)) {
    const p = readPath(text, m.index + m[0].length, true);
    const content = p ? readContent(text, p.end) : undefined;
    if (p && content !== undefined) return { kind: "write", name: p.path, content, at: m.index };
  }
  for (const m of text.matchAll(PUT_RE)) {
    const p = readPath(text, m.index + m[0].length, true);
    const raw = m[1].trim();
    if (!p || NOT_CONTENT.test(raw)) continue;
    return { kind: "write", name: p.path, content: contentAt(raw, 0), at: m.index };
  }
  return null;
}

const SAVE_RES = [
  /\b(?:save|write|put|store|place)\s+(?:it|this|that|them|the\s+(?:checklist|plan|spec|list|result|tasks))\s+(?:as|to|in|into|at|under)\s+(?:(?:a|the)\s+)?(?:new\s+)?(?:file\s+(?:(?:named|called)\s+)?)?/i,
  /\b(?:(?:into|to|as)\s+(?:(?:a|the)\s+)?(?:new\s+)?(?:file\s+(?:(?:named|called)\s+)?)?|in\s+(?:a|the)\s+(?:new\s+)?file\s+(?:(?:named|called)\s+)?)(?=["'`“‘]?[^\s"'`“‘]*\.(?:md|markdown|txt)\b)/i,
];
const AUTORUN_RE =
  /\s*,?\s*\b(?:(?:save|put|store|place|write)\s+(?:it|this|them)\s+)?(?:in|into|to|under)\s+(?:the\s+|my\s+)?auto[- ]?run\s+folder\b(?:\s+as\b)?/i;

/**
 * Where the prompt asks a plan to be saved, and the text without that clause.
 * @param {string} text
 * @returns {{file: string | null, autorun: boolean, rest: string}}
 */
function readSaveClause(text) {
  let rest = text;
  let autorun = false;
  const a = AUTORUN_RE.exec(rest);
  if (a) {
    autorun = true;
    rest = rest.slice(0, a.index) + " " + rest.slice(a.index + a[0].length);
    // "in the Auto Run folder as login.md": the name follows the clause.
    const named = a[0].trimEnd().endsWith("as") ? readPath(rest, a.index + 1, true) : null;
    if (named) return { file: named.path, autorun, rest: rest.slice(0, a.index) + rest.slice(named.end) };
  }
  for (const re of SAVE_RES) {
    const m = re.exec(rest);
    if (!m) continue;
    const p = readPath(rest, m.index + m[0].length, true);
    if (p) return { file: p.path, autorun, rest: rest.slice(0, m.index) + rest.slice(p.end) };
  }
  return { file: null, autorun, rest };
}

/** The task count the text asks for, and the text without that phrase. @param {string} s */
function countOf(s) {
  const m = COUNT_RE.exec(s);
  const w = m ? (m[1] ?? m[2] ?? "").toLowerCase() : "";
  const n = /^\d+$/.test(w) ? Number(w) : NUMBERS.indexOf(w);
  return {
    count: n > 0 ? Math.min(MAX_TASKS, n) : DEFAULT_TASKS,
    rest: m ? s.slice(0, m.index) + " " + s.slice(m.index + m[0].length) : s,
  };
}

/** The subject from where a phrasing ends: one sentence, no leading "for"/"to"/"how to". @param {string} s */
function subjectFrom(s) {
  let t = countOf(s).rest.replace(/^[\s:—–,-]+/, "");
  t = t.replace(/^(?:for|to|of|on|about|covering|that|which)\b[\s:—–-]*(?:how\s+to\s+)?/i, "").replace(/^how\s+to\s+/i, "");
  const stop = /[.!?](?=\s|$)|\r?\n/.exec(t);
  if (stop) t = t.slice(0, stop.index);
  return t
    .replace(/\s+/g, " ")
    .replace(/(?:[\s,;:—–-]|\b(?:and|then)\b)+$/i, "")
    .replace(/^["'“‘`]|["'”’`]$/g, "")
    .trim();
}

/**
 * "make a plan to add a login page", "write a checklist for releasing v2", "plan: …", "break
 * this into 5 tasks", "spec out …", and the /spec shape "Write a markdown checklist for: GOAL.
 * Save it as /abs/folder/name.md …".
 * @param {string} text
 * @returns {(PlanIntent & {at: number}) | null}
 */
export function readPlan(text) {
  const save = readSaveClause(text);
  const rest = save.rest;
  let subject = null;
  let at = -1;
  const br = BREAK_RE.exec(rest);
  if (br) {
    at = br.index;
    subject = subjectFrom(br[1]);
    if (PRONOUN.test(subject)) subject = subjectFrom(rest.slice(br.index + br[0].length));
  } else {
    for (const re of PLAN_RES) {
      const m = re.exec(rest);
      if (m) {
        at = m.index;
        subject = subjectFrom(rest.slice(m.index + m[0].length));
        break;
      }
    }
  }
  if (subject === null) return null;
  if (PRONOUN.test(subject)) subject = "";
  let file = save.file;
  if (save.autorun) file = `${AUTORUN_FOLDER}/${file && !file.includes("/") ? file : `${slugOf(subject || "plan")}.md`}`;
  return { kind: "plan", subject, count: countOf(rest).count, file, at };
}

/**
 * What the text asks for: a plan (which may name a file to save itself in) or a write.
 * @param {string} text
 * @returns {Intent | null}
 */
export function readIntent(text) {
  // The request is in the opening words; a long paste after it is context, and the phrasings'
  // lazy scans should not run over all of it.
  if (text.length > MAX_SCAN) text = text.slice(0, MAX_SCAN);
  const plan = readPlan(text);
  const write = readWrite(text);
  // Whichever phrasing comes first: "make a plan to write x.txt containing hi" is a plan,
  // "write a file named notes.md containing make a plan" is a write.
  const pick = plan && write ? (write.at < plan.at ? write : plan) : (plan ?? write);
  if (!pick) return null;
  const { at: _at, ...intent } = pick;
  return intent;
}
