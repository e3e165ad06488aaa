import fs from "node:fs/promises";
import path from "node:path";
import type { RunConfig } from "../../../lib/autorun/run-config";
import {
  expandBranchTemplate,
  pullRequestText,
  taskCommitMessage,
  uniqueBranch,
  worktreePlan,
  worktreeSettingsOf,
  type PrOutcome,
  type WorktreePlan,
} from "../../../lib/autorun/worktree";
import { parseAgentSettings } from "../../../lib/schemas/agent-settings";
import type { Db } from "../../db";
import { checkBranchName } from "../../../lib/git/refs";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import type { Logger } from "../../logger";
import { runGit } from "../git/run-git";
import type { WorktreesService } from "../git/worktrees";
import { autorunFolderOf, documentPath, outsideAutorunFolder, readDocument } from "./files";
import { configOf, type RunAgent, type RunRow } from "./run-state";

/**
 * What Auto Run needs of the finish service (push a worktree agent's branch, open its pull
 * request): `services.finish`, built beside the worktree agents. Optional, so Auto Run works
 * without it (a run then keeps its branch and says why no pull request was opened).
 */
export interface FinishApi {
  push(input: { agentId: string }): Promise<{ branch: string; remote: string }>;
  createPr(input: {
    agentId: string;
    base?: string;
    title?: string;
    body?: string;
  }): Promise<{ url?: string | null; via: "gh" | "compare" | "none"; reason?: string }>;
}

