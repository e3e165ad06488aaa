/**
 * `/spec <goal>`: the agent is asked to write a checklist for the goal straight into its Auto Run
 * folder, as `<folder>/<slug>.md`. The prompt's shape is fixed (the simulator recognises it, and
 * the conversation reads it back to offer Run and Open once the turn ends). Pure.
 */

export const SPEC_COMMAND = "spec";

const MAX_SLUG = 60;

/** A goal on one line, without the closing punctuation the prompt adds itself. */
export function specGoal(goal: string): string {
  return goal
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\s.!?;:,]+$/, "");
}

/**
 * A file-name slug for a goal: ASCII letters and digits joined by single hyphens, at most 60
 * characters (cut at a hyphen when possible), "spec" when nothing is left.
 */
export function specSlug(goal: string): string {
  const words = goal
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (!words) return "spec";
  if (words.length <= MAX_SLUG) return words;
  const cut = words.slice(0, MAX_SLUG);
  const at = cut.lastIndexOf("-");
  return (at >= MAX_SLUG / 2 ? cut.slice(0, at) : cut).replace(/-+$/, "");
}

/** The prompt `/spec` sends. `folder` is the agent's Auto Run folder, absolute; `name` has no `.md`. */
export function buildSpecPrompt(goal: string, folder: string, name: string): string {
  const dir = folder.replace(/\/+$/, "");
  return `Write a markdown checklist for: ${specGoal(goal)}. Save it as ${dir}/${name}.md using GitHub task-list syntax (\`- [ ] task\`), one task per line.`;
}

const SPEC_PROMPT =
  /^Write a markdown checklist for: (.+?)\. Save it as (\/.*?)\/([^/]+)\.md using GitHub task-list syntax \(`- \[ \] task`\), one task per line\.$/;

export interface SpecPrompt {
  goal: string;
  /** The absolute folder the prompt names. */
  folder: string;
  /** The document's name inside that folder, with `.md`. */
  file: string;
}

/** Reads a prompt built by `buildSpecPrompt` back; anything else is null. */
export function parseSpecPrompt(prompt: string | null | undefined): SpecPrompt | null {
  const m = prompt ? SPEC_PROMPT.exec(prompt.trim()) : null;
  return m ? { goal: m[1]!, folder: m[2]!, file: `${m[3]!}.md` } : null;
}
