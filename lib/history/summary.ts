/** One-line summaries for History (a turn's, an Auto Run task's): pure. */

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const HEADING = /^\s{0,3}#{1,6}(\s|$)/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;

/** Shortens text to at most `maxChars` characters, at a word boundary when one is near, with "…". */
export function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const room = Math.max(1, maxChars - 1);
  const cut = text.slice(0, room);
  const space = cut.lastIndexOf(" ");
  const body = space >= room * 0.6 ? cut.slice(0, space) : cut;
  return `${body.replace(/[\s.,;:]+$/, "")}…`;
}

/** Drops markdown decoration that reads as noise in one line (emphasis, inline code ticks, link targets). */
function plain(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The first paragraph of prose in a markdown reply, on one line, clipped to `maxChars`.
 * Headings, rules and fenced code are skipped (a reply that is only headings falls back to its
 * first heading); an empty reply gives "".
 */
export function firstParagraph(markdown: string, maxChars = 280): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  let fence: string | null = null;
  const paragraph: string[] = [];
  let firstHeading = "";
  for (const line of lines) {
    const open = FENCE.exec(line);
    if (fence) {
      if (open && open[1]![0] === fence[0] && open[1]!.length >= fence.length && line.trim() === open[1]) fence = null;
      continue;
    }
    if (open) {
      if (paragraph.length) break;
      fence = open[1]!;
      continue;
    }
    if (HEADING.test(line)) {
      if (paragraph.length) break;
      if (!firstHeading)
        firstHeading = line
          .replace(HEADING, "")
          .replace(/\s#+\s*$/, "")
          .trim();
      continue;
    }
    if (RULE.test(line) || line.trim() === "") {
      if (paragraph.length) break;
      continue;
    }
    paragraph.push(line.replace(/^\s{0,3}>\s?/, ""));
  }
  const text = plain(paragraph.join(" ")) || plain(firstHeading);
  return clip(text, maxChars);
}
