/** The built-in Auto Run prompt and what the runner reads back from a reply. Pure. */

export const DEFAULT_PROMPT = `You are {{AGENT_NAME}}, working in {{AGENT_PATH}} (git branch {{GIT_BRANCH}}). This is Auto Run loop {{LOOP_NUMBER}}.

Do only the first unchecked task of the document below, nothing after it. When that task is done, tick its box ([ ] becomes [x]) in the document. Start your reply with a one-paragraph summary of what you did.

If you cannot do the task or something needs a human, do not tick the box: add the line <!-- maestro:halt: your reason --> to the document and stop.

If the task needs another agent, you may use the Maestro CLI: \`node "$MAESTRO_CLI" list agents\`, \`node "$MAESTRO_CLI" send AGENT "message"\` (\`--help\` lists the rest).

Document: {{DOCUMENT_PATH}}`;

/** `runs/<doc>-<stamp>-loop-<N>.md`: the working copy of a reset-on-completion document. */
export function runCopyName(filename: string, at: Date, loop: number): string {
  const base = filename.split(/[\\/]/).pop()!.replace(/\.md$/i, "");
  const p = (n: number) => String(n).padStart(2, "0");
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  return `runs/${base}-${stamp}-loop-${loop}.md`;
}
