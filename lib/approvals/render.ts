/**
 * A permission request rendered readably for the approval card: a command, a file path with
 * the content or the diff of an edit, a URL, the questions of an AskUserQuestion, or compact
 * JSON for any other tool. Pure; never throws on odd input; huge inputs are clipped, except a
 * command: what one tap allows is always shown whole. Every string goes through displaySafe.
 */
import { displaySafe, displaySafeDeep } from "./display";
import { isObj, str } from "../providers/lines";

export interface DiffLine {
  op: " " | "-" | "+";
  text: string;
}

export interface QuestionOption {
  label: string;
  description?: string;
}
export interface Question {
  question: string;
  header?: string;
  options: QuestionOption[];
  multiSelect: boolean;
}

export type RenderedRequest =
  | { kind: "command"; title: string; summary: string; command: string; long: boolean; hiddenChars: number; description?: string }
  | { kind: "write"; title: string; summary: string; path: string; preview: string; clipped: boolean }
  | { kind: "edit"; title: string; summary: string; path: string; diff: DiffLine[]; clipped: boolean; replaceAll: boolean }
  | { kind: "url"; title: string; summary: string; url: string; prompt?: string }
  | { kind: "question"; title: string; summary: string; questions: Question[] }
  | { kind: "json"; title: string; summary: string; json: string; clipped: boolean };

/** Limits: what a phone screen can usefully show before "clipped". */
export const MAX_PREVIEW_CHARS = 4000;
export const MAX_PREVIEW_LINES = 60;
export const MAX_DIFF_LINES = 120;
export const MAX_LINE_CHARS = 400;
const MAX_SUMMARY = 80;
/** A command past this many lines (or characters) scrolls inside its box; the card says so. */
export const LONG_COMMAND_LINES = 12;
export const LONG_COMMAND_CHARS = 600;
/** How the bridge marks a string it cut from the card's copy of a huge input (the stored request keeps it whole). */
const CUT_MARK = /… \((\d+) more characters\)$/;

