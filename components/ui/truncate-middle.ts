/**
 * Shortens text to at most `max` characters by cutting the middle, so both the start and the
 * end stay readable: "/home/me/…/projects/alpha". Pure.
 */
export function truncateMiddle(text: string, max: number, ellipsis = "…"): string {
  if (max <= 0) return "";
  if (text.length <= max) return text;
  if (max <= ellipsis.length) return ellipsis.slice(0, max);
  const keep = max - ellipsis.length;
  // Favour the end: for paths it holds the folder name people recognise.
  const head = Math.floor(keep / 2);
  const tail = keep - head;
  return text.slice(0, head) + ellipsis + text.slice(text.length - tail);
}

/**
 * Splits a path into a head that may be cut and a tail that must stay visible (the last
 * segment with its separator), for CSS middle truncation: "/home/me/projects" + "/alpha".
 */
export function splitPathTail(path: string): { head: string; tail: string } {
  const trimmed = path.length > 1 ? path.replace(/[\\/]+$/, "") : path;
  const cut = Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf("\\"));
  if (cut <= 0) return { head: "", tail: trimmed };
  return { head: trimmed.slice(0, cut), tail: trimmed.slice(cut) };
}

/** Replaces the home directory prefix with "~" for display. */
export function tildify(path: string, home: string | null | undefined): string {
  if (!home || home === "/") return path;
  const h = home.replace(/[\\/]+$/, "");
  if (path === h) return "~";
  if (path.startsWith(h + "/") || path.startsWith(h + "\\")) return "~" + path.slice(h.length);
  return path;
}
