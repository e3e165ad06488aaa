/**
 * The Auto Run checklist engine: finds the tasks of a markdown document, their state and position,
 * the halt marker and the review gates, and ticks a box without touching anything else. Pure and
 * linear in the document's length (one pass over the lines, anchored regexes per line).
 *
 * What counts as a task (GitHub's task-list rules, narrowed where the issue asks):
 * - a `-`, `*` or `+` bullet, whitespace, a box `[…]` holding only spaces (open) or one of
 *   `x`, `X`, `✓`, `✔` with optional spaces around it (done), then whitespace or the end of the line;
 * - nested tasks count; the depth comes from the indentation of the enclosing list items;
 * - inside a blockquote (`> - [ ] x`) it is a task, as GitHub renders it as one;
 * - a numbered item (`1. [ ] x`) is NOT a task, nor is anything inside a ``` or ~~~ fence
 *   (fences may be indented, e.g. inside a list item; an unclosed fence runs to the end).
 * Offsets are JavaScript string offsets (UTF-16 code units), so they index `markdown` directly.
 */

export interface ChecklistTask {
  index: number; // 0-based order among tasks
  line: number; // 0-based line number
  lineStart: number; // char offset of the line start in the source
  boxOffset: number; // char offset of the character(s) between [ and ] (for ticking)
  boxLength: number; // length of the content between [ and ]
  text: string; // task text after the box, trimmed
  done: boolean;
  depth: number; // nesting depth from indentation, 0 = top level
}
export interface ChecklistMarker {
  line: number;
  reason: string;
}
export interface Checklist {
  tasks: ChecklistTask[];
  total: number;
  done: number;
  firstUnchecked: ChecklistTask | null;
  halt: ChecklistMarker | null; // first halt marker outside code fences
  reviews: ChecklistMarker[]; // review gates outside code fences, in order
}

/** A marker with its exact place in the source, so it can be removed. */
interface PlacedMarker extends ChecklistMarker {
  start: number;
  end: number;
}

const QUOTE_PREFIX = /^(?:[ \t]{0,3}>[ \t]?)*/;
const FENCE_OPEN = /^[ \t]*(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;
// Bullet or ordered marker, then whitespace (or end of line), then the rest.
const LIST_ITEM = /^([ \t]*)(?:([-*+])|\d{1,9}[.)])(?:[ \t]+(.*))?$/;
const BOX = /^\[([^\]]{1,16})\](?=[ \t]|$)(.*)$/;
const BOX_OPEN = /^ +$/;
const BOX_DONE = /^ *[xX\u2713\u2714]\uFE0F? *$/;
const MARKER = /<!--\s*maestro:(halt|review)\b([\s\S]*?)-->/g;
const REVIEW_REASON = /reason\s*=\s*(?:"([^"]*)"|'([^']*)')/;

/** Indentation width in columns; a tab advances to the next multiple of 4 (CommonMark). */
function columns(ws: string): number {
  let col = 0;
  for (const ch of ws) col = ch === "\t" ? col + 4 - (col % 4) : col + 1;
  return col;
}

function markerReason(kind: string, body: string): string {
  if (kind === "halt") return body.replace(/^\s*:?/, "").trim();
  const m = REVIEW_REASON.exec(body);
  return m ? (m[1] ?? m[2] ?? "").trim() : "";
}

interface Scan {
  tasks: ChecklistTask[];
  halts: PlacedMarker[];
  reviews: PlacedMarker[];
  fenced: number[];
}

function scan(markdown: string): Scan {
  const tasks: ChecklistTask[] = [];
  const halts: PlacedMarker[] = [];
  const reviews: PlacedMarker[] = [];
  const fenced: number[] = [];
  let fence: { char: string; len: number } | null = null;
  let listIndents: number[] = [];
  let quoteLen = -1;
  let lineNo = 0;
  let lineStart = 0;

  while (lineStart <= markdown.length) {
    let lineEnd = markdown.indexOf("\n", lineStart);
    if (lineEnd === -1) lineEnd = markdown.length;
    const raw = markdown.slice(lineStart, lineEnd);
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const quote = QUOTE_PREFIX.exec(line)![0];
    const rest = line.slice(quote.length);

    if (fence) {
      fenced.push(lineNo);
      const close = FENCE_CLOSE.exec(rest);
      const run = close?.[1] ?? "";
      if (run[0] === fence.char && run.length >= fence.len) fence = null;
    } else {
      const open = FENCE_OPEN.exec(rest);
      const run = open?.[1] ?? "";
      if (open && !(run[0] === "`" && (open[2] ?? "").includes("`"))) {
        fence = { char: run[0]!, len: run.length };
        fenced.push(lineNo);
      } else {
        if (line.includes("maestro:")) {
          for (const m of line.matchAll(MARKER)) {
            const kind = m[1]!;
            const placed = {
              line: lineNo,
              reason: markerReason(kind, m[2] ?? ""),
              start: lineStart + m.index,
              end: lineStart + m.index + m[0].length,
            };
            (kind === "halt" ? halts : reviews).push(placed);
          }
        }
        if (quote.length !== quoteLen) {
          listIndents = [];
          quoteLen = quote.length;
        }
        const item = LIST_ITEM.exec(rest);
        if (item) {
          const indent = columns(item[1] ?? "");
          while (listIndents.length && listIndents[listIndents.length - 1]! >= indent) listIndents.pop();
          const depth = listIndents.length;
          listIndents.push(indent);
          const afterMarker = item[3];
          const box = item[2] && afterMarker !== undefined ? BOX.exec(afterMarker) : null;
          const inside = box?.[1] ?? "";
          if (box && afterMarker !== undefined && (BOX_OPEN.test(inside) || BOX_DONE.test(inside))) {
            const bracketAt = quote.length + rest.length - afterMarker.length;
            tasks.push({
              index: tasks.length,
              line: lineNo,
              lineStart,
              boxOffset: lineStart + bracketAt + 1,
              boxLength: inside.length,
              text: (box[2] ?? "").trim(),
              done: BOX_DONE.test(inside),
              depth,
            });
          }
        } else if (rest.trim() !== "" && columns(/^[ \t]*/.exec(rest)![0]) === 0) {
          // A paragraph or heading at the margin ends any list, so depth starts again.
          listIndents = [];
        }
      }
    }
    lineNo++;
    lineStart = lineEnd + 1;
  }
  return { tasks, halts, reviews, fenced };
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
    reviews: reviews.map(unplace),
  };
}

/** The 0-based numbers of the lines that belong to code fences (the fence lines included), for previews. */
export function fencedLines(markdown: string): Set<number> {
  return new Set(scan(markdown).fenced);
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

/** Removes halt markers (to clear a halt); a line left blank by that is removed with its line break. */
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
