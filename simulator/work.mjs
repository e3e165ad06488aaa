// The real work the simulator does in the folder: tick checkbox tasks in a markdown
// document, write files a task names, append a halt marker. Deliberately its own small
// implementation (the simulator stands in for an independent agent). What a prompt asks for
// is decided in plan-work.mjs.
import fs from "node:fs";
import path from "node:path";

export const HALT_MARKER = "<!-- maestro:halt: simulator was told to halt -->";

const TASK_RE = /^((?:[ \t]*>)*[ \t]*)([-*+])([ \t]+)\[([^\]\r\n]*)\]([ \t]+)(\S.*)$/;
const FENCE_RE = /^(?:[ \t]*>)*[ \t]*(`{3,}|~{3,})(.*)$/;
const DONE_MARKS = new Set(["x", "X", "✓", "✔", "\xE2\x9C\x93", "\xE2\x9C\x94"]);

/**
 * @typedef {object} Task
 * @property {number} index      0-based line index
 * @property {string} line       the line without its end-of-line
 * @property {boolean} checked
 * @property {string} text       the task's text after the box
 */

/**
 * Split into lines keeping each line's own terminator ("\n" or "\r\n"; last may have none).
 * @param {string} text
 * @returns {{body: string, eol: string}[]}
 */
export function splitLines(text) {
  /** @type {{body: string, eol: string}[]} */
  const out = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) {
      out.push({ body: text.slice(start), eol: "" });
      break;
    }
    const cr = nl > start && text[nl - 1] === "\r";
    out.push({ body: text.slice(start, cr ? nl - 1 : nl), eol: cr ? "\r\n" : "\n" });
    start = nl + 1;
  }
  return out;
}

/**
 * Checkbox tasks of a markdown document as a reader of its GitHub rendering sees them: bullets
 * `-`, `*`, `+` (optionally indented or inside `>` quotes) with a `[ ]` box and text. Numbered
 * items, fenced code, HTML comments and HTML blocks such as `<details>` (up to a blank line) don't
 * count. A fence indented into a list item ends when a line is indented less than it (the item
 * ended), as GitHub renders it.
 * @param {string} text
 * @returns {Task[]}
 */
export function findTasks(text) {
  /** @type {Task[]} */
  const tasks = [];
  /** @type {{ch: string, len: number, indent: number, quotes: number} | null} */
  let fence = null;
  /** @type {"comment" | "block" | null} */
  let html = null;
  /** The line without (at most `max`) quote markers, and how many it had. @param {string} line @param {number} max */
  const unquote = (line, max) => {
    let rest = line;
    let quotes = 0;
    for (let m = /^[ \t]*>[ \t]?/.exec(rest); m && quotes < max; m = /^[ \t]*>[ \t]?/.exec(rest)) {
      rest = rest.slice(m[0].length);
      quotes++;
    }
    return { rest, quotes };
  };
  const indentOf = (/** @type {string} */ s) => /^[ \t]*/.exec(s)[0].replace(/\t/g, "    ").length;
  splitLines(text).forEach(({ body }, index) => {
    if (fence) {
      // Only the fence's own quote markers come off: a `>` after them is the code's content.
      const inner = unquote(body, fence.quotes);
      const blank = inner.rest.trim() === "";
      if (inner.quotes < fence.quotes || (!blank && indentOf(inner.rest) < fence.indent)) fence = null;
      else {
        const f = /^[ \t]*(`{3,}|~{3,})(.*)$/.exec(inner.rest);
        if (f && f[1][0] === fence.ch && f[1].length >= fence.len && f[2].trim() === "") fence = null;
        return;
      }
    }
    const { rest: unquoted, quotes } = unquote(body, Infinity);
    const indent = indentOf(unquoted);
    const blank = unquoted.trim() === "";
    const f = FENCE_RE.exec(body);
    if (html === "comment") {
      if (body.includes("-->")) html = null;
      return;
    }
    if (html === "block") {
      if (blank) html = null;
      return;
    }
    if (f && !(f[1][0] === "`" && f[2].includes("`"))) {
      fence = { ch: f[1][0], len: f[1].length, indent, quotes };
      return;
    }
    const lead = unquoted.trimStart();
    if (lead.startsWith("<!--")) {
      if (!lead.includes("-->")) html = "comment";
      return;
    }
    if (/^<\/?(?:details|summary|div|table|p|ul|ol|li|section|article|aside|nav|pre|blockquote)(?:[\s>]|\/>|$)/i.test(lead)) {
      html = "block";
      return;
    }
    const m = TASK_RE.exec(body);
    if (!m) return;
    const inner = m[4];
    const unchecked = inner.length > 0 && /^[ \t]+$/.test(inner);
    const checked = DONE_MARKS.has(inner.trim());
    if (!unchecked && !checked) return;
    tasks.push({ index, line: body, checked, text: m[6].trim() });
  });
  return tasks;
}

