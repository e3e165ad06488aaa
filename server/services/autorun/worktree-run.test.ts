import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunConfigInput } from "../../../lib/autorun/run-config";
import { readServicesEnv } from "../../env";
import type { BusEvents } from "../../events/bus";
import { gitOk } from "../git/run-git";
import { createTestServices, tempDir } from "../../testing/harness";

/**
 * Auto Run in a new worktree, end to end through real git: a repository with a bare `origin`, the
 * simulator doing the tasks (it writes the files a task names), the runner making the worktree
 * agent, committing each ticked task, and at the end pushing and opening the pull request.
 */
let services: ReturnType<typeof createTestServices>;
const simHome = tempDir("maestro-simhome-");
const ghDir = tempDir("maestro-fake-gh-");
const dirs: string[] = [simHome, ghDir];
const notices: BusEvents["notify"][] = [];
const finished: BusEvents["git.finished"][] = [];
// The test-only gh stand-in (test/bin/gh) first on the services' PATH; its state in ghDir.
const FAKE_GH_BIN = path.resolve(import.meta.dirname, "../../../test/bin");
const setGhAuth = (on: boolean) =>
  on ? fs.writeFileSync(path.join(ghDir, "authenticated"), "") : fs.rmSync(path.join(ghDir, "authenticated"), { force: true });
