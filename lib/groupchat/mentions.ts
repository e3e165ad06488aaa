// Who a group chat message speaks to: `@Name` mentions (desktop Maestro's pattern, checked
// against the participants' names only) and `!autorun @Agent[:doc.md]` commands. Pure.

/** Desktop's mention pattern: `@` then anything up to whitespace, another `@` or punctuation. */
export const MENTION_PATTERN = /@([^\s@:,;!?()[\]{}'"<>]+)/g;

/** An agent's name as a mention writes it: spaces (runs of whitespace) as hyphens. */
export function mentionName(agentName: string): string {
  return agentName.trim().replace(/\s+/g, "-");
}

/** Code spans and fenced blocks hold examples, not mentions: blanked out (same length) before scanning. */
function withoutCode(text: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, " ");
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?(?:^\1[^\n]*$|(?![\s\S]))/gm, blank).replace(/`[^`\n]+`/g, blank);
}

/**
 * The participants a text mentions, as their canonical mention names, once each, in order of
 * first mention. Matching ignores case; a trailing `.` (end of sentence) is not part of a name.
 * An `@` inside a word (an e-mail address: `bob@example.com`) is no mention; unknown names are ignored.
 */
export function extractMentions(text: string, names: readonly string[]): string[] {
  const byKey = new Map(names.map((n) => [mentionName(n).toLowerCase(), mentionName(n)]));
  const found: string[] = [];
  const scanned = withoutCode(text);
  for (const m of scanned.matchAll(MENTION_PATTERN)) {
    const before = m.index > 0 ? scanned[m.index - 1]! : "";
    if (before && /[\p{L}\p{N}_.+-]/u.test(before)) continue;
    const raw = m[1]!.replace(/[.]+$/, "");
    const name = byKey.get(raw.toLowerCase());
    if (name && !found.includes(name)) found.push(name);
  }
  return found;
}

export interface AutorunCommand {
  /** The participant's mention name. */
  name: string;
  /** The document to run (a `.md` name as written), or null for the agent's whole Auto Run folder. */
  document: string | null;
}

const AUTORUN_LINE = /^[ \t]*!autorun[ \t]+@([^\s@:,;!?()[\]{}'"<>]+)(?::([^\s]+\.md))?[ \t]*$/gim;

/** `!autorun @Agent` / `!autorun @Agent:doc.md` lines (desktop's convention), for known participants only. */
export function extractAutorunCommands(text: string, names: readonly string[]): AutorunCommand[] {
  const byKey = new Map(names.map((n) => [mentionName(n).toLowerCase(), mentionName(n)]));
  const out: AutorunCommand[] = [];
  for (const m of withoutCode(text).matchAll(AUTORUN_LINE)) {
    const name = byKey.get(m[1]!.toLowerCase());
    if (name) out.push({ name, document: m[2] ?? null });
  }
  return out;
}

/** The line that marks a moderator reply as the final answer to the user (no delegation). */
export const FINAL_MARKER = "[final]";

/** Whether a moderator reply says it is the final answer: the marker alone on a line. */
export function isFinalAnswer(text: string): boolean {
  return text.split("\n").some((line) => line.trim().toLowerCase() === FINAL_MARKER);
}

/** The reply as the user reads it: the final marker's line removed. */
export function withoutFinalMarker(text: string): string {
  return text
    .split("\n")
    .filter((line) => line.trim().toLowerCase() !== FINAL_MARKER)
    .join("\n")
    .trim();
}

export type ModeratorReply =
  | { kind: "delegation"; mentions: string[]; autorun: AutorunCommand[] }
  | { kind: "autorun"; mentions: []; autorun: AutorunCommand[] }
  | { kind: "final"; mentions: []; autorun: [] }
  /** Neither a valid mention nor the final marker: a delegation that went missing. */
  | { kind: "lost"; mentions: []; autorun: [] };

/** What a moderator reply asks for. A reply with mentions delegates even when it also carries the marker. */
export function classifyModeratorReply(text: string, names: readonly string[]): ModeratorReply {
  const autorun = extractAutorunCommands(text, names);
  // A `!autorun @X` line starts X's Auto Run; it is not also a request to X.
  const mentions = extractMentions(text.replace(AUTORUN_LINE, ""), names);
  if (mentions.length > 0) return { kind: "delegation", mentions, autorun };
  if (autorun.length > 0) return { kind: "autorun", mentions: [], autorun };
  if (isFinalAnswer(text)) return { kind: "final", mentions: [], autorun: [] };
  return { kind: "lost", mentions: [], autorun: [] };
}
