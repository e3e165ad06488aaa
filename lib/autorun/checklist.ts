/**
 * The Auto Run checklist engine: finds the tasks of a markdown document, their state and position,
 * the halt marker and the review gates, and ticks a box without touching anything else. Pure and
 * linear in the document's length (one pass over the lines, anchored regexes per line).
 *
 * What counts as a task is what GitHub renders as a checkbox, with desktop Maestro's narrowing:
 * - a `-`, `*` or `+` list item whose text starts with a box `[…]` holding only spaces (open) or
 *   one of `x`, `X`, `✓`, `✔` with optional spaces around it (done), then whitespace and some text
 *   (an empty task, `- [ ]` alone, is not a task);
 * - nested tasks count; the depth is the number of enclosing list items (CommonMark containment:
 *   a line belongs to an item when it is indented to the item's content column);
 * - inside a blockquote (`> - [ ] x`) it is a task, as GitHub renders it as one;
 * - NOT a numbered item (`1. [ ] x`), nor anything in code: a ``` or ~~~ fence (which ends with
 *   the list item or blockquote it was opened in, as CommonMark says; an unclosed fence runs to
 *   the end of its container) or an indented code block;
 * - NOT anything inside an HTML block: a comment `<!-- … -->` (commented-out checklists are
 *   common in templates), `<details>` up to the next blank line, and the other kinds.
 * Markers are HTML comments: `<!-- maestro:halt: reason -->`, the review gate
 * `<!-- maestro:review reason="…" -->` and desktop's `<!-- MAESTRO:HITL reason="…" artifact="…" -->`
 * (any case). They count wherever a comment is markup, in HTML blocks too, but not in code and not
 * quoted in inline code (`` `<!-- maestro:halt -->` `` is prose).
 * Offsets are JavaScript string offsets (UTF-16 code units), so they index `markdown` directly.
 */
import { columns, htmlBlockEndsOn, htmlBlockStart, listItem, maskInlineCode, type HtmlBlockEnd } from "./markdown-lines";

export interface ChecklistTask {
  index: number; // 0-based order among tasks
  line: number; // 0-based line number
  lineStart: number; // char offset of the line start in the source
  boxOffset: number; // char offset of the character(s) between [ and ] (for ticking)
  boxLength: number; // length of the content between [ and ]
  text: string; // task text after the box, trimmed
  done: boolean;
  depth: number; // nesting depth, 0 = top level
  /** The text marks it as a person's job (`(human)`, `[human]`, `human:`, `**human**`, `👤`): never given to an agent. */
  forHuman: boolean;
}
export interface ChecklistMarker {
  line: number;
  reason: string;
}
/** A pause for a person before the next task below it: ours (`maestro:review`) or desktop's `MAESTRO:HITL`. */
export interface ChecklistGate extends ChecklistMarker {
  kind: "review" | "hitl";
  /** A file the person should look at (desktop's `artifact="…"`), as written. */
  artifact: string | null;
}
export interface Checklist {
  tasks: ChecklistTask[];
  total: number;
  done: number;
  firstUnchecked: ChecklistTask | null;
  halt: ChecklistMarker | null; // the first halt marker
  reviews: ChecklistGate[]; // review gates, in order
}

/** A marker with its exact place in the source, so it can be removed. */
interface PlacedMarker extends ChecklistMarker {
  start: number;
  end: number;
}

const QUOTE_PREFIX = /^(?:[ \t]{0,3}>[ \t]?)*/;
const FENCE_OPEN = /^[ \t]*(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;
const HEADING = /^[ \t]*#{1,6}(?:[ \t]|$)/;
const BOX = /^\[([^\]]{1,16})\](?=[ \t]|$)(.*)$/;
const BOX_OPEN = /^ +$/;
const BOX_DONE = /^ *[xX\u2713\u2714]\uFE0F? *$/;
const MARKER = /<!--\s*maestro:(halt|review|hitl)\b([\s\S]*?)-->/gi;
const MAYBE_MARKER = /maestro:/i;
const FOR_HUMAN = /^(?:\(human\)|\[human\]|human:|\*\*human\*\*|\*\*human:\*\*|\u{1F464})/iu;

function attribute(body: string, name: string): string | null {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, "i").exec(body);
  return m ? (m[1] ?? m[2] ?? "").trim() : null;
}

/** Takes at most `max` blockquote markers off the line's start: how many it took, and what is left. */
function stripQuotes(line: string, max: number): { quotes: number; rest: string } {
  let rest = line;
  let quotes = 0;
  while (quotes < max) {
    const m = /^[ \t]{0,3}>[ \t]?/.exec(rest);
    if (!m) break;
    rest = rest.slice(m[0].length);
    quotes++;
  }
  return { quotes, rest };
}

/** An open fence or HTML block, and the container (column, quote depth) that ends it. */
type Block = { container: number; quotes: number } & (
  { kind: "fence"; char: string; len: number } | { kind: "html"; end: HtmlBlockEnd; from: number; fromLine: number }
);

interface Scan {
  tasks: ChecklistTask[];
  halts: PlacedMarker[];
  reviews: (ChecklistGate & PlacedMarker)[];
  code: number[];
}

