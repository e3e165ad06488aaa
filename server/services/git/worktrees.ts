import fs from "node:fs/promises";
import path from "node:path";
import { checkBranchName, worktreeFolderName } from "../../../lib/git/refs";
import { parseAgentSettings } from "../../../lib/schemas/agent-settings";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import { agentSelect } from "../agents/service";
import { gitOk, runGit } from "./run-git";
import { oneWorktreeChangeAtATime } from "./repo-lock";
import { confinedWorktreePath, defaultWorktreeBase, listWorktrees, workTreeRoot } from "./worktree-repo";
import { createSetupRunner } from "./worktree-setup";

export interface CreateWorktreeInput {
  parentId: string;
  branch: string;
  /** The branch or commit the new branch starts from; default the parent's current branch. */
  base?: string | null;
  name?: string | null;
}

/**
 * Worktree agents: a child agent working in its own `git worktree` of its parent's repository.
 * Every git call is argv through runGit; a branch is checked by checkBranchName before git sees
 * it, a base ref follows `--end-of-options`, a path follows `--`.
 */
export function createWorktreesService({ db, bus }: { db: Db; bus: Bus }) {
  const setup = createSetupRunner(bus);

  async function agentOf(id: string) {
    const a = await db.agent.findUnique({
      where: { id },
      select: { id: true, name: true, folder: true, provider: true, groupId: true, settingsJson: true },
    });
    if (!a) throw new AppError("NOT_FOUND", "That agent no longer exists.");
    return a;
  }

  /** The repository's main worktree (git lists it first). */
  async function repoOf(folder: string) {
    const list = await listWorktrees(folder);
    const main = list[0];
    if (!main || main.bare) throw new AppError("BAD_INPUT", "Worktree agents need a repository with a main work tree (not a bare one).");
    return { main: main.path, list };
  }

  async function currentBranch(folder: string): Promise<string> {
    const r = await runGit(["symbolic-ref", "--quiet", "--short", "HEAD"], { cwd: folder });
    return r.code === 0 && r.stdout.trim() ? r.stdout.trim() : "HEAD";
  }

  /**
   * The branch a base ref names, for the pull request and merge back: a local branch as is, a
   * remote-tracking one (`origin/main`) without its remote; null for a commit or a tag.
   */
  async function baseBranchOf(folder: string, base: string): Promise<string | null> {
    const r = await runGit(["rev-parse", "--symbolic-full-name", "--end-of-options", base], { cwd: folder });
    // Older git (2.39) echoes `--end-of-options` itself: the ref is the line that names one.
    const full = r.code === 0 ? (r.stdout.split("\n").find((l) => l.startsWith("refs/")) ?? "") : "";
    if (full.startsWith("refs/heads/")) return full.slice("refs/heads/".length);
    if (!full.startsWith("refs/remotes/")) return null;
    const rest = full.slice("refs/remotes/".length);
    const remotes = (await runGit(["remote"], { cwd: folder })).stdout.split("\n").filter(Boolean);
    const remote = remotes.find((name) => rest.startsWith(`${name}/`));
    const branch = remote ? rest.slice(remote.length + 1) : "";
    return branch && branch !== "HEAD" && !checkBranchName(branch) ? branch : null;
  }

  async function insertChild(
    parent: Awaited<ReturnType<typeof agentOf>>,
    folder: string,
    branch: string | null,
    name: string | null | undefined,
    baseBranch: string | null = null,
  ) {
    const last = await db.agent.aggregate({ _max: { sortOrder: true } });
    return db.agent.create({
      data: {
        name: name?.trim() || `${parent.name} · ${branch ?? path.basename(folder)}`,
        folder,
        provider: parent.provider,
        groupId: parent.groupId,
        settingsJson: parent.settingsJson,
        parentId: parent.id,
        worktreeBranch: branch,
        worktreeBaseBranch: baseBranch,
        sortOrder: (last._max.sortOrder ?? -1) + 1,
        tabs: { create: { name: "Main" } },
      },
      select: agentSelect,
    });
  }

  /** create's work, inside its repository's queue. */
  async function createIn(parent: Awaited<ReturnType<typeof agentOf>>, input: CreateWorktreeInput) {
    const branch = input.branch;
    const { main } = await repoOf(parent.folder);
    // Git's own rule as well (it knows more than ours); the name cannot start with "-" (checked above).
    if ((await runGit(["check-ref-format", "--branch", branch], { cwd: main })).code !== 0)
      throw new AppError("BAD_INPUT", `Git does not accept “${branch}” as a branch name.`, { field: "branch" });
    if ((await runGit(["show-ref", "--verify", "--quiet", `refs/heads/${branch}`], { cwd: main })).code === 0)
      throw new AppError("CONFLICT", `A branch named ${branch} already exists: adopt its worktree or pick another name.`, {
        field: "branch",
      });
    const base = input.base?.trim() || (await currentBranch(parent.folder));
    if (base.startsWith("-")) throw new AppError("BAD_INPUT", "A base branch cannot start with “-”.", { field: "base" });
    const baseCommit = await runGit(["rev-parse", "--verify", "--quiet", "--end-of-options", `${base}^{commit}`], { cwd: parent.folder });
    if (baseCommit.code !== 0 || !baseCommit.stdout.trim())
      throw new AppError("BAD_INPUT", `No branch or commit named ${base} in this repository.`, { field: "base" });
    const settings = parseAgentSettings(parent.settingsJson);
    const target = await confinedWorktreePath(settings.worktreeBase || defaultWorktreeBase(main), worktreeFolderName(branch));
    await gitOk(["worktree", "add", "-b", branch, "--", target, baseCommit.stdout.trim()], { cwd: parent.folder, timeoutMs: 120_000 });
    let agent;
    try {
      agent = await insertChild(parent, await fs.realpath(target), branch, input.name, await baseBranchOf(parent.folder, base));
    } catch (err) {
      // No orphan: the worktree and its new branch go again when the agent cannot be stored.
      await runGit(["worktree", "remove", "--force", "--", target], { cwd: main });
      await runGit(["branch", "-D", branch], { cwd: main });
      throw err;
    }
    bus.publish("agents.changed", { agentId: agent.id });
    if (settings.worktreeSetup)
      void setup.start({ agentId: agent.id, script: settings.worktreeSetup, mainRepo: main, worktree: agent.folder, branch, base });
    return { agent, setup: setup.state(agent.id) };
  }

  return {
    /** Whether an agent's folder is in a git work tree, its current branch and where new worktrees go. */
    async info(agentId: string) {
      const a = await agentOf(agentId);
      const inRepo = await workTreeRoot(a.folder).then(
        () => true,
        () => false,
      );
      if (!inRepo) return { isRepo: false as const };
      const { main } = await repoOf(a.folder);
      const settings = parseAgentSettings(a.settingsJson);
      return {
        isRepo: true as const,
        mainRepo: main,
        currentBranch: await currentBranch(a.folder),
        baseFolder: settings.worktreeBase || defaultWorktreeBase(main),
        setupScript: settings.worktreeSetup ?? null,
      };
    },

    /** One at a time per repository (oneWorktreeChangeAtATime), from the branch check to the stored agent. */
    async create(input: CreateWorktreeInput) {
      const problem = checkBranchName(input.branch);
      if (problem) throw new AppError("BAD_INPUT", problem, { field: "branch" });
      const parent = await agentOf(input.parentId);
      return oneWorktreeChangeAtATime(parent.folder, () => createIn(parent, input));
    },

    /** Git's worktrees of the agent's repository, each with the Maestro agent working in it (if any). */
    async list(agentId: string) {
      const a = await agentOf(agentId);
      const { list } = await repoOf(a.folder);
      const agents = await db.agent.findMany({
        where: { folder: { in: list.map((w) => w.path) } },
        select: { id: true, name: true, folder: true },
      });
      return list.map((w) => {
        const on = agents.find((x) => x.folder === w.path);
        return { ...w, agent: on ? { id: on.id, name: on.name } : null };
      });
    },

    /** A child agent for a worktree git already lists (made outside Maestro). */
    async adopt(input: { parentId: string; path: string; name?: string | null }) {
      const parent = await agentOf(input.parentId);
      const { list } = await repoOf(parent.folder);
      const wanted = await fs.realpath(input.path).catch(() => path.resolve(input.path));
      const w = list.find((x) => x.path === wanted);
      if (!w) throw new AppError("BAD_INPUT", `${input.path} is not a worktree of this repository (git worktree list does not show it).`);
      if (w.main) throw new AppError("BAD_INPUT", "That is the repository's main work tree, not a worktree to adopt.");
      if (w.prunable) throw new AppError("BAD_INPUT", `${w.path} is gone (git marks it prunable).`);
      if (await db.agent.findFirst({ where: { folder: w.path }, select: { id: true } }))
        throw new AppError("CONFLICT", `An agent already works in ${w.path}.`);
      const agent = await insertChild(parent, w.path, w.branch, input.name);
      bus.publish("agents.changed", { agentId: agent.id });
      return agent;
    },

    setupState: setup.state,
    setupFinished: setup.finished,
  };
}

export type WorktreesService = ReturnType<typeof createWorktreesService>;
