/** What approvals say to people: the one-line "what" of a request, the push body, the History line. */

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const clip = (s: string, n = 120) => {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};

/** The first question of an AskUserQuestion input. */
export function firstQuestion(input: unknown): string {
  const qs = isObj(input) && Array.isArray(input.questions) ? input.questions : [];
  const q = qs.find(isObj);
  return typeof q?.question === "string" ? clip(q.question) : "a question";
}

/** What the call does, in one short line: the command, the file, the URL, or the tool. */
export function whatOf(toolName: string, input: unknown): string {
  const a = isObj(input) ? input : {};
  const s = (k: string) => {
    const v = a[k];
    return typeof v === "string" ? v : undefined;
  };
  if (toolName === "AskUserQuestion") return firstQuestion(input);
  const subject = s("command") ?? s("file_path") ?? s("notebook_path") ?? s("url") ?? s("path") ?? s("pattern");
  return subject ? clip(subject) : toolName;
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
          : what === toolName
            ? `wants to use ${toolName}`
            : `wants to use ${toolName}: ${what}`;
  return run ? `${base} (Auto Run ${run.document}: ${clip(run.task, 80)})` : base;
}

const VERB: Record<string, string> = { allowed: "Allowed", denied: "Denied", expired: "Timed out", cancelled: "Cancelled" };

/** The History line: "Allowed `rm -rf build` — Pixel 8". */
export function historySummary(status: string, toolName: string, input: unknown, by: string): string {
  const what = toolName === "AskUserQuestion" ? `question “${firstQuestion(input)}”` : `\`${whatOf(toolName, input)}\``;
  return `${VERB[status] ?? status} ${what} — ${by}`;
}