function scan(markdown: string): Scan {
  const tasks: ChecklistTask[] = [];
  const halts: PlacedMarker[] = [];
  const reviews: (ChecklistGate & PlacedMarker)[] = [];
  const code: number[] = [];
  let block: Block | null = null;
  let list: number[] = []; // content columns of the open list items, innermost last
  let quoteLen = -1;
  let paragraph = false; // the previous line continues a paragraph (lazy continuation applies)
  let lineNo = 0;
  let lineStart = 0;

  /** Markers in `text`, which starts at offset `from` on line `fromLine`. */
  function markersIn(text: string, from: number, fromLine: number) {
    let line = fromLine;
    let counted = 0;
    for (const m of text.matchAll(MARKER)) {
      for (let i = text.indexOf("\n", counted); i !== -1 && i < m.index; i = text.indexOf("\n", i + 1)) line++;
      counted = m.index;
      const kind = m[1]!.toLowerCase();
      const body = m[2] ?? "";
      const place = { line, start: from + m.index, end: from + m.index + m[0].length };
      if (kind === "halt") halts.push({ ...place, reason: body.replace(/^\s*:?/, "").trim() });
      else
        reviews.push({
          ...place,
          kind: kind === "hitl" ? "hitl" : "review",
          reason: attribute(body, "reason") ?? "",
          artifact: attribute(body, "artifact") || null,
        });
    }
  }
  function closeHtml(b: Block & { kind: "html" }, to: number) {
    markersIn(markdown.slice(b.from, to), b.from, b.fromLine);
  }
  /** Closes the list items a line at column `ind` is not inside; returns the column of the one it is. */
  function containerFor(ind: number): number {
    while (list.length && list[list.length - 1]! > ind) list.pop();
    return list[list.length - 1] ?? 0;
  }
  /** A fence or HTML block opening on `text` (at `at` in the line), inside the container at column `container`. */
  function opens(text: string, at: number, container: number, quotes: number, inParagraph: boolean): boolean {
    const fence = FENCE_OPEN.exec(text);
    const run = fence?.[1] ?? "";
    if (fence && !(run[0] === "`" && (fence[2] ?? "").includes("`"))) {
      block = { kind: "fence", char: run[0]!, len: run.length, container, quotes };
      code.push(lineNo);
      return true;
    }
    const html = htmlBlockStart(text.trimStart(), inParagraph);
    if (!html) return false;
    const opened: Block = { kind: "html", end: html, from: lineStart + at, fromLine: lineNo, container, quotes };
    if (htmlBlockEndsOn(html, text)) closeHtml(opened, lineStart + at + text.length);
    else block = opened;
    return true;
  }

  while (lineStart <= markdown.length) {
    let lineEnd = markdown.indexOf("\n", lineStart);
    if (lineEnd === -1) lineEnd = markdown.length;
    const raw = markdown.slice(lineStart, lineEnd);
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;

    // Inside a fence or HTML block: the line is its content, unless it leaves the block's container
    // (fewer quote markers than the block's, or indented less than its list item). Only the
    // block's own quote markers are taken off: a `>` past them is content (a quoted fence line
    // in a code sample does not close the fence).
    const open = block as Block | null;
    if (open) {
      const inner = stripQuotes(line, open.quotes);
      const innerInd = columns(/^[ \t]*/.exec(inner.rest)![0]);
      const innerBlank = inner.rest.trim() === "";
      if (inner.quotes < open.quotes || (!innerBlank && innerInd < open.container)) {
        if (open.kind === "html") closeHtml(open, lineStart);
        block = null;
        paragraph = false;
      } else {
        if (open.kind === "fence") {
          code.push(lineNo);
          const close = innerInd - open.container < 4 ? (FENCE_CLOSE.exec(inner.rest)?.[1] ?? "") : "";
          if (close[0] === open.char && close.length >= open.len) block = null;
        } else if (innerBlank && "untilBlank" in open.end) {
          closeHtml(open, lineStart);
          block = null;
        } else if (htmlBlockEndsOn(open.end, line)) {
          closeHtml(open, lineEnd);
          block = null;
        }
        paragraph = false;
        lineNo++;
        lineStart = lineEnd + 1;
        continue;
      }
    }

    const quote = QUOTE_PREFIX.exec(line)![0];
    let quotes = 0;
    for (let q = quote.indexOf(">"); q !== -1; q = quote.indexOf(">", q + 1)) quotes++;
    const rest = line.slice(quote.length);
    const blank = rest.trim() === "";
    const ind = columns(/^[ \t]*/.exec(rest)![0]);
    if (quote.length !== quoteLen) {
      list = [];
      quoteLen = quote.length;
    }

    if (blank) {
      paragraph = false;
    } else {
      let k = list.length - 1;
      while (k >= 0 && list[k]! > ind) k--;
      const container = k >= 0 ? list[k]! : 0;
      const item = ind - container < 4 ? listItem(rest) : null;
      if (ind - container >= 4) {
        // Four columns past its container: an indented code block, or a paragraph's continuation.
        if (!paragraph) {
          containerFor(ind);
          code.push(lineNo);
        } else if (MAYBE_MARKER.test(line)) markersIn(maskInlineCode(line), lineStart, lineNo);
      } else if (!item && opens(rest, quote.length, containerFor(ind), quotes, paragraph)) {
        paragraph = false;
      } else if (item) {
        const depth = (containerFor(item.indent), list.length);
        list.push(item.content);
        const afterMarker = item.text;
        const at = quote.length + item.textAt;
        if (afterMarker !== undefined && opens(afterMarker, at, item.content, quotes, false)) {
          paragraph = false;
        } else {
          const box = item.bullet && afterMarker !== undefined ? BOX.exec(afterMarker) : null;
          const inBox = box?.[1] ?? "";
          const text = (box?.[2] ?? "").trim();
          if (box && text && (BOX_OPEN.test(inBox) || BOX_DONE.test(inBox))) {
            tasks.push({
              index: tasks.length,
              line: lineNo,
              lineStart,
              boxOffset: lineStart + at + 1,
              boxLength: inBox.length,
              text,
              done: BOX_DONE.test(inBox),
              depth,
              forHuman: FOR_HUMAN.test(text),
            });
          }
          paragraph = (afterMarker ?? "").trim() !== "";
          if (MAYBE_MARKER.test(line)) markersIn(maskInlineCode(line), lineStart, lineNo);
        }
      } else {
        const heading = HEADING.test(rest);
        // A heading always ends the list items it is not indented into; paragraph text only when
        // it does not lazily continue the paragraph above it.
        if (heading || !paragraph) containerFor(ind);
        paragraph = !heading;
        if (MAYBE_MARKER.test(line)) markersIn(maskInlineCode(line), lineStart, lineNo);
      }
    }
    lineNo++;
    lineStart = lineEnd + 1;
  }
  const last = block as Block | null;
  if (last?.kind === "html") closeHtml(last, markdown.length);
  return { tasks, halts, reviews, code };
}

