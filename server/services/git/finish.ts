import { checkBranchName } from "../../../lib/git/refs";
import { parseStatusV2 } from "../../../lib/git/status";
import { cleanCommitMessage, parseLeftRight } from "../../../lib/git/finish";
import type { AgentSettings } from "../../../lib/schemas/agent-settings";
import { AppError } from "../../errors";
import { outsideAutorunFolder } from "../autorun/files";
import type { Bus } from "../../events/bus";
import type { HistoryService } from "../history/service";
import type { DetectedProvider } from "../providers/detect";
import { createGhProbe } from "./gh";
import { createDraft } from "./finish-draft";
import { createPrMaker } from "./finish-pr";
import {
  branchOf,
  finishRepo,
  gitFailure,
  IDENTITY_HELP,
  mustBranch,
  remoteDefaultBranch,
  remoteFor,
  remoteInfo,
  type FinishAgent,
} from "./finish-repo";
import { runGit } from "./run-git";
import { listWorktrees } from "./worktree-repo";

export interface FinishDeps {
  agents: { byId(id: string): Promise<FinishAgent>; settings(id: string): Promise<AgentSettings> };
  bus: Bus;
  history: Pick<HistoryService, "record" | "list">;
  /** The git status cache: told when a commit, push or merge moved an agent's branch. */
  gitStatus: { invalidate(agentId: string): void };
  detectProviders: () => Promise<DetectedProvider[]>;
  /** $PATH where gh is looked up (the bridge's). */
  path: string;
  /** Extra environment for git and gh (tests point gh and the global git config elsewhere). */
  env?: Record<string, string>;
  /** How long gh's login state is remembered (default 30 s). */
  ghCacheMs?: number;
  niceness?: number;
  /** Why a work tree is in use (an agent there has a turn running or an Auto Run going); null when free. */
  busyIn?: (folder: string) => Promise<string | null>;
  /** How long a merge back may take (default 120 s). */
  mergeTimeoutMs?: number;
}

const PUSH_TIMEOUT_MS = 120_000;

/**
 * Finishing a worktree agent's work: commit, push, open a pull request (gh, else the host's
 * compare page), or merge the branch back into its parent's. Plain async functions taking
 * `{ agentId, … }` (the router and the CLI call them alike). Git runs through runGit with argv
 * only; branch names were checked at creation and still go after `--end-of-options` or inside
 * a full `refs/heads/…` refspec.
 */