export interface WorktreeRunDeps {
  db: Db;
  bus: Bus;
  worktrees: Pick<WorktreesService, "info" | "create" | "setupFinished">;
  finish: () => FinishApi | null | undefined;
  /** The git status cache: a commit made here changes what the worktree agent's chip shows. */
  gitStatus: () => { invalidate(agentId: string): void } | null | undefined;
  logger: Logger;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

// A task's commit is authored by the person's own git identity; what git cannot find of it, by Maestro.
const FALLBACK = { name: "Maestro Auto Run", email: "autorun@maestro.invalid" };
/** In the worktree's git dir: the paths (NUL-separated) its setup script left untracked. */
const SETUP_LEFT = "maestro-autorun-setup-untracked";

/**
 * Auto Run in a worktree (a playbook's `worktreeSettings`, or the Run sheet's "Run in a new
 * worktree"). At start the run gets a worktree agent of its own, nested under the agent it was
 * started on, on a branch named by the template; the run's documents are copied into that
 * worktree's Auto Run folder, so the run ticks its own copies and two runs of one playbook never
 * write the same file (the parent's folder and files are only read). Each ticked task is
 * committed on the branch; a run that completes pushes it and opens the pull request.
 */
export function createWorktreeRuns(deps: WorktreeRunDeps) {
  const { db, worktrees, logger } = deps;

  /**
   * What git would use as author and committer (`git var`, as `git commit` does); only what git
   * has no value for (no identity at all, or an empty part: git can leave the email empty when it
   * guesses) gets Maestro's, part by part.
   */
  async function identityEnv(cwd: string): Promise<Record<string, string> | undefined> {
    const env: Record<string, string> = {};
    const configured = async (key: string) => (await runGit(["config", "--get", key], { cwd })).stdout.trim() !== "";
    for (const role of ["author", "committer"] as const) {
      const ROLE = role.toUpperCase();
      const probe = await runGit(["var", `GIT_${ROLE}_IDENT`], { cwd });
      const ident = probe.code === 0 ? /^(.*?) ?<([^>]*)>/.exec(probe.stdout.trim()) : null;
      for (const [i, part] of (["name", "email"] as const).entries()) {
        const has = ident
          ? (ident[i + 1] ?? "").trim() !== ""
          : Boolean(process.env[`GIT_${ROLE}_${part.toUpperCase()}`]) ||
            (await configured(`${role}.${part}`)) ||
            (await configured(`user.${part}`));
        if (!has) env[`GIT_${ROLE}_${part.toUpperCase()}`] = FALLBACK[part];
      }
    }
    return Object.keys(env).length ? env : undefined;
  }

  /** Where a worktree keeps what its setup script left untracked: its own git dir (so a restart finds it). */
  async function setupLeftFile(cwd: string): Promise<string | null> {
    const r = await runGit(["rev-parse", "--absolute-git-dir"], { cwd });
    return r.code === 0 && r.stdout.trim() ? path.join(r.stdout.trim(), SETUP_LEFT) : null;
  }

  async function setupLeftovers(cwd: string): Promise<string[]> {
    const file = await setupLeftFile(cwd);
    const text = file ? await fs.readFile(file, "utf8").catch(() => "") : "";
    return text.split("\0").filter(Boolean);
  }

  /**
   * Commits everything the agent changed in the worktree (not the Auto Run folder, nor what the
   * setup script left untracked); "" when nothing changed.
   */
  async function commitAll(agent: RunAgent, message: string): Promise<string> {
    const cwd = agent.folder;
    // Never the Auto Run folder (the checklist is the run's bookkeeping) nor the setup script's leftovers.
    const spec = [
      ...(await outsideAutorunFolder(cwd, parseAgentSettings(agent.settingsJson), cwd)),
      ...(await setupLeftovers(cwd)).map((p) => `:(exclude,literal)${p}`),
    ];
    const add = await runGit(["add", "-A", ...spec], { cwd, timeoutMs: 60_000 });
    if (add.code !== 0) throw new AppError("BAD_INPUT", `git add failed: ${add.stderr.trim().split("\n")[0]}`);
    if ((await runGit(["diff", "--cached", "--quiet"], { cwd })).code === 0) return "";
    const commit = await runGit(["commit", "--quiet", "-m", message], { cwd, timeoutMs: 120_000, env: await identityEnv(cwd) });
    if (commit.code !== 0) throw new AppError("BAD_INPUT", `git commit failed: ${(commit.stderr || commit.stdout).trim().split("\n")[0]}`);
    deps.gitStatus()?.invalidate(agent.id);
    deps.bus.publish("git.finished", { agentId: agent.id, action: "commit" });
    return (await runGit(["rev-parse", "HEAD"], { cwd })).stdout.trim();
  }

  /** How many commits HEAD has that no other branch (local or remote, bar this one's own) has. */
  async function ownCommits(cwd: string, branch: string): Promise<number> {
    const r = await runGit(
      ["rev-list", "--count", "HEAD", "--not", `--exclude=${branch}`, "--branches", `--exclude=*/${branch}`, "--remotes"],
      { cwd },
    );
    return r.code === 0 ? Number(r.stdout.trim()) || 0 : 1;
  }

  /** Branch names in use: local branches, and a remote's (`refs/remotes/<remote>/<name>`) so a push never meets one. */
  async function takenBranches(cwd: string): Promise<Set<string>> {
    const remotes = (await runGit(["remote"], { cwd })).stdout.split("\n").filter(Boolean);
    const r = await runGit(["for-each-ref", "--format=%(refname)", "refs/heads/", "refs/remotes/"], { cwd });
    const names = new Set<string>();
    for (const ref of r.stdout.split("\n").filter(Boolean)) {
      if (ref.startsWith("refs/heads/")) names.add(ref.slice("refs/heads/".length));
      const remote = remotes.find((name) => ref.startsWith(`refs/remotes/${name}/`));
      if (remote) names.add(ref.slice(`refs/remotes/${remote}/`.length));
    }
    return names;
  }

  /**
   * Where a target branch starts the worktree: the local branch, or (none here) a remote's
   * `refs/remotes/<remote>/<target>`, origin first. The pull request still names the bare branch.
   */
  async function baseOf(cwd: string, target: string): Promise<string> {
    if (checkBranchName(target)) return target;
    const has = async (ref: string) => (await runGit(["show-ref", "--verify", "--quiet", ref], { cwd })).code === 0;
    if (await has(`refs/heads/${target}`)) return target;
    const remotes = (await runGit(["remote"], { cwd })).stdout.split("\n").filter(Boolean);
    for (const remote of [...remotes.filter((r) => r === "origin"), ...remotes.filter((r) => r !== "origin")])
      if (await has(`refs/remotes/${remote}/${target}`)) return `refs/remotes/${remote}/${target}`;
    return target;
  }

  // Worktrees of one repository are made one at a time: two runs of one playbook started together
  // would otherwise both find the same name free, and git refuses the second.
  const making = new Map<string, Promise<unknown>>();
  function oneAtATime<T>(repo: string, job: () => Promise<T>): Promise<T> {
    const next = (making.get(repo) ?? Promise.resolve()).then(job, job);
    const settled = next.catch(() => {});
    making.set(repo, settled);
    void settled.then(() => making.get(repo) === settled && making.delete(repo));
    return next;
  }

  return {
    plan: (config: RunConfig): WorktreePlan | null => worktreePlan(config.worktreeSettings),

    /**
     * Makes the run's worktree agent under `parent` and copies the run's documents into its Auto
     * Run folder. Returns the new agent and branch, and the config to store (its target branch
     * filled in, so the pull request goes where the worktree started from).
     */
    async prepare(input: {
      parent: RunAgent;
      config: RunConfig;
      plan: WorktreePlan;
      name: string;
      undo: (agentId: string) => Promise<void>;
    }) {
      const { parent, config, plan } = input;
      const info = await worktrees.info(parent.id);
      if (!info.isRepo)
        throw new AppError("BAD_INPUT", `${parent.name} is not in a git repository: a run in a new worktree needs one.`, {
          field: "worktree",
          hint: "Untick “Run in a new worktree” (in the Run sheet or the playbook) to run in the agent's own folder.",
        });
      const base = plan.target ? await baseOf(parent.folder, plan.target) : info.currentBranch;
      const expanded = expandBranchTemplate(plan.template, {
        playbook: input.name,
        documentName: config.documents[0]?.filename ?? "",
        agentName: parent.name,
        baseBranch: plan.target || info.currentBranch,
        now: new Date(),
      });
      if (!expanded.ok) throw new AppError("BAD_INPUT", expanded.message, { field: "branchNameTemplate" });
      const made = await oneAtATime(info.mainRepo, async () => {
        const taken = await takenBranches(parent.folder);
        for (let attempt = 0; ; attempt++) {
          const branch = uniqueBranch(expanded.branch, (n) => taken.has(n));
          try {
            return await worktrees.create({ parentId: parent.id, branch, base });
          } catch (err) {
            // The branch is free but its folder is taken (a worktree left behind): the next name.
            if (!(err instanceof AppError) || err.code !== "CONFLICT" || attempt >= 20) throw err;
            taken.add(branch);
          }
        }
      });
      const child = made.agent;
      const childAgent: RunAgent = { id: child.id, name: child.name, folder: child.folder, settingsJson: parent.settingsJson };
      try {
        const from = await autorunFolderOf(parent);
        const to = await autorunFolderOf(childAgent);
        for (const d of config.documents) {
          const text = await readDocument(await documentPath(from, d.filename), d.filename);
          const target = await documentPath(to, d.filename);
          await fs.mkdir(path.dirname(target), { recursive: true });
          await fs.writeFile(target, text);
        }
      } catch (err) {
        await input.undo(child.id);
        throw err;
      }
      const target = plan.target || (info.currentBranch === "HEAD" ? null : info.currentBranch);
      return {
        agent: child,
        branch: child.worktreeBranch ?? "",
        config: { ...config, worktreeSettings: worktreeSettingsOf({ ...plan, target }) },
      };
    },

    /**
     * Before the first task: what is untracked now (the setup script's `.env`, logs, caches) is
     * the setup's, never a task's change. Recorded once, so a restart keeps the first answer.
     */
    async recordSetupLeftovers(agent: RunAgent): Promise<void> {
      const file = await setupLeftFile(agent.folder);
      if (
        !file ||
        (await fs.access(file).then(
          () => true,
          () => false,
        ))
      )
        return;
      const r = await runGit(["ls-files", "--others", "--exclude-standard", "--directory", "-z"], { cwd: agent.folder });
      if (r.code === 0) await fs.writeFile(file, r.stdout);
    },

    /** The worktree's setup script (if any) has ended: its error, or null. */
    async setupProblem(agentId: string): Promise<string | null> {
      const s = await worktrees.setupFinished(agentId);
      return s && s.status === "failed" ? `The worktree's setup script failed: ${s.error ?? "no reason given"}` : null;
    },

    /**
     * A ticked task's change, committed on the run's branch: null, or why it could not be (the
     * run then pauses, so the next task's commit never sweeps this one's change in unseen).
     */
    async commitTask(agent: RunAgent, taskText: string): Promise<string | null> {
      try {
        await commitAll(agent, taskCommitMessage(taskText));
        return null;
      } catch (err) {
        logger.error(`autorun commit in ${agent.folder}: ${messageOf(err)}`);
        return `“${taskText}” is done, but its change could not be committed: ${messageOf(err)} Fix that, then Resume to commit it and go on.`;
      }
    },

    /** Resume after a failed task commit: the commit again, under the last done task's name. */
    async retryCommit(run: RunRow, agent: RunAgent | null): Promise<string | null> {
      if (!agent) return null;
      const last = await db.autorunAttempt.findFirst({
        where: { runId: run.id, status: "done" },
        orderBy: { startedAt: "desc" },
        select: { taskText: true },
      });
      return this.commitTask(agent, last?.taskText ?? run.name);
    },

    /**
     * A completed run: what is left is committed, then (when asked) the branch is pushed and the
     * pull request opened. Never throws: what went wrong is the outcome's warning. Nothing is
     * pushed when the last commit failed or the branch has no commit of its own.
     */
    async finish(run: RunRow, agent: RunAgent | null, summary: string): Promise<PrOutcome> {
      const branch = run.worktreeBranch ?? "";
      const warnings: string[] = [];
      const result = (more: Partial<PrOutcome> = {}, warning?: string): PrOutcome => {
        const all = [...warnings, ...(warning ? [warning] : [])];
        return { branch, url: null, via: null, ...more, warning: all.length ? all.join(" ") : null };
      };
      const plan = worktreePlan(configOf(run).worktreeSettings);
      if (!agent || !plan) return result();
      let committed = true;
      try {
        await commitAll(agent, `Auto Run: ${run.name}`.slice(0, 72));
      } catch (err) {
        committed = false;
        warnings.push(`The last changes could not be committed: ${messageOf(err)}`);
      }
      if (!plan.createPr) return result();
      if (!committed) return result({}, "So the branch was not pushed and no pull request was opened.");
      if (run.tasksDone === 0) return result({}, "No task was done, so no pull request was opened.");
      if ((await ownCommits(agent.folder, branch)) === 0)
        return result({}, "The branch has no commits of its own, so no pull request was opened.");
      const finish = deps.finish();
      if (!finish) return result({}, "Opening pull requests is not available on this bridge.");
      const tasks = await db.autorunAttempt.findMany({
        where: { runId: run.id, status: "done" },
        orderBy: { startedAt: "asc" },
        select: { taskText: true },
      });
      const text = pullRequestText({
        runName: run.name,
        documents: configOf(run).documents.map((d) => d.filename),
        tasks: tasks.map((t) => t.taskText),
        summary,
        branch,
      });
      try {
        // createPr pushes the branch first (a failed push throws, and nothing is opened).
        const pr = await finish.createPr({ agentId: agent.id, base: plan.target ?? undefined, ...text });
        const url = pr.url || null;
        const warning = pr.via === "gh" ? pr.reason : pr.reason || (url ? undefined : "No pull request could be opened for this remote.");
        return result({ url, via: pr.via }, warning);
      } catch (err) {
        return result({}, `The branch could not be pushed or its pull request opened: ${messageOf(err)}`);
      }
    },
  };
}

export type WorktreeRuns = ReturnType<typeof createWorktreeRuns>;
