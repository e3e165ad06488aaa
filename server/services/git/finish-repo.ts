import fs from "node:fs";
import { parseRemoteUrl } from "../../../lib/git/remote-url";
import { AppError } from "../../errors";
import { runGit, type GitResult } from "./run-git";

/** What every finishing step needs: the agent, the top of its work tree, the extra env git gets. */
export interface FinishAgent {
  id: string;
  name: string;
  folder: string;
  provider: string;
  parentId: string | null;
  /** The branch its worktree was made from (null when adopted or not a worktree agent). */
  worktreeBaseBranch?: string | null;
}

export interface FinishRepo {
  agent: FinishAgent;
  /** The top of the agent's work tree. */
  top: string;
}

/** The work tree of an agent, or a clear error when its folder is gone or not in a repository. */
export async function finishRepo(agent: FinishAgent, env?: Record<string, string>): Promise<FinishRepo> {
  if (!fs.statSync(agent.folder, { throwIfNoEntry: false })?.isDirectory())
    throw new AppError("NOT_FOUND", `${agent.name}'s folder ${agent.folder} is missing.`);
  const r = await runGit(["rev-parse", "--show-toplevel"], { cwd: agent.folder, env });
  if (r.code !== 0 || !r.stdout.trim()) throw new AppError("BAD_INPUT", `${agent.name}'s folder is not in a git repository.`);
  return { agent, top: r.stdout.replace(/\n$/, "") };
}

/** The checked-out branch; null when HEAD is detached. */
export async function branchOf(cwd: string, env?: Record<string, string>): Promise<string | null> {
  const r = await runGit(["symbolic-ref", "--quiet", "--short", "HEAD"], { cwd, env });
  return r.code === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/** The branch to finish, or a clear error on a detached HEAD. */
export async function mustBranch(cwd: string, env?: Record<string, string>): Promise<string> {
  const b = await branchOf(cwd, env);
  if (!b) throw new AppError("BAD_INPUT", "HEAD is detached (no branch is checked out): check out a branch first.");
  if (b.startsWith("-")) throw new AppError("BAD_INPUT", `The branch “${b}” starts with “-”; rename it before pushing.`);
  return b;
}

/** The one sentence git's "who are you" failures become. */
export const IDENTITY_HELP =
  'Git does not know who you are: set your name and email on the bridge\'s machine with git config --global user.name "Your Name" and git config --global user.email you@example.com (or without --global in this repository).';

/** Turns a failed git run into an AppError a person can act on (identity first, then git's own line). */
export function gitFailure(what: string, r: GitResult): AppError {
  const all = `${r.stderr}\n${r.stdout}`;
  if (/Please tell me who you are|unable to auto-detect email address|no email was given|empty ident name/i.test(all))
    return new AppError("BAD_INPUT", IDENTITY_HELP);
  const line =
    all
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l && !/^hint:/.test(l)) ?? `exit status ${r.code}`;
  return new AppError("BAD_INPUT", `${what} failed: ${line.replace(/^(fatal|error): /, "")}`);
}

/**
 * The remote a branch goes to. For a push, git's own order: `branch.<b>.pushRemote`, then
 * `remote.pushDefault`, then its upstream's remote, then `origin`; otherwise (where pull requests
 * go, what the panel shows) its upstream's remote, then `origin`. Null when there is none.
 */
export async function remoteFor(
  cwd: string,
  branch: string | null,
  env?: Record<string, string>,
  opts: { push?: boolean } = {},
): Promise<string | null> {
  const remotes = (await runGit(["remote"], { cwd, env })).stdout.split("\n").map((s) => s.trim());
  const keys = [
    ...(opts.push && branch ? [`branch.${branch}.pushRemote`] : []),
    ...(opts.push ? ["remote.pushDefault"] : []),
    ...(branch ? [`branch.${branch}.remote`] : []),
  ];
  for (const key of keys) {
    const configured = (await runGit(["config", "--get", key], { cwd, env })).stdout.trim();
    if (configured && configured !== "." && remotes.includes(configured)) return configured;
  }
  if (remotes.includes("origin")) return "origin";
  return null;
}

/**
 * The remote's URL as configured (`remote.<name>.url`, before any `insteadOf` rewriting), so the
 * web page is that of the repository the user named, and what kind of host it is.
 */
export async function remoteInfo(cwd: string, remote: string, env?: Record<string, string>) {
  const url = (await runGit(["config", "--get", `remote.${remote}.url`], { cwd, env })).stdout.trim();
  const parsed = parseRemoteUrl(url);
  return { name: remote, url, display: parsed.display, kind: parsed.kind };
}

/** The remote's default branch as last fetched (`refs/remotes/<remote>/HEAD`), or null when git does not know it. */
export async function remoteDefaultBranch(cwd: string, remote: string, env?: Record<string, string>): Promise<string | null> {
  const head = (await runGit(["symbolic-ref", "--quiet", "--short", `refs/remotes/${remote}/HEAD`], { cwd, env })).stdout.trim();
  return head.startsWith(`${remote}/`) && head.length > remote.length + 1 ? head.slice(remote.length + 1) : null;
}