export function createFinishService(deps: FinishDeps) {
  const { bus, env } = deps;
  const gh = createGhProbe({ path: deps.path, env, ttlMs: deps.ghCacheMs ?? 30_000 });
  const git = (args: string[], cwd: string, timeoutMs?: number) => runGit(args, { cwd, env, timeoutMs });

  async function repo(agentId: string) {
    return finishRepo(await deps.agents.byId(agentId), env);
  }

  /** The pathspec of everything but the agent's Auto Run folder (Auto Run's checklist copies are no work to commit). */
  async function autorunLeftOut(agent: FinishAgent, top: string): Promise<string[]> {
    return outsideAutorunFolder(agent.folder, await deps.agents.settings(agent.id), top);
  }

  /** Fails with the identity sentence before anything is staged, when git could not sign a commit. */
  async function needIdentity(cwd: string) {
    for (const v of ["GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"])
      if ((await git(["var", v], cwd)).code !== 0) throw new AppError("BAD_INPUT", IDENTITY_HELP);
  }

  /** Where the agent's branch merges back: its parent agent's work tree, else the repository's main one. */
  async function mergeTarget(agent: FinishAgent, top: string): Promise<{ folder: string; branch: string | null } | null> {
    let folder: string | null = null;
    if (agent.parentId) {
      const parent = await deps.agents.byId(agent.parentId).catch(() => null);
      if (parent) folder = (await finishRepo(parent, env).catch(() => null))?.top ?? null;
    }
    if (!folder) folder = (await listWorktrees(top).catch(() => []))[0]?.path ?? null;
    if (!folder || folder === top) return null;
    return { folder, branch: await branchOf(folder, env) };
  }

  async function commit(input: {
    agentId: string;
    message: string;
    all?: boolean;
  }): Promise<{ sha: string; branch: string | null; subject: string }> {
    const message = cleanCommitMessage(input.message ?? "");
    if (!message) throw new AppError("BAD_INPUT", "Type a commit message.", { field: "message" });
    const { agent, top } = await repo(input.agentId);
    await needIdentity(top);
    if (input.all !== false) {
      const add = await git(["add", "-A", ...(await autorunLeftOut(agent, top))], top, 60_000);
      if (add.code !== 0) throw gitFailure("git add", add);
    }
    const staged = await git(["diff", "--cached", "--quiet"], top);
    if (staged.code === 0) throw new AppError("BAD_INPUT", "Nothing to commit: the work tree has no changes.");
    // The message is one argv word after -m: never parsed as an option, never through a shell.
    const r = await git(["commit", "-q", "-m", message], top, 120_000);
    if (r.code !== 0) throw gitFailure("git commit", r);
    const sha = (await git(["rev-parse", "HEAD"], top)).stdout.trim();
    deps.gitStatus.invalidate(input.agentId);
    bus.publish("git.finished", { agentId: input.agentId, action: "commit" });
    return { sha, branch: await branchOf(top, env), subject: message.split("\n")[0]! };
  }

  /**
   * ssh asks on the bridge's terminal, where nobody answers: batch mode makes it fail at once
   * instead. Only when the person chose no ssh of their own (GIT_SSH_COMMAND, GIT_SSH or
   * core.sshCommand): git prefers the environment, so setting it would override theirs.
   */
  async function batchSsh(top: string): Promise<Record<string, string>> {
    const all = { ...process.env, ...env };
    if (all.GIT_SSH_COMMAND || all.GIT_SSH) return {};
    if ((await git(["config", "--get", "core.sshCommand"], top)).stdout.trim()) return {};
    return { GIT_SSH_COMMAND: "ssh -o BatchMode=yes" };
  }

  async function push(input: { agentId: string }): Promise<{ branch: string; remote: string }> {
    const { top } = await repo(input.agentId);
    const branch = await mustBranch(top, env);
    const remote = await remoteFor(top, branch, env, { push: true });
    if (!remote) throw new AppError("BAD_INPUT", "This repository has no remote to push to: add one with git remote add origin <url>.");
    if (remote.startsWith("-")) throw new AppError("BAD_INPUT", `The remote name “${remote}” starts with “-”; rename it first.`);
    const ref = `refs/heads/${branch}`;
    const r = await runGit(["push", "--porcelain", "-u", "--end-of-options", remote, `${ref}:${ref}`], {
      cwd: top,
      timeoutMs: PUSH_TIMEOUT_MS,
      env: { ...(await batchSsh(top)), ...env },
    });
    if (r.code !== 0) {
      if (/\[rejected\]|non-fast-forward|fetch first/.test(`${r.stdout}\n${r.stderr}`))
        throw new AppError(
          "CONFLICT",
          `${remote} has commits on ${branch} that this worktree does not: pull (or rebase) them first, then push again.`,
        );
      throw gitFailure(`git push to ${remote}`, r);
    }
    deps.gitStatus.invalidate(input.agentId);
    bus.publish("git.finished", { agentId: input.agentId, action: "push" });
    return { branch, remote };
  }

  async function mergeBack(input: { agentId: string; into?: string | null }) {
    const { agent, top } = await repo(input.agentId);
    const branch = await mustBranch(top, env);
    const target = await mergeTarget(agent, top);
    if (!target) throw new AppError("BAD_INPUT", "There is no other work tree of this repository to merge into.");
    // The branch the worktree was made from, when stored; else what the target has checked out.
    const stored = agent.worktreeBaseBranch && agent.worktreeBaseBranch !== branch ? agent.worktreeBaseBranch : null;
    const into = input.into?.trim() || stored || target.branch;
    if (!into) throw new AppError("BAD_INPUT", `${target.folder} has no branch checked out (HEAD is detached).`);
    const problem = checkBranchName(into);
    if (problem) throw new AppError("BAD_INPUT", problem, { field: "into" });
    if (into === branch) throw new AppError("BAD_INPUT", `${branch} cannot be merged into itself.`, { field: "into" });
    if (into !== target.branch)
      throw new AppError(
        "BAD_INPUT",
        `${into} is not checked out in ${target.folder} (it has ${target.branch ?? "a detached HEAD"}): check it out there first.`,
        {
          field: "into",
        },
      );
    const dirty = await git(["status", "--porcelain", "--untracked-files=no", "-z"], target.folder);
    if (dirty.code !== 0) throw gitFailure("git status", dirty);
    if (dirty.stdout.length > 0)
      throw new AppError("CONFLICT", `${target.folder} has uncommitted changes: commit or stash them there before merging.`);
    // A turn or Auto Run writing in the target while git merges into it would mix the two.
    const busy = await deps.busyIn?.(target.folder);
    if (busy) throw new AppError("CONFLICT", `Not merged: ${busy}. Let it finish (or stop it), then merge again.`);
    await needIdentity(target.folder);
    const before = (await git(["rev-parse", "HEAD"], target.folder)).stdout.trim();
    /** Puts the target back exactly as it was (a merge in progress aborted, HEAD and index reset). */
    const undo = async () => {
      if ((await git(["rev-parse", "-q", "--verify", "MERGE_HEAD"], target.folder)).code === 0)
        await git(["merge", "--abort"], target.folder);
      const after = (await git(["rev-parse", "HEAD"], target.folder)).stdout.trim();
      if (after !== before) await git(["reset", "--merge", before], target.folder);
    };
    let r;
    try {
      r = await git(
        ["merge", "--no-ff", "-m", `Merge branch '${branch}' into ${into}`, "--end-of-options", `refs/heads/${branch}`],
        target.folder,
        deps.mergeTimeoutMs ?? 120_000,
      );
    } catch (err) {
      // A timeout kills git mid-merge (before MERGE_HEAD or the commit, maybe): what it staged
      // must not stay behind in the parent's work tree, which had no tracked changes before.
      await undo().catch(() => {});
      await git(["reset", "--merge", before], target.folder).catch(() => {});
      throw err;
    }
    if (r.code !== 0) {
      const conflicts = (await git(["diff", "--name-only", "--diff-filter=U", "-z"], target.folder)).stdout.split("\0").filter(Boolean);
      await undo();
      if (conflicts.length)
        throw new AppError(
          "CONFLICT",
          `Merging ${branch} into ${into} conflicts in ${conflicts.join(", ")}. Nothing was changed: merge ${into} into ${branch} in this worktree, resolve the conflicts, commit, and merge again.`,
        );
      throw gitFailure(`git merge`, r);
    }
    const sha = (await git(["rev-parse", "HEAD"], target.folder)).stdout.trim();
    deps.gitStatus.invalidate(input.agentId);
    if (agent.parentId) deps.gitStatus.invalidate(agent.parentId);
    bus.publish("git.finished", { agentId: input.agentId, action: "merge" });
    return { sha, branch, into, folder: target.folder };
  }

  /** What the finishing buttons need to know; `isRepo: false` when the agent's folder is not in git. */
  async function finishInfo(input: { agentId: string }) {
    const found = await repo(input.agentId).catch((err: unknown) => {
      if (err instanceof AppError && err.code === "BAD_INPUT") return null;
      throw err;
    });
    if (!found) return { isRepo: false as const };
    const { agent, top } = found;
    // The Auto Run folder's checklists are no work to commit (Commit leaves them out too).
    const st = await git(["status", "--porcelain=v2", "--branch", "-z", ...(await autorunLeftOut(agent, top))], top);
    if (st.code !== 0) throw gitFailure("git status", st);
    const status = parseStatusV2(st.stdout);
    const target = await mergeTarget(agent, top);
    const remoteName = await remoteFor(top, status.branch, env);
    const remote = remoteName ? await remoteInfo(top, remoteName, env) : null;
    // The branch the worktree was made from, else the parent's branch; for an agent with no
    // other work tree, the remote's default branch.
    const stored = agent.worktreeBaseBranch && agent.worktreeBaseBranch !== status.branch ? agent.worktreeBaseBranch : null;
    const mergeBase = target ? stored || (target.branch && target.branch !== status.branch ? target.branch : null) : null;
    const remoteBase = !target && remoteName ? await remoteDefaultBranch(top, remoteName, env) : null;
    const base = mergeBase ?? stored ?? (remoteBase && remoteBase !== status.branch ? remoteBase : null);
    let vsBase: { ahead: number; behind: number } | null = null;
    if (base && status.sha) {
      const baseRef = mergeBase ? `refs/heads/${base}` : `refs/remotes/${remoteName}/${base}`;
      const lr = parseLeftRight((await git(["rev-list", "--left-right", "--count", `${baseRef}...HEAD`], top)).stdout);
      if (lr) vsBase = { behind: lr.left, ahead: lr.right };
    }
    return {
      isRepo: true as const,
      branch: status.branch,
      hasCommits: status.sha !== null,
      base,
      mergeFolder: mergeBase ? (target?.folder ?? null) : null,
      aheadOfBase: vsBase?.ahead ?? 0,
      behindBase: vsBase?.behind ?? 0,
      upstream: status.upstream,
      ahead: status.ahead,
      behind: status.behind,
      dirty: status.dirty,
      remote: remote ? { name: remote.name, url: remote.display, kind: remote.kind } : null,
      gh: await gh.state(top),
    };
  }

  const pr = createPrMaker({ deps, gh, repo, push, mergeTarget, git });
  const draft = createDraft({ deps, repo, autorunLeftOut });

  return { commit, push, createPr: pr.createPr, mergeBack, finishInfo, draftCommitMessage: draft.draftCommitMessage };
}

export type FinishService = ReturnType<typeof createFinishService>;
