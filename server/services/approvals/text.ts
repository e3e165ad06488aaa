/** What approvals say to people: the one-line "what" of a request, the push body, the History line. */
import { displaySafe } from "@/lib/approvals/display";
import { isObj } from "../../../lib/providers/lines";

const WHAT_MAX = 120;
const oneLine = (s: string) => displaySafe(s).replace(/\s+/g, " ").trim();
const clip = (s: string, n = WHAT_MAX) => {
  const one = oneLine(s);
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};

/** The first question of an AskUserQuestion input. */
export function firstQuestion(input: unknown): string {
  const qs = isObj(input) && Array.isArray(input.questions) ? input.questions : [];
  const q = qs.find(isObj);
  return typeof q?.question === "string" ? clip(q.question) : "a question";
}

function subjectOf(input: unknown): string | undefined {
  const a = isObj(input) ? input : {};
  const s = (k: string) => {
    const v = a[k];
    return typeof v === "string" ? v : undefined;
  };
  return s("command") ?? s("file_path") ?? s("notebook_path") ?? s("url") ?? s("path") ?? s("pattern");
}

/** What the call does, in one short line: the command, the file, the URL, or the tool. */
export function whatOf(toolName: string, input: unknown): string {
  if (toolName === "AskUserQuestion") return firstQuestion(input);
  const subject = subjectOf(input);
  return subject ? clip(subject) : displaySafe(toolName);
}

/**
 * Whether the push shows the whole subject as it is: not cut, and not a multi-line command
 * joined into one line (`a\nrm -rf ~` would read as one command). Only then may the
 * notification carry a one-tap Allow; otherwise it opens the card, which shows all of it.
 */
export function pushShowsAll(toolName: string, input: unknown): boolean {
  if (toolName === "AskUserQuestion") return false;
  const subject = subjectOf(input);
  if (subject === undefined) return true;
  const safe = displaySafe(subject).trim();
  return !/[\n\t]/.test(safe) && !/\s{2,}/.test(safe) && safe.length <= WHAT_MAX;
}

/** The push body: "wants to run: `…`", "asks: …"; an Auto Run task names its document and task. */
export function pushBody(toolName: string, input: unknown, run?: { document: string; task: string }): string {
  const what = whatOf(toolName, input);
  const base =
    toolName === "AskUserQuestion"
      ? `asks: ${what}`
      : toolName === "Bash"
        ? `wants to run: ${what}`
        : /^(Write|Edit|MultiEdit|NotebookEdit)$/.test(toolName)
          ? `wants to edit: ${what}`
          : what === displaySafe(toolName)
            ? `wants to use ${what}`
            : `wants to use ${displaySafe(toolName)}: ${what}`;
  return run ? `${base} (Auto Run ${oneLine(run.document)}: ${clip(run.task, 80)})` : base;
}

const VERB: Record<string, string> = { allowed: "Allowed", denied: "Denied", expired: "Timed out", cancelled: "Cancelled" };

/** The History line: "Allowed `rm -rf build` — Pixel 8". */
export function historySummary(status: string, toolName: string, input: unknown, by: string): string {
  const what = toolName === "AskUserQuestion" ? `question “${firstQuestion(input)}”` : `\`${whatOf(toolName, input)}\``;
  return `${VERB[status] ?? status} ${what} — ${oneLine(by)}`;
}
