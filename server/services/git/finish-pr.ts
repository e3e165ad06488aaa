import { BRANCH_LOG_FORMAT, parseBranchLog, prText } from "../../../lib/git/finish";
import { checkBranchName } from "../../../lib/git/refs";
import { compareUrl } from "../../../lib/git/remote-url";
import { AppError } from "../../errors";
import type { FinishDeps } from "./finish";
import { mustBranch, remoteDefaultBranch, remoteFor, remoteInfo, type FinishAgent, type FinishRepo } from "./finish-repo";
import { runGh, type GhState } from "./gh";
import type { GitResult } from "./run-git";

export interface CreatePrInput {
  agentId: string;
  /** The branch the pull request merges into; default the worktree's base branch, else the parent's branch, else the remote's default. */
  base?: string | null;
  title?: string | null;
  body?: string | null;
  draft?: boolean;
}

export interface CreatePrResult {
  /** The pull request (via gh), the host's page to open one (compare), or null (none). */
  url: string | null;
  via: "gh" | "compare" | "none";
  /** Why gh was not used, or why there is no URL. */
  reason?: string;
  branch: string;
  base: string;
  remote: string;
  title: string;
}

interface PrHost {
  deps: FinishDeps;
  gh: { state(cwd: string): Promise<GhState> };
  repo: (agentId: string) => Promise<FinishRepo>;
  push: (input: { agentId: string }) => Promise<{ branch: string; remote: string }>;
  mergeTarget: (agent: FinishAgent, top: string) => Promise<{ folder: string; branch: string | null } | null>;
  git: (args: string[], cwd: string, timeoutMs?: number) => Promise<GitResult>;
}

const URL_RE = /https?:\/\/\S+/g;
const lastUrl = (text: string) => text.match(URL_RE)?.pop() ?? null;

/** Opening a pull request: push, then gh when it is installed and logged in, else the host's compare page. */
export function createPrMaker(host: PrHost) {
  const { deps, git } = host;

  async function defaultBase(agent: FinishAgent, top: string, remote: string, branch: string): Promise<string> {
    // The branch the worktree was made from; an adopted one has none stored.
    if (agent.worktreeBaseBranch && agent.worktreeBaseBranch !== branch) return agent.worktreeBaseBranch;
    const target = await host.mergeTarget(agent, top);
    if (target?.branch && target.branch !== branch) return target.branch;
    const fromRemote = await remoteDefaultBranch(top, remote, deps.env);
    return fromRemote && fromRemote !== branch ? fromRemote : "main";
  }

  /** The branch's commits since `base` (oldest first), from the local base or the remote's copy of it. */
  async function commitsSince(top: string, remote: string, base: string, branch: string) {
    for (const ref of [`refs/heads/${base}`, `refs/remotes/${remote}/${base}`]) {
      if ((await git(["rev-parse", "-q", "--verify", `${ref}^{commit}`], top)).code !== 0) continue;
      const r = await git(
        ["log", "--reverse", `--format=${BRANCH_LOG_FORMAT}`, "--max-count=200", `${ref}..refs/heads/${branch}`, "--"],
        top,
      );
      if (r.code === 0) return parseBranchLog(r.stdout);
    }
    return [];
  }

  /** What Auto Run reported on this agent (its successful tasks' summaries), newest 20. */
  async function autorunSummaries(agentId: string): Promise<string[]> {
    try {
      const page = await deps.history.list({ agentId, kinds: ["autorun-task"], success: true, limit: 20 });
      return page.items.map((i) => i.summary).reverse();
    } catch {
      return [];
    }
  }

  async function createPr(input: CreatePrInput): Promise<CreatePrResult> {
    const { agent, top } = await host.repo(input.agentId);
    const branch = await mustBranch(top, deps.env);
    const remoteName = await remoteFor(top, branch, deps.env);
    if (!remoteName) throw new AppError("BAD_INPUT", "This repository has no remote to push to: add one with git remote add origin <url>.");
    const base = input.base?.trim() || (await defaultBase(agent, top, remoteName, branch));
    const problem = checkBranchName(base);
    if (problem) throw new AppError("BAD_INPUT", problem, { field: "base" });
    if (base === branch) throw new AppError("BAD_INPUT", `A pull request needs a base other than ${branch} itself.`, { field: "base" });
    const { remote } = await host.push({ agentId: input.agentId });
    const made = prText(branch, await commitsSince(top, remote, base, branch), await autorunSummaries(input.agentId));
    const title = input.title?.trim() || made.title;
    const body = input.body?.trim() ?? made.body;
    const info = await remoteInfo(top, remote, deps.env);

    let result: CreatePrResult | null = null;
    let reason: string | undefined;
    if (info.kind !== "github" && info.kind !== "other") reason = "The remote is not on GitHub, so gh was not used.";
    else {
      const state = await host.gh.state(top);
      if (!state.authenticated) reason = state.reason ?? "gh is not available.";
      else {
        const args = ["pr", "create", "--base", base, "--head", branch, "--title", title, "--body-file", "-"];
        if (input.draft) args.push("--draft");
        const r = await runGh(args, { cwd: top, path: deps.path, env: deps.env, stdin: body, timeoutMs: 60_000 }).catch((err: unknown) => ({
          code: 1,
          stdout: "",
          stderr: err instanceof Error ? err.message : String(err),
        }));
        const url = r.code === 0 ? lastUrl(r.stdout) : /already exists/i.test(r.stderr) ? lastUrl(r.stderr) : null;
        if (url)
          result = {
            url,
            via: "gh",
            branch,
            base,
            remote,
            title,
            ...(r.code !== 0 ? { reason: "A pull request for this branch already exists." } : {}),
          };
        else {
          const line = (r.stderr || r.stdout).trim().split("\n").find(Boolean) ?? `exit status ${r.code}`;
          reason = `gh pr create failed: ${line.replace(/[.\s]*$/, ".")}`;
        }
      }
    }
    if (!result) {
      const compare = compareUrl(info.url, base, branch);
      result = compare.url
        ? { url: compare.url, via: "compare", reason, branch, base, remote, title }
        : {
            url: null,
            via: "none",
            reason: [reason, "reason" in compare ? compare.reason : ""].filter(Boolean).join(" "),
            branch,
            base,
            remote,
            title,
          };
    }
    await deps.history
      .record({
        kind: "git-pr",
        agentId: agent.id,
        agentName: agent.name,
        success: result.url !== null,
        summary:
          result.via === "gh"
            ? `Pull request for ${branch} into ${base}: ${result.url}`
            : result.via === "compare"
              ? `Pushed ${branch}; open the pull request into ${base} at ${result.url}`
              : `Pushed ${branch} to ${remote}; no pull request page: ${result.reason ?? ""}`,
        detail: `${title}\n\n${body}`.trim(),
      })
      .catch(() => null);
    deps.bus.publish("git.finished", { agentId: agent.id, action: "pr", url: result.url });
    return result;
  }

  return { createPr };
}
