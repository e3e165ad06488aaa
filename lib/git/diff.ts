/** One changed file, as `git diff --raw --numstat -z --find-renames` reports it. */
export interface ChangedFile {
  path: string;
  /** The old path when git paired a delete and an add as a rename or copy. */
  oldPath: string | null;
  /** A = added, M = modified, D = deleted, R = renamed, C = copied, T = type changed, U = unmerged, ? = untracked. */
  status: string;
  added: number;
  removed: number;
  binary: boolean;
}

/**
 * Parses `git diff --raw --numstat -z [--find-renames]`: the raw records (`:mode mode sha sha S\0path\0[new\0]`)
 * come first and name each file's status; the numstat records (`a\tr\tpath\0`, or `a\tr\t\0old\0new\0` for
 * a rename, `-\t-` for a binary file) follow in the same order and give the counts. Paths are
 * verbatim under -z (spaces, tabs, unicode are not quoted).
 */
export function parseRawNumstat(out: string): ChangedFile[] {
  const parts = out.split("\0");
  const files: ChangedFile[] = [];
  let i = 0;
  while (i < parts.length && (parts[i] ?? "").startsWith(":")) {
    const status = (parts[i] ?? "").split(" ").pop()?.charAt(0) ?? "M";
    const two = status === "R" || status === "C";
    const first = parts[i + 1] ?? "";
    const second = two ? (parts[i + 2] ?? "") : null;
    files.push({
      path: second ?? first,
      oldPath: two ? first : null,
      status,
      added: 0,
      removed: 0,
      binary: false,
    });
    i += two ? 3 : 2;
  }
  let n = 0;
  while (i < parts.length && n < files.length) {
    const rec = parts[i] ?? "";
    const f = files[n];
    if (rec === "" || !f) {
      i++;
      continue;
    }
    n++;
    const [a, r, p] = rec.split("\t");
    f.binary = a === "-" && r === "-";
    f.added = f.binary ? 0 : Number(a) || 0;
    f.removed = f.binary ? 0 : Number(r) || 0;
    // `a\tr\t` then old and new as their own records: a rename under -z.
    i += p === "" ? 3 : 1;
  }
  return files;
}

/** Parses a bare `git diff --numstat -z` (no raw records): status is inferred as M, or R for a rename. */
export function parseNumstat(out: string): ChangedFile[] {
  const parts = out.split("\0");
  const files: ChangedFile[] = [];
  for (let i = 0; i < parts.length; i++) {
    const rec = parts[i];
    if (!rec) continue;
    const [a, r, p] = rec.split("\t");
    const binary = a === "-" && r === "-";
    const base = { added: binary ? 0 : Number(a) || 0, removed: binary ? 0 : Number(r) || 0, binary };
    if (p === "") {
      files.push({ ...base, oldPath: parts[i + 1] ?? "", path: parts[i + 2] ?? "", status: "R" });
      i += 2;
    } else files.push({ ...base, path: p ?? "", oldPath: null, status: "M" });
  }
  return files;
}

export type DiffLineKind = "context" | "add" | "del" | "meta" | "hunk";

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
  /** Line number in the old file (context and del lines). */
  old: number | null;
  /** Line number in the new file (context and add lines). */
  new: number | null;
}

export interface FileDiff {
  lines: DiffLine[];
  /** Lines of the diff not parsed because of the cap: the view offers "show anyway". */
  more: number;
  binary: boolean;
}

/** Past this many lines a diff stops and says how many more there are. */
export const DIFF_LINE_CAP = 20_000;

const HUNK = /^@@+ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@+/;

/**
 * Parses the unified diff of one file (`git diff -- path`): header and `\ No newline` lines are
 * meta, `@@` lines start a hunk and set the line numbers, then ` `/`+`/`-` lines are counted.
 * A trailing CR (a CRLF file) is kept out of the text so it does not show as a stray glyph.
 */
export function parseUnifiedDiff(out: string, cap = DIFF_LINE_CAP): FileDiff {
  const raw = out.split("\n");
  if (raw.length && raw[raw.length - 1] === "") raw.pop();
  const lines: DiffLine[] = [];
  let binary = false;
  let inHunk = false;
  let o = 0;
  let n = 0;
  const limit = Math.min(raw.length, cap);
  for (let i = 0; i < limit; i++) {
    const line = raw[i] ?? "";
    const text = line.endsWith("\r") ? line.slice(0, -1) : line;
    const h = HUNK.exec(line);
    if (h) {
      inHunk = true;
      o = Number(h[1]);
      n = Number(h[2]);
      lines.push({ kind: "hunk", text, old: null, new: null });
      continue;
    }
    if (!inHunk) {
      if (line.startsWith("Binary files ") || line === "GIT binary patch") binary = true;
      lines.push({ kind: "meta", text, old: null, new: null });
      continue;
    }
    const c = line.charAt(0);
    if (c === "+") lines.push({ kind: "add", text: text.slice(1), old: null, new: n++ });
    else if (c === "-") lines.push({ kind: "del", text: text.slice(1), old: o++, new: null });
    else if (c === " " || line === "") lines.push({ kind: "context", text: text.slice(1), old: o++, new: n++ });
    else if (c === "\\") lines.push({ kind: "meta", text, old: null, new: null });
    else {
      // `diff --git` of a next file (a commit's diff asked for several paths) ends the hunk.
      inHunk = false;
      if (line.startsWith("Binary files ")) binary = true;
      lines.push({ kind: "meta", text, old: null, new: null });
    }
  }
  return { lines, more: raw.length - limit, binary };
}
