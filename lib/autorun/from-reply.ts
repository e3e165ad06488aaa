/**
 * An agent's reply that holds a checklist, turned into an Auto Run document: the tasks as the
 * checklist engine finds them (so what is saved is exactly what a run will count), with the
 * heading above them as the title. Pure.
 */
import { specSlug } from "../prompts/spec";
import { parseChecklist, type ChecklistTask } from "./checklist";

export interface ReplyChecklist {
  /** The document to save: `# title` when the reply had a heading above the tasks, then the lines from the first task to the last. */
  markdown: string;
  /** The tasks of `markdown`. */
  tasks: ChecklistTask[];
  title: string | null;
}

const HEADING = /^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/;

/** The checklist in a reply, or null when the reply has no task (as Auto Run counts them). */
export function checklistFromReply(reply: string): ReplyChecklist | null {
  const found = parseChecklist(reply);
  if (found.total === 0) return null;
  const lines = reply.split("\n").map((l) => l.replace(/\r$/, ""));
  const first = found.tasks[0]!.line;
  const last = found.tasks[found.total - 1]!.line;
  let title: string | null = null;
  for (let i = first - 1; i >= 0; i--) {
    const m = HEADING.exec(lines[i]!);
    if (m) {
      title = m[1]!.replace(/[*_`]/g, "").trim() || null;
      break;
    }
  }
  const block = lines.slice(first, last + 1);
  // A list nested in the reply keeps its shape but starts at the left margin.
  const indents = block.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = Math.min(...indents);
  const body = block.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length))).join("\n");
  const markdown = `${title ? `# ${title}\n\n` : ""}${body}\n`;
  return { markdown, tasks: parseChecklist(markdown).tasks, title };
}

/**
 * A name for the document: the checklist's title, else the prompt that asked for it (without a
 * leading "plan:", "checklist:" or "/spec"), as a slug.
 */
export function suggestDocumentName(title: string | null, prompt: string | null): string {
  const firstLine = (prompt ?? "").trim().split("\n")[0] ?? "";
  const source = title || firstLine.replace(/^\s*(?:(?:plan|checklist|todo)\s*:|\/spec\b)\s*/i, "");
  return specSlug(source);
}
