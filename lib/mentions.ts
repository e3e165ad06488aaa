/**
 * `@` file mentions in the composer: find the mention being typed, rank candidate paths. Pure.
 */

/** The `@query` that ends at the caret, if the caret is inside one. */
export function activeMention(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const m = before.match(/(?:^|\s)@([^\s@]*)$/);
  if (!m) return null;
  return { start: caret - m[1]!.length - 1, query: m[1]! };
}

/**
 * Scores a path against a query: all query characters must appear in order (case-insensitive).
 * Higher is better; matches in the file name, at word starts and contiguous runs score more.
 */
export function scorePath(path: string, query: string): number | null {
  if (!query) return 1 / (1 + path.length);
  const p = path.toLowerCase();
  const q = query.toLowerCase();
  const nameStart = p.lastIndexOf("/") + 1;
  let score = 0;
  let from = 0;
  let prev = -2;
  for (const ch of q) {
    const i = p.indexOf(ch, from);
    if (i < 0) return null;
    score += 1;
    if (i === prev + 1) score += 2;
    if (i >= nameStart) score += 1;
    if (i === 0 || "/._-".includes(p[i - 1]!)) score += 2;
    prev = i;
    from = i + 1;
  }
  if (p.slice(nameStart).startsWith(q)) score += 5;
  return score - path.length / 1000;
}

export function rankPaths(paths: readonly string[], query: string, limit = 20): string[] {
  const scored: { path: string; score: number }[] = [];
  for (const path of paths) {
    const score = scorePath(path, query);
    if (score !== null) scored.push({ path, score });
  }
  return scored
    .sort((a, b) => b.score - a.score || a.path.localeCompare(b.path))
    .slice(0, limit)
    .map((s) => s.path);
}

/** Replaces the active mention with `@path ` and returns the new text and caret. */
export function applyMention(text: string, mention: { start: number; query: string }, path: string): { text: string; caret: number } {
  const quoted = /\s/.test(path) ? `"${path}"` : path;
  const end = mention.start + 1 + mention.query.length;
  const next = `${text.slice(0, mention.start)}@${quoted} ${text.slice(end)}`;
  return { text: next, caret: mention.start + quoted.length + 2 };
}