function oneLine(s: string, max = MAX_SUMMARY): string {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function clipLine(s: string): string {
  return s.length > MAX_LINE_CHARS ? `${s.slice(0, MAX_LINE_CHARS - 1)}…` : s;
}

/** The first lines of a text, within the character and line limits. */
export function clipText(text: string, maxLines = MAX_PREVIEW_LINES, maxChars = MAX_PREVIEW_CHARS): { text: string; clipped: boolean } {
  let clipped = false;
  let t = text;
  if (t.length > maxChars) {
    t = t.slice(0, maxChars);
    clipped = true;
  }
  const lines = t.split("\n");
  if (lines.length > maxLines) {
    lines.length = maxLines;
    clipped = true;
  }
  return { text: lines.map(clipLine).join("\n"), clipped };
}

/** The file name at the end of a path (for summaries). */
function baseName(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

/**
 * A line diff of one replacement: the lines both sides share at the start and the end are kept
 * as context (at most 2 each), the middle shows as removed then added.
 */
export function diffLines(oldText: string, newText: string, context = 2): DiffLine[] {
  const a = oldText.split("\n");
  const b = newText.split("\n");
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const out: DiffLine[] = [];
  for (let i = Math.max(0, pre - context); i < pre; i++) out.push({ op: " ", text: a[i]! });
  for (let i = pre; i < a.length - suf; i++) out.push({ op: "-", text: a[i]! });
  for (let i = pre; i < b.length - suf; i++) out.push({ op: "+", text: b[i]! });
  for (let i = a.length - suf; i < Math.min(a.length, a.length - suf + context); i++) out.push({ op: " ", text: a[i]! });
  return out;
}

function clipDiff(lines: DiffLine[]): { diff: DiffLine[]; clipped: boolean } {
  let chars = 0;
  const out: DiffLine[] = [];
  for (const l of lines) {
    if (out.length >= MAX_DIFF_LINES || chars > MAX_PREVIEW_CHARS) return { diff: out, clipped: true };
    out.push({ op: l.op, text: clipLine(l.text) });
    chars += l.text.length;
  }
  return { diff: out, clipped: false };
}

function readQuestions(input: Record<string, unknown>): Question[] {
  const qs = Array.isArray(input.questions) ? input.questions : [];
  return qs.filter(isObj).map((q) => ({
    question: str(q.question) ?? "",
    ...(str(q.header) ? { header: str(q.header) } : {}),
    options: (Array.isArray(q.options) ? q.options : [])
      .map((o) => (typeof o === "string" ? { label: o } : isObj(o) ? { label: str(o.label) ?? "", description: str(o.description) } : null))
      .filter((o): o is QuestionOption => !!o && o.label !== ""),
    multiSelect: q.multiSelect === true,
  }));
}

/** Compact JSON of any input, clipped. */
function jsonOf(input: unknown): { json: string; clipped: boolean } {
  let json: string;
  try {
    json = JSON.stringify(input, null, 2) ?? "";
  } catch {
    json = "(input that cannot be shown)";
  }
  const c = clipText(json);
  return { json: c.text, clipped: c.clipped };
}

/**
 * How the card shows one request. `who` names the agent's CLI ("Claude").
 */
export function renderRequest(toolName: string, rawInput: unknown, rawWho = "Claude"): RenderedRequest {
  const input = displaySafeDeep(rawInput);
  const who = displaySafe(rawWho);
  const inp = isObj(input) ? input : {};
  const name = displaySafe(toolName) || "a tool";
  if (name === "AskUserQuestion" || (Array.isArray(inp.questions) && inp.questions.length > 0)) {
    const questions = readQuestions(inp);
    const first = questions[0]?.question ?? "";
    return { kind: "question", title: `${who} asks`, summary: first ? oneLine(first) : "A question for you", questions };
  }
  const command = str(inp.command) ?? (Array.isArray(inp.command) ? inp.command.filter((x) => typeof x === "string").join(" ") : undefined);
  if (command !== undefined && /bash|shell|command|exec/i.test(name)) {
    // Never cut: a one-tap Allow must not approve a tail nobody saw (`touch a` + spaces + `; rm -rf ~`).
    return {
      kind: "command",
      title: `${who} wants to run`,
      summary: `Run ${oneLine(command, MAX_SUMMARY - 4)}`,
      command,
      long: command.length > LONG_COMMAND_CHARS || command.split("\n").length > LONG_COMMAND_LINES,
      hiddenChars: Number(CUT_MARK.exec(command)?.[1] ?? 0),
      ...(str(inp.description) ? { description: oneLine(str(inp.description)!, 200) } : {}),
    };
  }
  const path = str(inp.file_path) ?? str(inp.notebook_path) ?? str(inp.path);
  if (path !== undefined && (name === "Edit" || name === "MultiEdit")) {
    const edits = name === "MultiEdit" && Array.isArray(inp.edits) ? inp.edits.filter(isObj) : [inp];
    const all: DiffLine[] = [];
    edits.forEach((e, i) => {
      if (i > 0) all.push({ op: " ", text: "⋯" });
      all.push(...diffLines(str(e.old_string) ?? "", str(e.new_string) ?? ""));
    });
    const d = clipDiff(all);
    return {
      kind: "edit",
      title: `${who} wants to edit`,
      summary: `Edit ${oneLine(baseName(path), MAX_SUMMARY - 5)}`,
      path,
      diff: d.diff,
      clipped: d.clipped,
      replaceAll: edits.some((e) => e.replace_all === true),
    };
  }
  if (path !== undefined && (name === "Write" || name === "NotebookEdit")) {
    const content = str(inp.content) ?? str(inp.new_source) ?? "";
    const c = clipText(content);
    return {
      kind: "write",
      title: `${who} wants to write`,
      summary: `Write ${oneLine(baseName(path), MAX_SUMMARY - 6)}`,
      path,
      preview: c.text,
      clipped: c.clipped,
    };
  }
  const url = str(inp.url);
  if (url !== undefined) {
    return {
      kind: "url",
      title: `${who} wants to fetch`,
      summary: `Fetch ${oneLine(url, MAX_SUMMARY - 6)}`,
      url: clipLine(url),
      ...(str(inp.prompt) ? { prompt: oneLine(str(inp.prompt)!, 300) } : {}),
    };
  }
  const j = jsonOf(input);
  return {
    kind: "json",
    title: `${who} wants to use ${name}`,
    summary: `Use ${oneLine(name, MAX_SUMMARY - 4)}`,
    json: j.json,
    clipped: j.clipped,
  };
}
