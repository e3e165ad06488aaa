/**
 * A project's memory compiled into the guidance every worker prompt carries, in the reference
 * CLI's rendered form (ReinaMacCredy/maestro v0.40.6,
 * src/features/agent/usecases/generate-worker-prompt.usecase.ts, its "Relevant Memory"
 * section): corrections as rules, learnings inside a <memory-learnings> block. Every correction
 * of ours applies to every worker, as the reference's `hard` ones do, so each is marked
 * **[HARD]**. Pure.
 */

export interface MemoryEntry {
  kind: "correction" | "learning";
  text: string;
  createdAt: string;
}

export const MEMORY_HEADING = "## Relevant Memory";

const byTime = (a: MemoryEntry, b: MemoryEntry) => a.createdAt.localeCompare(b.createdAt);

/** One line, safe inside the prompt's markdown: lines joined by " / ", & < > as entities. */
export function inlineText(text: string): string {
  return entities(
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .join(" / "),
  );
}

function entities(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The learnings as the compiled summary (`memory/learnings/_compiled.json` `summary`): one bullet each. */
export function learningsSummary(entries: readonly MemoryEntry[]): string {
  return entries
    .filter((e) => e.kind === "learning")
    .sort(byTime)
    .map((e) => `- ${e.text.trim().replace(/\s*\n\s*/g, " ")}`)
    .join("\n");
}

/** When the learnings were last compiled: the newest learning's time. */
export function compiledAt(entries: readonly MemoryEntry[]): string | null {
  const times = entries.filter((e) => e.kind === "learning").map((e) => e.createdAt);
  return times.length > 0 ? times.sort().at(-1)! : null;
}

/** The guidance text: "" when there is no memory. */
export function compileGuidance(entries: readonly MemoryEntry[]): string {
  const corrections = entries.filter((e) => e.kind === "correction" && e.text.trim()).sort(byTime);
  const learnings = entries.filter((e) => e.kind === "learning" && e.text.trim());
  if (corrections.length === 0 && learnings.length === 0) return "";
  const out = [
    MEMORY_HEADING,
    "",
    "<!-- Auto-injected from the maestro memory system based on this feature's context. -->",
    "<!-- These are rules and insights from prior sessions. Treat hard rules as non-negotiable. -->",
    "",
  ];
  if (corrections.length > 0) {
    out.push(`### Corrections (${corrections.length})`, "");
    for (const c of corrections) out.push(`- **[HARD]** ${inlineText(c.text)}`);
    out.push("");
  }
  if (learnings.length > 0) {
    out.push(
      "### Compiled Learnings",
      "",
      `_Last compiled ${compiledAt(learnings)} from ${learnings.length} raw entries:_`,
      "",
      "<memory-learnings>",
      entities(learningsSummary(learnings)).replace(/^(#{1,6}\s|---|<!--)/gm, "\\$1"),
      "</memory-learnings>",
      "",
    );
  }
  return out.join("\n");
}