const ghLog = () =>
  fs.existsSync(path.join(ghDir, "log.jsonl"))
    ? fs
        .readFileSync(path.join(ghDir, "log.jsonl"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, string>)
    : [];

beforeAll(() => {
  process.env.MAESTRO_SIM_HOME = simHome;
  services = createTestServices({
    env: { ...readServicesEnv(), path: `${FAKE_GH_BIN}${path.delimiter}${process.env.PATH ?? ""}` },
    finish: { env: { MAESTRO_FAKE_GH_DIR: ghDir }, ghCacheMs: 0 },
    turns: { idleTimeoutMs: 10_000, stopGraceMs: 300 },
  });
  services.bus.subscribe("notify", (n) => notices.push(n));
  services.bus.subscribe("git.finished", (e) => finished.push(e));
});
afterAll(async () => {
  await services.cleanup();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) => gitOk(args, { cwd });

const PLAN = `# Plan

- [ ] write one.txt
- [ ] write two.txt
- [ ] write three.txt
`;

/**
 * A repository `<tmp>/app` with one commit on main, a bare origin, and an agent whose Auto Run
 * folder holds plan.md (untracked). `github`: origin reads as https://github.com/acme/app.git
 * while `url.<bare>.insteadOf` sends its fetches and pushes to the bare repository.
 */
async function repoProject(opts: { github?: boolean } = {}) {
  const root = fs.realpathSync(tempDir("maestro-wtrun-"));
  dirs.push(root);
  const origin = path.join(root, "origin.git");
  const repo = path.join(root, "app");
  fs.mkdirSync(repo);
  await git(root, "init", "-q", "--bare", "-b", "main", origin);
  await git(repo, "init", "-q", "-b", "main");
  await git(repo, "config", "user.name", "Test");
  await git(repo, "config", "user.email", "test@example.com");
  fs.writeFileSync(path.join(repo, "README.md"), "app\n");
  await git(repo, "add", "--", "README.md");
  await git(repo, "commit", "-q", "-m", "init");
  if (opts.github) {
    await git(repo, "remote", "add", "origin", "https://github.com/acme/app.git");
    await git(repo, "config", `url.${origin}.insteadOf`, "https://github.com/acme/app.git");
  } else await git(repo, "remote", "add", "origin", origin);
  await git(repo, "push", "-q", "origin", "main");
  const folder = path.join(repo, ".maestro", "playbooks");
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "plan.md"), PLAN);
  const agent = await services.agents.create({ name: "App", folder: repo, provider: "simulator" });
  return { root, repo, origin, folder, agent };
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const ended = (id: string) =>
  waitFor(`run ${id} to end`, async () => {
    const r = await services.db.autorunRun.findUniqueOrThrow({ where: { id } });
    return ["done", "aborted", "halted", "error"].includes(r.status) ? r : null;
  });

const config = (worktreeSettings: RunConfigInput["worktreeSettings"]): RunConfigInput => ({
  documents: [{ filename: "plan.md" }],
  worktreeSettings,
});

describe("a run in a new worktree", () => {
  test("works in its own worktree agent: one commit per ticked task on its branch, the parent's tree untouched", async () => {
    const { repo, agent } = await repoProject();
    const before = await git(repo, "status", "--porcelain");
    const started = await services.autorun.start({
      agentId: agent.id,
      name: "Nightly",
      config: config({ branchNameTemplate: "autorun/{{PLAYBOOK}}", createPROnCompletion: false }),
    });
    expect(started.worktreeBranch).toBe("autorun/nightly");
    const child = await services.db.agent.findUniqueOrThrow({ where: { id: started.agentId } });
    expect(child).toMatchObject({ parentId: agent.id, worktreeBranch: "autorun/nightly" });
    expect(started.worktreeAgentId).toBe(child.id);
    const run = await ended(started.id);
    expect(run.status).toBe("done");
    expect(run.tasksDone).toBe(3);
    expect(run.prUrl).toBeNull();

    // The branch: three commits on top of main, each naming its task and holding its file.
    const log = (await git(repo, "log", "--format=%s", "main..autorun/nightly")).trim().split("\n");
    expect(log).toEqual(["Auto Run: write three.txt", "Auto Run: write two.txt", "Auto Run: write one.txt"]);
    for (const [i, file] of ["three.txt", "two.txt", "one.txt"].entries()) {
      const changed = (await git(repo, "show", "--name-only", "--format=", `autorun/nightly~${i}`)).trim();
      expect(changed).toBe(file);
    }
    // Each commit told the worktree agent's git status to look again.
    expect(finished.filter((e) => e.agentId === child.id && e.action === "commit")).toHaveLength(3);
    // The run ticked its own copy; the parent's document and working tree are as they were.
    expect(fs.readFileSync(path.join(child.folder, ".maestro", "playbooks", "plan.md"), "utf8")).not.toContain("- [ ]");
    expect(fs.readFileSync(path.join(repo, ".maestro", "playbooks", "plan.md"), "utf8")).toBe(PLAN);
    expect(await git(repo, "status", "--porcelain")).toBe(before);
    expect(fs.existsSync(path.join(repo, "one.txt"))).toBe(false);
    // The run's History entry names the branch.
    const entry = await services.db.historyEntry.findFirstOrThrow({ where: { runId: run.id, kind: "autorun-run" } });
    expect(entry.detail).toBe("done\nBranch: autorun/nightly");
  });

  test("with createPROnCompletion: the branch with its three tasks is pushed to origin and the pull request is in History", async () => {
    setGhAuth(true);
    const { repo, origin, agent } = await repoProject({ github: true });
    const started = await services.autorun.start({
      agentId: agent.id,
      name: "Ship it",
      config: config({ branchNameTemplate: "autorun/{{PLAYBOOK}}", createPROnCompletion: true }),
    });
    const run = await ended(started.id);
    expect(run).toMatchObject({ status: "done", tasksDone: 3, prVia: "gh", prWarning: null });
    // The bare origin holds the branch: three commits over main, one per ticked task, with its file.
    const pushed = (await git(origin, "log", "--format=%s", "main..autorun/ship-it")).trim().split("\n");
    expect(pushed).toEqual(["Auto Run: write three.txt", "Auto Run: write two.txt", "Auto Run: write one.txt"]);
    expect((await git(origin, "show", "autorun/ship-it:two.txt")).length).toBeGreaterThan(0);
    // gh was asked for one pull request, into the branch the worktree started from, naming the tasks.
    const prs = ghLog().filter((p) => p.head === "autorun/ship-it");
    expect(prs).toHaveLength(1);
    expect(prs[0]).toMatchObject({ base: "main", title: "Auto Run: Ship it", url: run.prUrl });
    expect(prs[0]!.body).toContain("- [x] write one.txt\n- [x] write two.txt\n- [x] write three.txt");
    const entry = await services.db.historyEntry.findFirstOrThrow({ where: { runId: run.id, kind: "autorun-run" } });
    expect(entry.detail).toBe(`done\nBranch: autorun/ship-it\nPull request: ${run.prUrl}`);
    // The notification names the pull request and opens the run page that goes on to it.
    const note = notices.find((n) => n.kind === "run-done" && n.agentId === run.agentId);
    expect(note).toMatchObject({ title: "Pull request opened: Ship it", body: run.prUrl, url: `/autorun/runs/${run.id}?open=pr` });
    expect(fs.existsSync(path.join(repo, "one.txt"))).toBe(false);
  });

  test("gh not logged in: the branch is still pushed, the compare page is the link, the reason a warning", async () => {
    setGhAuth(false);
    const { origin, agent } = await repoProject({ github: true });
    const started = await services.autorun.start({
      agentId: agent.id,
      name: "No gh",
      config: config({ branchNameTemplate: "autorun/{{PLAYBOOK}}", createPROnCompletion: true }),
    });
    const run = await ended(started.id);
    expect(run).toMatchObject({
      status: "done",
      prVia: "compare",
      prUrl: "https://github.com/acme/app/compare/main...autorun/no-gh?expand=1",
    });
    expect(run.prWarning).toMatch(/not logged in/);
    expect((await git(origin, "log", "--format=%s", "main..autorun/no-gh")).trim().split("\n")).toHaveLength(3);
    const entry = await services.db.historyEntry.findFirstOrThrow({ where: { runId: run.id, kind: "autorun-run" } });
    expect(entry.success).toBe(true);
    expect(entry.detail).toContain(`Open a pull request: ${run.prUrl}`);
    expect(entry.detail).toMatch(/Warning: .*not logged in/);
  });

  test("a failed pull request does not fail the run: no remote is a warning, the branch and its commits stay", async () => {
    const { repo, agent } = await repoProject();
    await git(repo, "remote", "remove", "origin");
    const started = await services.autorun.start({
      agentId: agent.id,
      name: "Offline",
      config: config({ branchNameTemplate: "autorun/{{PLAYBOOK}}", createPROnCompletion: true }),
    });
    const run = await ended(started.id);
    expect(run).toMatchObject({ status: "done", prUrl: null, prVia: null });
    expect(run.prWarning).toMatch(/could not be pushed or its pull request opened: .*no remote/);
    expect((await git(repo, "log", "--format=%s", "main..autorun/offline")).trim().split("\n")).toHaveLength(3);
  });

  test("two runs of the same playbook in parallel: two worktrees, two branches (-2), neither touches the other's files", async () => {
    const { repo, agent } = await repoProject();
    const settings = { branchNameTemplate: "autorun/{{DOCUMENT_NAME}}", createPROnCompletion: false };
    const [a, b] = await Promise.all([
      services.autorun.start({ agentId: agent.id, name: "P", config: config(settings) }),
      services.autorun.start({ agentId: agent.id, name: "P", config: config(settings) }),
    ]);
    expect([a.worktreeBranch, b.worktreeBranch].sort()).toEqual(["autorun/plan", "autorun/plan-2"]);
    expect(a.agentId).not.toBe(b.agentId);
    const [ra, rb] = await Promise.all([ended(a.id), ended(b.id)]);
    expect([ra.status, rb.status]).toEqual(["done", "done"]);
    expect([ra.tasksDone, rb.tasksDone]).toEqual([3, 3]);
    for (const r of [ra, rb]) {
      const log = (await git(repo, "log", "--format=%s", `main..${r.worktreeBranch}`)).trim().split("\n");
      expect(log).toHaveLength(3);
      // Exactly the three files of its own tasks, nothing of the other run's (no doubled commits, no stray doc).
      const files = (await git(repo, "diff", "--name-only", `main...${r.worktreeBranch}`)).trim().split("\n").sort();
      expect(files).toEqual(["one.txt", "three.txt", "two.txt"]);
    }
    expect(fs.readFileSync(path.join(repo, ".maestro", "playbooks", "plan.md"), "utf8")).toBe(PLAN);
    expect((await git(repo, "status", "--porcelain")).trim()).toBe("?? .maestro/");
  });

  test("the repository's setup script runs first; when it fails the run pauses once, and Resume runs the tasks", async () => {
    const { repo, agent } = await repoProject();
    fs.writeFileSync(path.join(repo, "setup.sh"), "echo preparing\nexit 3\n");
    await services.agents.updateSettings(agent.id, { worktreeSetup: "setup.sh" });
    const started = await services.autorun.start({
      agentId: agent.id,
      config: config({ branchNameTemplate: "autorun/setup", createPROnCompletion: false }),
    });
    const paused = await waitFor("the run to pause", async () => {
      const r = await services.db.autorunRun.findUniqueOrThrow({ where: { id: started.id } });
      return r.status === "paused" ? r : null;
    });
    expect(paused.pauseReason).toMatch(
      /setup script failed: The setup script setup.sh failed with exit status 3\. Resume to run the tasks anyway\./,
    );
    expect(paused.tasksDone).toBe(0);
    await services.autorun.resume(started.id);
    const run = await ended(started.id);
    expect(run).toMatchObject({ status: "done", tasksDone: 3 });
  });

  test("a template that gives a hostile branch name is refused with a clear error, and nothing is made", async () => {
    const { repo, agent } = await repoProject();
    const agentsBefore = await services.db.agent.count();
    for (const [template, message] of [
      ["--upload-pack=x", /cannot start with “-”/],
      ["a..b", /“\.\.”/],
      ["{{WHO}}", /does not know/],
    ] as const) {
      await expect(
        services.autorun.start({ agentId: agent.id, config: config({ branchNameTemplate: template, createPROnCompletion: true }) }),
      ).rejects.toThrow(message);
    }
    expect(await services.db.agent.count()).toBe(agentsBefore);
    expect((await git(repo, "branch", "--format=%(refname:short)")).trim()).toBe("main");
    expect(await services.db.autorunRun.count({ where: { agentId: agent.id } })).toBe(0);
  });

  test("a start that fails after the worktree agent was made takes it back: no agent, worktree or branch left", async () => {
    const { repo, agent } = await repoProject();
    // Branch other tracks a file named .maestro, so the Auto Run folder cannot be made in its worktree.
    const gitIn = (input: string, ...args: string[]) => execFileSync("git", args, { cwd: repo, input, encoding: "utf8" }).trim();
    const blob = gitIn("not a folder\n", "hash-object", "-w", "--stdin");
    const tree = gitIn(`100644 blob ${blob}\t.maestro\n`, "mktree");
    const commit = (await git(repo, "commit-tree", tree, "-p", "main", "-m", "other")).trim();
    await git(repo, "branch", "other", commit);
    const agentsBefore = await services.db.agent.count();
    await expect(
      services.autorun.start({
        agentId: agent.id,
        config: config({ branchNameTemplate: "autorun/orphan", createPROnCompletion: false, prTargetBranch: "other" }),
      }),
    ).rejects.toThrow();
    expect(await services.db.agent.count()).toBe(agentsBefore);
    expect((await git(repo, "worktree", "list", "--porcelain")).match(/^worktree /gm)).toHaveLength(1);
    expect((await git(repo, "branch", "--list", "autorun/orphan")).trim()).toBe("");
    expect(await services.db.autorunRun.count({ where: { agentId: agent.id } })).toBe(0);
  });

  test("an agent outside a git repository cannot run in a worktree", async () => {
    const folder = tempDir("maestro-norepo-");
    dirs.push(folder);
    fs.mkdirSync(path.join(folder, ".maestro", "playbooks"), { recursive: true });
    fs.writeFileSync(path.join(folder, ".maestro", "playbooks", "plan.md"), PLAN);
    const agent = await services.agents.create({ name: "Plain", folder, provider: "simulator" });
    await expect(
      services.autorun.start({ agentId: agent.id, config: config({ branchNameTemplate: "x", createPROnCompletion: false }) }),
    ).rejects.toThrow(/not in a git repository/);
  });
});

/** A git hook in the repository (worktrees share the main repository's hooks). */
function hook(repo: string, name: string, script: string) {
  const file = path.join(repo, ".git", "hooks", name);
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`);
  fs.chmodSync(file, 0o755);
}
const pausedRun = (id: string) =>
  waitFor("the run to pause", async () => {
    const r = await services.db.autorunRun.findUniqueOrThrow({ where: { id } });
    return r.status === "paused" ? r : null;
  });

describe("a run in a new worktree whose commits fail", () => {
  test("a task's failed commit pauses the run with git's first line; Resume retries the commit, then goes on", async () => {
    const { root, repo, agent } = await repoProject();
    const block = path.join(root, "block");
    fs.writeFileSync(block, "");
    hook(repo, "pre-commit", `if [ -e "${block}" ]; then echo "lint: style check failed" >&2; echo "second line" >&2; exit 1; fi`);
    const started = await services.autorun.start({
      agentId: agent.id,
      name: "Hooked",
      config: config({ branchNameTemplate: "autorun/hooked", createPROnCompletion: false }),
    });
    const paused = await pausedRun(started.id);
    expect(paused).toMatchObject({ pauseKind: "commit", tasksDone: 1 });
    expect(paused.pauseReason).toBe(
      "“write one.txt” is done, but its change could not be committed: git commit failed: lint: style check failed Fix that, then Resume to commit it and go on.",
    );
    expect(notices.some((n) => n.kind === "run-paused" && n.agentId === started.agentId && /lint: style check failed/.test(n.body))).toBe(
      true,
    );
    // Still failing: Resume says why and the run stays paused, nothing of the task committed.
    await expect(services.autorun.resume(started.id)).rejects.toThrow(/lint: style check failed/);
    expect((await services.db.autorunRun.findUniqueOrThrow({ where: { id: started.id } })).status).toBe("paused");
    expect((await git(repo, "log", "--format=%s", "main..autorun/hooked")).trim()).toBe("");
    fs.rmSync(block);
    await services.autorun.resume(started.id);
    const run = await ended(started.id);
    expect(run).toMatchObject({ status: "done", tasksDone: 3 });
    const log = (await git(repo, "log", "--format=%s", "main..autorun/hooked")).trim().split("\n");
    expect(log).toEqual(["Auto Run: write three.txt", "Auto Run: write two.txt", "Auto Run: write one.txt"]);
    expect((await git(repo, "show", "--name-only", "--format=", "autorun/hooked~2")).trim()).toBe("one.txt");
  });

  test("the last commit fails: nothing is pushed, no pull request, and the warning says both", async () => {
    setGhAuth(true);
    const { repo, origin, agent } = await repoProject({ github: true });
    // Each commit's hook leaves a change behind (after git add), so the run's last commit has work;
    // that commit's message is refused.
    hook(repo, "pre-commit", "date >> lint.log");
    hook(repo, "commit-msg", `if grep -q "^Auto Run: Last$" "$1"; then echo "commit-msg: refused" >&2; exit 1; fi`);
    const started = await services.autorun.start({
      agentId: agent.id,
      name: "Last",
      config: config({ branchNameTemplate: "autorun/last", createPROnCompletion: true }),
    });
    const run = await ended(started.id);
    expect(run).toMatchObject({ status: "done", tasksDone: 3, prUrl: null, prVia: null });
    expect(run.prWarning).toBe(
      "The last changes could not be committed: git commit failed: commit-msg: refused So the branch was not pushed and no pull request was opened.",
    );
    expect((await git(origin, "branch", "--list", "autorun/last")).trim()).toBe("");
    expect(ghLog().filter((p) => p.head === "autorun/last")).toHaveLength(0);
  });

  test("tasks that changed nothing: the branch has no commits of its own, so nothing is pushed", async () => {
    setGhAuth(true);
    const { origin, folder, agent } = await repoProject({ github: true });
    fs.writeFileSync(path.join(folder, "plan.md"), "# Plan\n\n- [ ] review the code\n");
    const started = await services.autorun.start({
      agentId: agent.id,
      name: "Empty",
      config: config({ branchNameTemplate: "autorun/empty", createPROnCompletion: true }),
    });
    const run = await ended(started.id);
    expect(run).toMatchObject({ status: "done", tasksDone: 1, prUrl: null, prVia: null });
    expect(run.prWarning).toBe("The branch has no commits of its own, so no pull request was opened.");
    expect((await git(origin, "branch", "--list", "autorun/empty")).trim()).toBe("");
    expect(ghLog().filter((p) => p.head === "autorun/empty")).toHaveLength(0);
  });
});

describe("the end of a run in a new worktree", () => {
  /** A run whose push waits (a pre-push hook) until `go` exists; `pushing` appears when the push starts. */
  async function slowHandOver(name: string) {
    setGhAuth(true);
    const { root, repo, agent } = await repoProject({ github: true });
    const pushing = path.join(root, "pushing");
    const go = path.join(root, "go");
    hook(repo, "pre-push", `touch "${pushing}"; i=0; while [ ! -e "${go}" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done`);
    const started = await services.autorun.start({
      agentId: agent.id,
      name,
      config: config({ branchNameTemplate: `autorun/{{PLAYBOOK}}`, createPROnCompletion: true }),
    });
    await waitFor("the push to start", async () => fs.existsSync(pushing));
    return { started, release: () => fs.writeFileSync(go, "") };
  }
  const endsOf = async (runId: string, agentId: string) => ({
    history: await services.db.historyEntry.count({ where: { runId, kind: "autorun-run" } }),
    notices: notices.filter((n) => n.kind === "run-done" && n.agentId === agentId).length,
  });

  test("Abort, Stop and Pause during the hand-over are refused; the run ends once, done, with its pull request", async () => {
    const { started, release } = await slowHandOver("Busy end");
    await expect(services.autorun.abort(started.id)).rejects.toThrow(
      /pushing its branch and opening its pull request; it cannot be aborted/,
    );
    await expect(services.autorun.stop(started.id)).rejects.toThrow(/cannot stop now/);
    await expect(services.autorun.pause(started.id)).rejects.toThrow(/cannot pause now/);
    release();
    const run = await ended(started.id);
    await services.autorun.settled(started.id);
    expect(run).toMatchObject({ status: "done", prVia: "gh" });
    expect(run.prUrl).toMatch(/^https:\/\//);
    expect(await endsOf(run.id, run.agentId)).toEqual({ history: 1, notices: 1 });
    // Abort once it ended: refused as for any ended run, nothing recorded twice.
    await expect(services.autorun.abort(started.id)).rejects.toThrow(/This run is done/);
    expect(await endsOf(run.id, run.agentId)).toEqual({ history: 1, notices: 1 });
  });

  test("the agent deleted during the hand-over: its end waits for it, and the run ends once", async () => {
    const { started, release } = await slowHandOver("Deleted end");
    const ending = services.autorun.endAgentRuns(started.agentId);
    setTimeout(release, 200);
    await ending;
    const run = await services.db.autorunRun.findUniqueOrThrow({ where: { id: started.id } });
    expect(run).toMatchObject({ status: "done", prVia: "gh" });
    expect(await endsOf(run.id, run.agentId)).toEqual({ history: 1, notices: 1 });
  });
});

describe("the identity of a run's commits", () => {
  test("git's own identity where it has one; Maestro's only for the part it lacks", async () => {
    // No global or system git config: only the repository's, and git guesses nothing.
    const saved = { global: process.env.GIT_CONFIG_GLOBAL, nosystem: process.env.GIT_CONFIG_NOSYSTEM };
    const empty = path.join(tempDir("maestro-gitcfg-"), "config");
    dirs.push(path.dirname(empty));
    fs.writeFileSync(empty, "");
    process.env.GIT_CONFIG_GLOBAL = empty;
    process.env.GIT_CONFIG_NOSYSTEM = "1";
    try {
      const { repo, agent } = await repoProject();
      await git(repo, "config", "--unset", "user.email");
      await git(repo, "config", "user.useConfigOnly", "true");
      // The committer has a full identity of its own (committer.email), the author only a name.
      await git(repo, "config", "committer.email", "ci@example.com");
      const started = await services.autorun.start({
        agentId: agent.id,
        config: config({ branchNameTemplate: "autorun/who", createPROnCompletion: false }),
      });
      const run = await ended(started.id);
      expect(run).toMatchObject({ status: "done", tasksDone: 3 });
      const who = (await git(repo, "log", "--format=%an <%ae> / %cn <%ce>", "main..autorun/who")).trim().split("\n");
      expect(who).toEqual(Array(3).fill("Test <autorun@maestro.invalid> / Test <ci@example.com>"));
    } finally {
      for (const [k, v] of [
        ["GIT_CONFIG_GLOBAL", saved.global],
        ["GIT_CONFIG_NOSYSTEM", saved.nosystem],
      ] as const)
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
  });
});

describe("a run in a new worktree and its setup script", () => {
  test("what the setup script left untracked (.env, a log, a cache folder) is in no commit of the run", async () => {
    const { repo, agent } = await repoProject();
    fs.writeFileSync(path.join(repo, "setup.sh"), "echo SECRET=1 > .env\necho done > setup.log\nmkdir -p cache && echo x > cache/a\n");
    await services.agents.updateSettings(agent.id, { worktreeSetup: "setup.sh" });
    const started = await services.autorun.start({
      agentId: agent.id,
      config: config({ branchNameTemplate: "autorun/leftovers", createPROnCompletion: false }),
    });
    const run = await ended(started.id);
    expect(run).toMatchObject({ status: "done", tasksDone: 3 });
    const files = (await git(repo, "diff", "--name-only", "main...autorun/leftovers")).trim().split("\n").sort();
    expect(files).toEqual(["one.txt", "three.txt", "two.txt"]);
    const child = await services.db.agent.findUniqueOrThrow({ where: { id: started.agentId } });
    expect(fs.readFileSync(path.join(child.folder, ".env"), "utf8")).toBe("SECRET=1\n");
    expect((await git(child.folder, "status", "--porcelain", "--", ".env", "setup.log", "cache")).trim().split("\n").sort()).toEqual([
      "?? .env",
      "?? cache/",
      "?? setup.log",
    ]);
  });

  test("Abort while the setup script still runs ends the run at once", async () => {
    const { root, repo, agent } = await repoProject();
    const go = path.join(root, "go");
    fs.writeFileSync(path.join(repo, "setup.sh"), `i=0; while [ ! -e "${go}" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done\n`);
    await services.agents.updateSettings(agent.id, { worktreeSetup: "setup.sh" });
    const started = await services.autorun.start({
      agentId: agent.id,
      config: config({ branchNameTemplate: "autorun/slow-setup", createPROnCompletion: false }),
    });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    try {
      const view = await services.autorun.abort(started.id);
      expect(Date.now() - t0).toBeLessThan(3_000);
      expect(view.status).toBe("aborted");
      expect(await services.db.historyEntry.count({ where: { runId: started.id, kind: "autorun-run" } })).toBe(1);
    } finally {
      fs.writeFileSync(go, "");
    }
  });
});

describe("the branch a run in a new worktree takes", () => {
  test("a name taken only on the remote (refs/remotes/origin/…) counts as taken: the run takes -2", async () => {
    const { repo, agent } = await repoProject();
    await git(repo, "push", "-q", "origin", "main:refs/heads/autorun/taken");
    await git(repo, "fetch", "-q", "origin");
    expect((await git(repo, "branch", "--list", "autorun/taken")).trim()).toBe("");
    const started = await services.autorun.start({
      agentId: agent.id,
      config: config({ branchNameTemplate: "autorun/taken", createPROnCompletion: false }),
    });
    expect(started.worktreeBranch).toBe("autorun/taken-2");
    expect((await ended(started.id)).status).toBe("done");
  });

  test("a target branch only on the remote (origin/develop): the worktree starts from it, the pull request goes into develop", async () => {
    setGhAuth(true);
    const { repo, agent } = await repoProject({ github: true });
    // develop, one commit ahead of main, exists only on origin.
    await git(repo, "switch", "-q", "-c", "develop-tmp");
    fs.writeFileSync(path.join(repo, "develop.txt"), "develop\n");
    await git(repo, "add", "--", "develop.txt");
    await git(repo, "commit", "-q", "-m", "develop work");
    await git(repo, "push", "-q", "origin", "develop-tmp:refs/heads/develop");
    await git(repo, "switch", "-q", "main");
    await git(repo, "branch", "-q", "-D", "develop-tmp");
    await git(repo, "fetch", "-q", "origin");
    expect((await git(repo, "branch", "--list", "develop")).trim()).toBe("");
    const started = await services.autorun.start({
      agentId: agent.id,
      name: "Dev",
      config: config({ branchNameTemplate: "autorun/{{BASE_BRANCH}}-run", createPROnCompletion: true, prTargetBranch: "develop" }),
    });
    expect(started.worktreeBranch).toBe("autorun/develop-run");
    const run = await ended(started.id);
    expect(run).toMatchObject({ status: "done", prVia: "gh", prWarning: null });
    const log = (await git(repo, "log", "--format=%s", "origin/develop..autorun/develop-run")).trim().split("\n");
    expect(log).toEqual(["Auto Run: write three.txt", "Auto Run: write two.txt", "Auto Run: write one.txt"]);
    expect((await git(repo, "log", "-1", "--format=%s", "autorun/develop-run~3")).trim()).toBe("develop work");
    expect(ghLog().filter((p) => p.head === "autorun/develop-run")).toEqual([expect.objectContaining({ base: "develop" })]);
  });
});
