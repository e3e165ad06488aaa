/**
 * The line-level CommonMark facts the checklist scanner needs, each a pure function of one line:
 * where HTML blocks start and end (CommonMark 0.31 §4.6, the seven kinds), list item geometry, and
 * which parts of a line are inline code. All anchored or single-pass, so the scanner stays linear.
 */

/** Indentation width in columns; a tab advances to the next multiple of 4 (CommonMark). */
export function columns(ws: string): number {
  let col = 0;
  for (const ch of ws) col = ch === "\t" ? col + 4 - (col % 4) : col + 1;
  return col;
}

/** How an open HTML block ends: at a line containing `text` (case-insensitive), or at a blank line. */
export type HtmlBlockEnd = { until: RegExp } | { untilBlank: true };

// Kind 6: these tag names open a block that may interrupt a paragraph and ends at a blank line.
const BLOCK_TAGS = new Set(
  (
    "address article aside base basefont blockquote body caption center col colgroup dd details dialog dir div dl dt " +
    "fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link " +
    "main menu menuitem nav noframes ol optgroup option p param search section summary table tbody td tfoot th thead " +
    "title tr track ul"
  ).split(" "),
);
const RAW_TAG = /^<(script|pre|style|textarea)(?:[\s>]|$)/i;
const RAW_END = /<\/(?:script|pre|style|textarea)>/i;
const TAG_NAME = /^<\/?([A-Za-z][A-Za-z0-9-]*)(?:[\s>]|\/>|$)/;
// Kind 7: one complete open or closing tag alone on its line. Only tried on short lines (the
// attribute part backtracks on pathological input).
const COMPLETE_TAG =
  /^(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>|<\/[A-Za-z][A-Za-z0-9-]*\s*>)\s*$/;

/**
 * The HTML block a line (its indentation already removed) opens, if any. `inParagraph`: the
 * line would otherwise continue a paragraph, which the seventh kind may not interrupt.
 */
export function htmlBlockStart(line: string, inParagraph: boolean): HtmlBlockEnd | null {
  if (line[0] !== "<") return null;
  if (RAW_TAG.test(line)) return { until: RAW_END };
  if (line.startsWith("<!--")) return { until: /-->/ };
  if (line.startsWith("<?")) return { until: /\?>/ };
  if (line.startsWith("<![CDATA[")) return { until: /\]\]>/ };
  if (/^<![A-Za-z]/.test(line)) return { until: />/ };
  const name = TAG_NAME.exec(line)?.[1]?.toLowerCase();
  if (name && BLOCK_TAGS.has(name)) return { untilBlank: true };
  if (!inParagraph && line.length <= 2000 && COMPLETE_TAG.test(line)) return { untilBlank: true };
  return null;
}

/** Whether the block ends on this line (the line is still part of it) — blank-ended blocks never do. */
export function htmlBlockEndsOn(end: HtmlBlockEnd, line: string): boolean {
  return "until" in end && end.until.test(line);
}

// Bullet or ordered marker, then whitespace (or end of line), then the rest.
const LIST_ITEM = /^([ \t]*)(?:([-*+])|(\d{1,9})[.)])(?:([ \t]+)(.*))?$/;

export interface ListItemLine {
  /** Column of the marker. */
  indent: number;
  /** Column where the item's content starts: a line indented this far belongs to the item. */
  content: number;
  /** True for `-`, `*`, `+`; false for `1.` / `1)`. */
  bullet: boolean;
  /** What follows the marker and its spacing (undefined when the marker ends the line). */
  text: string | undefined;
  /** Offset of `text` in the line. */
  textAt: number;
}

/** A list item's geometry (CommonMark: content starts 1–4 columns after the marker; 5+ means 1). */
export function listItem(line: string): ListItemLine | null {
  const m = LIST_ITEM.exec(line);
  if (!m) return null;
  const lead = m[1] ?? "";
  const indent = columns(lead);
  const markerWidth = m[2] ? 1 : m[3]!.length + 1;
  const markerEnd = indent + markerWidth;
  const spacing = m[4];
  const text = m[5];
  let content = markerEnd + 1;
  if (spacing !== undefined && text !== undefined && text !== "") {
    const spaced = columns(lead + " ".repeat(markerWidth) + spacing) - markerEnd;
    if (spaced <= 4) content = markerEnd + spaced;
  }
  return { indent, content, bullet: m[2] !== undefined, text, textAt: line.length - (text?.length ?? 0) };
}

/**
 * The line with its inline code spans blanked out (same length, so offsets still hold): a
 * marker quoted as `<!-- maestro:halt -->` in prose is text, not a marker. A backtick run opens a
 * span closed by the next run of the same length; an unmatched run is literal (CommonMark §6.1).
 */
export function maskInlineCode(line: string): string {
  if (!line.includes("`")) return line;
  const runs: { at: number; len: number }[] = [];
  for (let i = 0; i < line.length;) {
    if (line[i] !== "`") {
      i++;
      continue;
    }
    let j = i;
    while (line[j] === "`") j++;
    runs.push({ at: i, len: j - i });
    i = j;
  }
  // For each run, the index of the next run of the same length: one backward pass.
  const nextSame = new Array<number>(runs.length).fill(-1);
  const lastOfLen = new Map<number, number>();
  for (let k = runs.length - 1; k >= 0; k--) {
    nextSame[k] = lastOfLen.get(runs[k]!.len) ?? -1;
    lastOfLen.set(runs[k]!.len, k);
  }
  let out = "";
  let copied = 0;
  for (let k = 0; k < runs.length;) {
    const close = nextSame[k]!;
    if (close === -1) {
      k++;
      continue;
    }
    const from = runs[k]!.at;
    const to = runs[close]!.at + runs[close]!.len;
    out += line.slice(copied, from) + " ".repeat(to - from);
    copied = to;
    k = close + 1;
  }
  return out + line.slice(copied);
}
