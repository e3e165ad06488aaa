/** The longest branch name Maestro accepts: git allows more, but a path segment and a UI label must stay usable. */
export const MAX_BRANCH_LENGTH = 200;

// Cc (C0/C1 controls, DEL) and Cf (format: bidi overrides, zero-width joiners, BOM…): invisible
// characters that make a branch look like another one in a list or a terminal.
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/u;
const FORBIDDEN_CHARS = /[\s~^:?*[\\]/u;

/**
 * Checks a branch name a person typed, before git ever sees it. Returns `null` when the name is
 * acceptable, otherwise a sentence saying what is wrong. Stricter than `git check-ref-format
 * --branch` (which the service runs as well): a leading `-` is refused here so the name can
 * never be read as an option, whatever argv position it ends up in.
 */
export function checkBranchName(name: string): string | null {
  if (name.length === 0) return "Type a branch name.";
  if (name.length > MAX_BRANCH_LENGTH) return `A branch name can be at most ${MAX_BRANCH_LENGTH} characters (this one has ${name.length}).`;
  if (name.startsWith("-")) return "A branch name cannot start with “-”.";
  if (CONTROL_OR_FORMAT.test(name)) return "A branch name cannot contain control or invisible formatting characters.";
  if (/\s/u.test(name)) return "A branch name cannot contain spaces.";
  if (FORBIDDEN_CHARS.test(name)) return "A branch name cannot contain any of ~ ^ : ? * [ \\.";
  if (name.includes("..")) return "A branch name cannot contain “..”.";
  if (name.includes("@{")) return "A branch name cannot contain “@{”.";
  if (name === "@") return "“@” alone is not a branch name.";
  if (name.includes("//")) return "A branch name cannot contain “//”.";
  if (name.startsWith("/") || name.endsWith("/")) return "A branch name cannot start or end with “/”.";
  if (name.endsWith(".")) return "A branch name cannot end with “.”.";
  if (name.endsWith(".lock")) return "A branch name cannot end with “.lock”.";
  for (const part of name.split("/")) {
    if (part.startsWith(".")) return "No part of a branch name (between “/”) can start with “.”.";
    if (part.endsWith(".lock")) return "No part of a branch name (between “/”) can end with “.lock”.";
  }
  if (name === "HEAD") return "“HEAD” is reserved by git.";
  return null;
}

/**
 * The folder name a branch gets under the worktree base folder: one segment, `/` turned into
 * `-`, so `feature/login` becomes `feature-login`. Only called on names `checkBranchName` passed.
 */
export function worktreeFolderName(branch: string): string {
  return branch.replace(/\//g, "-");
}