const unplace = ({ line, reason }: PlacedMarker): ChecklistMarker => ({ line, reason });

export function parseChecklist(markdown: string): Checklist {
  const { tasks, halts, reviews } = scan(markdown);
  let done = 0;
  let firstUnchecked: ChecklistTask | null = null;
  for (const t of tasks) {
    if (t.done) done++;
    else firstUnchecked ??= t;
  }
  return {
    tasks,
    total: tasks.length,
    done,
    firstUnchecked,
    halt: halts[0] ? unplace(halts[0]) : null,
    reviews: reviews.map(({ line, reason, kind, artifact }) => ({ line, reason, kind, artifact })),
  };
}

/** The 0-based numbers of the lines that are code (fences with their fence lines, indented code), for previews. */
export function codeLines(markdown: string): Set<number> {
  return new Set(scan(markdown).code);
}

/** Thrown when a task no longer matches the document (it changed since it was parsed). */
export class StaleTaskError extends Error {
  constructor(task: ChecklistTask) {
    super(`Task ${task.index + 1} ("${task.text}") is no longer where it was; the document changed. Reload it and try again.`);
    this.name = "StaleTaskError";
  }
}

/**
 * Returns the markdown with that task's box set to "x" (done) or " " (not done); nothing else
 * changes (CRLF kept). A box already in the wanted state is left as written (a `✓` stays a `✓`).
 * Throws StaleTaskError if the box is not at the task's offsets any more.
 */
export function setTaskDone(markdown: string, task: ChecklistTask, done: boolean): string {
  const { boxOffset: at, boxLength: len } = task;
  const content = markdown.slice(at, at + len);
  const intact = markdown[at - 1] === "[" && markdown[at + len] === "]" && (BOX_OPEN.test(content) || BOX_DONE.test(content));
  if (!intact) throw new StaleTaskError(task);
  if (BOX_DONE.test(content) === done) return markdown;
  return markdown.slice(0, at) + (done ? "x" : " ") + markdown.slice(at + len);
}

/**
 * Removes halt markers (to clear a halt): only real markers, never one quoted in code or inline
 * code. A line left blank by that is removed with its line break.
 */
export function clearHalt(markdown: string): string {
  const { halts } = scan(markdown);
  let out = markdown;
  for (let i = halts.length - 1; i >= 0; i--) {
    const { start, end } = halts[i]!;
    const lineStart = out.lastIndexOf("\n", start - 1) + 1;
    let lineEnd = out.indexOf("\n", end);
    if (lineEnd === -1) lineEnd = out.length;
    const left = out.slice(lineStart, start);
    const right = out.slice(end, lineEnd);
    if ((left + right).trim() === "") {
      // Drop the whole line: its break after it, or before it if it is the last line.
      if (lineEnd < out.length) out = out.slice(0, lineStart) + out.slice(lineEnd + 1);
      else if (lineStart > 0) out = out.slice(0, out[lineStart - 2] === "\r" ? lineStart - 2 : lineStart - 1);
      else out = "";
    } else {
      out = out.slice(0, start) + out.slice(end);
    }
  }
  return out;
}