/** The line with its box ticked. @param {string} line */
export function tickLine(line) {
  const m = TASK_RE.exec(line);
  if (!m) return line;
  return `${m[1]}${m[2]}${m[3]}[x]${m[5]}${m[6]}`;
}

/**
 * Read a text file keeping its bytes: utf8 when it round-trips, else latin1.
 * @param {string} file
 */
export function readText(file) {
  const buf = fs.readFileSync(file);
  const utf = buf.toString("utf8");
  if (Buffer.from(utf, "utf8").equals(buf)) return { text: utf, encoding: /** @type {BufferEncoding} */ ("utf8") };
  return { text: buf.toString("latin1"), encoding: /** @type {BufferEncoding} */ ("latin1") };
}

/**
 * Write atomically: a temp file in the same folder, then rename over the target.
 * @param {string} file
 * @param {string} text
 * @param {BufferEncoding} [encoding]
 */
export function atomicWrite(file, text, encoding = "utf8") {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  let mode;
  try {
    mode = fs.statSync(file).mode & 0o7777;
  } catch {}
  const tmp = path.join(dir, `.${path.basename(file)}.maestro-sim-${process.pid}-${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, text, { encoding, mode: mode ?? 0o644 });
    if (mode !== undefined) fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {}
    throw e;
  }
}

/**
 * The markdown documents a prompt names (paths ending in .md that exist), in order.
 * @param {string} prompt
 * @param {string} cwd
 * @returns {string[]} absolute paths
 */
export function findDocs(prompt, cwd) {
  const re = /(?:^|[\s`'"(<[=:])((?:~\/|\.{0,2}\/)?[^\s`'"()<>[\]]*?[^\s`'"()<>[\]/]\.md)(?=$|[\s`'")>\],;:!?]|\.(?:\s|$))/gi;
  /** @type {string[]} */
  const out = [];
  for (const m of prompt.matchAll(re)) {
    let p = m[1];
    if (p.startsWith("~/") && process.env.HOME) p = path.join(process.env.HOME, p.slice(2));
    const abs = path.resolve(cwd, p);
    if (out.includes(abs)) continue;
    try {
      if (fs.statSync(abs).isFile()) out.push(abs);
    } catch {}
  }
  return out;
}

/** Does the prompt ask for every unchecked task? @param {string} s */
export function wantsAll(s) {
  return /\ball\b(?:\s+(?:of\s+)?(?:the\s+)?(?:remaining\s+|open\s+)?)?unchecked\s+tasks?\b|\bevery\s+unchecked\s+task\b/i.test(s);
}

/** Does the prompt ask to work the checklist at all? @param {string} s */
export function wantsTasks(s) {
  return /\bunchecked\b|\btasks?\b|\btick\b|\bcheck\s*box(?:es)?\b|\bcheckbox(?:es)?\b|\bchecklist\b/i.test(s);
}

/**
 * Files the text asks to write: `write <path>`, `create <path>`, `create file <path>`.
 * @param {string} s
 * @returns {string[]}
 */
export function findWriteTargets(s) {
  const re =
    /\b(?:write|create)(?:\s+(?:a\s+|the\s+)?(?:new\s+)?file)?\s+`?((?:~|\.{1,2})?\/?[\w.\-~/]*?[\w\-~]\.[A-Za-z0-9]{1,10})`?(?![\w/-])/gi;
  /** @type {string[]} */
  const out = [];
  for (const m of s.matchAll(re)) if (!out.includes(m[1])) out.push(m[1]);
  return out;
}

/**
 * Resolve a path against cwd and tell whether it stays inside: the deepest part that exists
 * (links themselves count, judged with lstat) must resolve inside the real cwd. A dangling
 * link cannot be resolved, and writing through it would create its target wherever it points,
 * so it is refused.
 * @param {string} cwd
 * @param {string} p
 */
export function resolveInside(cwd, p) {
  const abs = path.resolve(cwd, p);
  const lexical = path.relative(cwd, abs);
  if (lexical === "" || lexical.startsWith("..") || path.isAbsolute(lexical)) return { abs, inside: false };
  let realRoot = cwd;
  try {
    realRoot = fs.realpathSync(cwd);
  } catch {}
  /** @param {string} q */
  const present = (q) => {
    try {
      fs.lstatSync(q);
      return true;
    } catch {
      return false;
    }
  };
  let probe = abs;
  while (!present(probe) && path.dirname(probe) !== probe) probe = path.dirname(probe);
  let real;
  try {
    real = fs.realpathSync(probe);
  } catch {
    return { abs, inside: false };
  }
  const rel = path.relative(realRoot, real);
  const inside = rel === "" ? probe !== abs : !rel.startsWith("..") && !path.isAbsolute(rel);
  return { abs, inside };
}

/** Display form of a path: relative to cwd when inside. @param {string} cwd @param {string} abs */
export function displayPath(cwd, abs) {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : abs;
}

/**
 * Deterministic content for a file a task asked for.
 * @param {string} rel
 * @param {string} task
 */
export function fileContent(rel, task) {
  const ext = path.extname(rel).toLowerCase();
  if (ext === ".json") return JSON.stringify({ writtenBy: "maestro-sim", file: rel, task }, null, 2) + "\n";
  if (ext === ".md") return `# ${path.basename(rel)}\n\nWritten by maestro-sim for the task: ${task}\n`;
  return `Written by maestro-sim for the task: ${task}\n`;
}

/**
 * @typedef {object} ActionResult
 * @property {boolean} ok
 * @property {boolean} [denied]     not allowed by the permission/sandbox mode
 * @property {boolean} [refused]    the simulator refused (outside the folder)
 * @property {string} [error]
 * @property {boolean} [created]    write: the file did not exist before
 */

/**
 * @typedef {object} Action
 * @property {"tick"|"write"|"halt"|"command"|"question"} kind
 * @property {string} abs
 * @property {string} rel
 * @property {string} [task]        tick: the task's text; write: the task it serves
 * @property {number} [line]        tick: 1-based line number
 * @property {string} [oldLine]
 * @property {string} [newLine]
 * @property {string} [content]     write: the content
 * @property {string} [said]        write: the content as the prompt gave it ("containing hi")
 * @property {import("./make-checklist.mjs").MadeChecklist} [checklist]  write: the checklist it saves
 * @property {boolean} [exists]     write: the file exists already
 * @property {string} [refuse]      why the simulator will refuse it
 * @property {string} [before]      the document text before (for tool outputs)
 * @property {string} [command]     command: the Bash command (claude, from "run `…`")
 * @property {import("./ask-intent.mjs").Question[]} [questions]  question: an AskUserQuestion (claude)
 * @property {Record<string, string>} [answers]  question: what the person answered
 * @property {ActionResult} [result]
 */

/**
 * Carry out one planned action.
 * @param {Action} a
 * @returns {ActionResult}
 */
export function applyAction(a) {
  if (a.refuse) return (a.result = { ok: false, refused: true, error: a.refuse });
  try {
    if (a.kind === "write") {
      const created = !fs.existsSync(a.abs);
      atomicWrite(a.abs, a.content ?? "");
      return (a.result = { ok: true, created });
    }
    const { text, encoding } = readText(a.abs);
    if (a.kind === "halt") {
      const eol = text.includes("\r\n") ? "\r\n" : "\n";
      const sep = text === "" || text.endsWith("\n") ? "" : eol;
      atomicWrite(a.abs, text + sep + HALT_MARKER + eol, encoding);
      return (a.result = { ok: true });
    }
    const lines = splitLines(text);
    let i = (a.line ?? 0) - 1;
    if (!(lines[i] && lines[i].body === a.oldLine)) {
      const t = findTasks(text).find((t) => !t.checked && t.line === a.oldLine);
      if (!t) return (a.result = { ok: false, error: `the task '${a.task}' is no longer unchecked` });
      i = t.index;
    }
    lines[i] = { body: tickLine(lines[i].body), eol: lines[i].eol };
    atomicWrite(a.abs, lines.map((l) => l.body + l.eol).join(""), encoding);
    return (a.result = { ok: true });
  } catch (e) {
    return (a.result = { ok: false, error: e instanceof Error ? e.message : String(e) });
  }
}

/** Count tasks now in a document. @param {string} abs */
export function countTasks(abs) {
  try {
    const tasks = findTasks(readText(abs).text);
    return { total: tasks.length, checked: tasks.filter((t) => t.checked).length };
  } catch {
    return null;
  }
}
