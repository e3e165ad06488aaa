/**
 * The prompt that asks an agent to draft a commit message for the changes in its folder. Its
 * opening line is fixed (the simulator recognises it); the diff follows as context. Pure.
 */

/** The opening line; the simulator answers a prompt that starts with it with a commit message. */
export const COMMIT_PROMPT_OPENER = "Draft a git commit message for the changes below.";

/** The largest patch excerpt sent: enough to understand a change, small enough for any CLI. */
export const MAX_PATCH_CHARS = 12_000;

export function buildCommitPrompt(stat: string, patch: string): string {
  const cut = patch.length > MAX_PATCH_CHARS;
  const excerpt = cut ? `${patch.slice(0, MAX_PATCH_CHARS)}\n… (patch cut at ${MAX_PATCH_CHARS} characters)` : patch;
  return [
    COMMIT_PROMPT_OPENER,
    "Reply with the message only, no commentary and no code fence: a conventional-commit subject line (type(scope): summary, at most 72 characters), a blank line, then a short body saying what changed and why, wrapped at 72 characters. Do not run any command and do not change any file.",
    "Files changed (git diff --stat):",
    stat.trim() || "(no tracked file changed; new files only)",
    "Patch:",
    excerpt.trim() || "(empty)",
  ].join("\n\n");
}
