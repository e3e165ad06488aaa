/** One commit of a branch as the pull request text is made from it. */
export interface BranchCommit {
  sha: string;
  subject: string;
  body: string;
}

/** `git log` format for branchCommits: fields split by US, records ended by RS. */
export const BRANCH_LOG_FORMAT = "%H%x1f%s%x1f%b%x1e";

export function parseBranchLog(out: string): BranchCommit[] {
  return out
    .split("\x1e")
    .map((r) => r.replace(/^\n/, ""))
    .filter((r) => r.trim() !== "")
    .map((r) => {
      const [sha = "", subject = "", body = ""] = r.split("\x1f");
      return { sha, subject: subject.trim(), body: body.trim() };
    });
}

/** `feature/add-login_form` → "Add login form" (the last path part, words split on - and _). */
export function humaniseBranch(branch: string): string {
  const last = branch.split("/").filter(Boolean).pop() ?? branch;
  const words = last.replace(/[-_.]+/g, " ").trim();
  if (!words) return branch;
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const MAX_TITLE = 200;
const MAX_BODY = 60_000;

/**
 * A pull request's title and body from the branch's commits (oldest first) and the Auto Run
 * summaries of work done on it: one commit gives its own subject and body; several give the
 * branch name as a title and their subjects as a list.
 */
export function prText(branch: string, commits: BranchCommit[], summaries: string[] = []): { title: string; body: string } {
  let title: string;
  const parts: string[] = [];
  if (commits.length === 1) {
    title = commits[0]!.subject || humaniseBranch(branch);
    if (commits[0]!.body) parts.push(commits[0]!.body);
  } else {
    title = humaniseBranch(branch);
    if (commits.length > 1) parts.push(commits.map((c) => `- ${c.subject}`).join("\n"));
  }
  const done = summaries.map((s) => s.trim()).filter(Boolean);
  if (done.length) parts.push(`Auto Run:\n${done.map((s) => `- ${s.replace(/\s*\n\s*/g, " ")}`).join("\n")}`);
  return { title: title.slice(0, MAX_TITLE), body: parts.join("\n\n").slice(0, MAX_BODY) };
}

/** `git rev-list --left-right --count a...b` → how many commits only on a (left) and only on b (right). */
export function parseLeftRight(out: string): { left: number; right: number } | null {
  const m = /^(\d+)\s+(\d+)\s*$/.exec(out.trim());
  return m ? { left: Number(m[1]), right: Number(m[2]) } : null;
}

/** A commit message as the user typed or the agent drafted it: trimmed, trailing spaces off each line. */
export function cleanCommitMessage(message: string): string {
  return message
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.replace(/\s+$/, ""))
    .join("\n")
    .trim();
}

/**
 * The commit message in an agent's reply: a fenced block if it wrote one, else the reply
 * without a lead-in line ("Here is a commit message:").
 */
export function commitMessageFromReply(reply: string): string {
  const fenced = /```[a-z]*\n([\s\S]*?)\n```/.exec(reply);
  let text = fenced ? fenced[1]! : reply;
  text = text.replace(/^\s*(?:here(?:'s| is)[^\n]*:|commit message:)\s*\n/i, "");
  return cleanCommitMessage(text);
}

/**
 * A pull request History entry's link: the pull request, or the host's page to open one. Only a
 * successful entry has one (a failure's reason may quote any URL); the link ends its summary.
 */
export function historyPrLink(e: { kind: string; success: boolean; summary: string }): { url: string; label: string } | null {
  if (e.kind !== "git-pr" || !e.success) return null;
  const url = e.summary.match(/https:\/\/\S+/g)?.pop();
  if (!url) return null;
  return { url, label: /\/compare\/|merge_requests\/new|pull-requests\/new/.test(url) ? "Open the compare page" : "Open pull request" };
}
