import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { readServicesEnv } from "../../env";
import { createTestServices, tempDir } from "../../testing/harness";
import { IDENTITY_HELP } from "./finish-repo";
import { gitOk, runGit } from "./run-git";

const FAKE_GH_BIN = path.resolve(import.meta.dirname, "../../../test/bin");
const root = fs.realpathSync(tempDir("maestro-finish-"));
const ghDir = path.join(root, "gh");
fs.mkdirSync(ghDir);
const emptyGlobal = path.join(root, "global.gitconfig");
fs.writeFileSync(emptyGlobal, "");
// The fake gh first on the services' PATH; git gets an empty global config, so each repository
// below names its own identity (or, on purpose, none).
const finishEnv = { MAESTRO_FAKE_GH_DIR: ghDir, GIT_CONFIG_GLOBAL: emptyGlobal };
const s = createTestServices({
  env: { ...readServicesEnv(), path: `${FAKE_GH_BIN}${path.delimiter}${process.env.PATH ?? ""}` },
  finish: { env: finishEnv, ghCacheMs: 0 },
});
afterAll(async () => {
  await s.cleanup();
  fs.rmSync(root, { recursive: true, force: true });
});

const ghLog = () =>
  fs.existsSync(path.join(ghDir, "log.jsonl"))
    ? fs
        .readFileSync(path.join(ghDir, "log.jsonl"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];
const setGhAuth = (on: boolean) =>
  on ? fs.writeFileSync(path.join(ghDir, "authenticated"), "") : fs.rmSync(path.join(ghDir, "authenticated"), { force: true });
beforeEach(() => {
  setGhAuth(false);
  fs.rmSync(path.join(ghDir, "log.jsonl"), { force: true });
});

const git = (cwd: string, ...args: string[]) => gitOk(args, { cwd }).then((o) => o.trim());
let n = 0;

/**
 * A repository `proj` (main, one commit) with a bare `origin.git` holding main, an agent on it and
 * a worktree agent on `feature/login`. `github: true` makes origin read as GitHub
 * (https://github.com/acme/app.git) while `url.<bare>.insteadOf` sends every fetch and push to
 * the local bare repository.
 */
async function fixture(opts: { github?: boolean; identity?: boolean } = {}) {
  const dir = path.join(root, `r${++n}`);
  const repo = path.join(dir, "proj");
  const bare = path.join(dir, "origin.git");
  fs.mkdirSync(repo, { recursive: true });
  await git(dir, "init", "-q", "--bare", "-b", "main", bare);
  await git(repo, "init", "-q", "-b", "main");
  if (opts.identity !== false) {
    await git(repo, "config", "user.name", "Ada Tester");
    await git(repo, "config", "user.email", "ada@example.com");
  } else await git(repo, "config", "user.useConfigOnly", "true");
  fs.writeFileSync(path.join(repo, "README.md"), "hello\n");
  await git(repo, "add", "-A");
  await git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "init");
  if (opts.github) {
    await git(repo, "remote", "add", "origin", "https://github.com/acme/app.git");
    await git(repo, "config", `url.${bare}.insteadOf`, "https://github.com/acme/app.git");
  } else await git(repo, "remote", "add", "origin", bare);
  await git(repo, "push", "-q", "origin", "main");
  const parent = await s.agents.create({ name: `Proj ${n}`, folder: repo, provider: "simulator" });
  await s.agents.updateSettings(parent.id, { simulatorDialect: "claude" });
  const { agent: child } = await s.worktrees.create({ parentId: parent.id, branch: "feature/login" });
  return { dir, repo, bare, parent, child, wt: child.folder };
}

describe("commit", () => {
  test("stages everything and commits with the typed message; then there is nothing to commit", async () => {
    const { wt, child } = await fixture();
    fs.writeFileSync(path.join(wt, "login.ts"), "export const login = 1;\n");
    fs.writeFileSync(path.join(wt, "README.md"), "hello again\n");
    const r = await s.finish.commit({ agentId: child.id, message: "  feat: add login\n\nFirst cut.  \n" });
    expect(r.sha).toBe(await git(wt, "rev-parse", "HEAD"));
    expect(r).toMatchObject({ branch: "feature/login", subject: "feat: add login" });
    expect(await git(wt, "log", "-1", "--format=%B")).toBe("feat: add login\n\nFirst cut.");
    expect(await git(wt, "log", "-1", "--format=%an <%ae>")).toBe("Ada Tester <ada@example.com>");
    expect(await git(wt, "show", "--name-only", "--format=", "HEAD")).toBe("README.md\nlogin.ts");
    expect(await git(wt, "status", "--porcelain")).toBe("");
    await expect(s.finish.commit({ agentId: child.id, message: "again" })).rejects.toThrow(/Nothing to commit/);
  });

  test("the Auto Run folder's checklist copies are left out of Commit and of finishInfo's dirty count", async () => {
    const { wt, child } = await fixture();
    fs.mkdirSync(path.join(wt, ".maestro", "playbooks"), { recursive: true });
    fs.writeFileSync(path.join(wt, ".maestro", "playbooks", "Plan.md"), "- [x] done\n");
    expect(await s.finish.finishInfo({ agentId: child.id })).toMatchObject({ dirty: 0 });
    await expect(s.finish.commit({ agentId: child.id, message: "only copies" })).rejects.toThrow(/Nothing to commit/);
    fs.writeFileSync(path.join(wt, "login.ts"), "export const login = 1;\n");
    expect(await s.finish.finishInfo({ agentId: child.id })).toMatchObject({ dirty: 1 });
    await s.finish.commit({ agentId: child.id, message: "feat: add login" });
    expect(await git(wt, "show", "--name-only", "--format=", "HEAD")).toBe("login.ts");
    expect(await git(wt, "status", "--porcelain", "--untracked-files=all")).toBe("?? .maestro/playbooks/Plan.md");
    // A folder the agent's settings name instead is the one left out.
    await s.agents.updateSettings(child.id, { autorunFolder: "docs/runs" });
    fs.mkdirSync(path.join(wt, "docs", "runs"), { recursive: true });
    fs.writeFileSync(path.join(wt, "docs", "runs", "Other.md"), "- [ ] x\n");
    await s.finish.commit({ agentId: child.id, message: "chore: the old copies" });
    expect(await git(wt, "show", "--name-only", "--format=", "HEAD")).toBe(".maestro/playbooks/Plan.md");
  });

  test("a message that looks like options or shell is only a message", async () => {
    const { wt, child } = await fixture();
    fs.writeFileSync(path.join(wt, "x.txt"), "x\n");
    await s.finish.commit({ agentId: child.id, message: "--amend --no-verify $(touch pwned) `id`; rm -rf ." });
    expect(await git(wt, "log", "-1", "--format=%s")).toBe("--amend --no-verify $(touch pwned) `id`; rm -rf .");
    expect(await git(wt, "rev-list", "--count", "HEAD")).toBe("2");
    expect(fs.existsSync(path.join(wt, "pwned"))).toBe(false);
  });

  test("an empty message, a folder outside git, and a missing identity are refused with what to do", async () => {
    const { wt, child } = await fixture({ identity: false });
    fs.writeFileSync(path.join(wt, "x.txt"), "x\n");
    await expect(s.finish.commit({ agentId: child.id, message: " \n " })).rejects.toThrow("Type a commit message.");
    await expect(s.finish.commit({ agentId: child.id, message: "add x" })).rejects.toThrow(IDENTITY_HELP);
    // Nothing was staged on the way to the refusal.
    expect(await git(wt, "status", "--porcelain")).toBe("?? x.txt");

    const plain = fs.mkdtempSync(path.join(root, "plain-"));
    const a = await s.agents.create({ name: "Plain", folder: plain, provider: "simulator" });
    await expect(s.finish.commit({ agentId: a.id, message: "x" })).rejects.toThrow(/not in a git repository/);
    expect(await s.finish.finishInfo({ agentId: a.id })).toEqual({ isRepo: false });
  });
});

describe("push", () => {
  test("pushes the branch to origin and sets its upstream; a rewritten branch is rejected with a clear error", async () => {
    const { wt, bare, child } = await fixture();
    fs.writeFileSync(path.join(wt, "a.txt"), "a\n");
    await s.finish.commit({ agentId: child.id, message: "add a" });
    expect(await s.finish.push({ agentId: child.id })).toEqual({ branch: "feature/login", remote: "origin" });
    expect(await git(bare, "rev-parse", "feature/login")).toBe(await git(wt, "rev-parse", "HEAD"));
    expect(await git(wt, "rev-parse", "--abbrev-ref", "feature/login@{upstream}")).toBe("origin/feature/login");

    await git(wt, "commit", "-q", "--amend", "-m", "rewritten");
    await expect(s.finish.push({ agentId: child.id })).rejects.toThrow(/origin has commits on feature\/login that this worktree does not/);
  });

  test("the person's own core.sshCommand is the ssh git runs (not replaced by batch-mode ssh)", async () => {
    const { dir, wt, repo, child } = await fixture();
    const marker = path.join(dir, "ssh-ran");
    const fakeSsh = path.join(dir, "my-ssh.sh");
    fs.writeFileSync(fakeSsh, `#!/bin/sh\necho "$@" > "${marker}"\nexit 1\n`, { mode: 0o755 });
    await git(repo, "remote", "set-url", "origin", "ssh://git@example.invalid/acme/app.git");
    await git(repo, "config", "core.sshCommand", fakeSsh);
    fs.writeFileSync(path.join(wt, "a.txt"), "a\n");
    await s.finish.commit({ agentId: child.id, message: "add a" });
    await expect(s.finish.push({ agentId: child.id })).rejects.toThrow(/git push to origin failed/);
    expect(fs.readFileSync(marker, "utf8")).toMatch(/example\.invalid/);
  });

  test("push goes where git would push: branch.<b>.pushRemote, then remote.pushDefault, then origin", async () => {
    const { dir, wt, repo, bare, child } = await fixture();
    const fork = path.join(dir, "fork.git");
    await git(dir, "init", "-q", "--bare", "-b", "main", fork);
    await git(repo, "remote", "add", "fork", fork);
    await git(repo, "config", "remote.pushDefault", "fork");
    fs.writeFileSync(path.join(wt, "a.txt"), "a\n");
    await s.finish.commit({ agentId: child.id, message: "add a" });
    expect(await s.finish.push({ agentId: child.id })).toMatchObject({ remote: "fork" });
    expect(await git(fork, "rev-parse", "feature/login")).toBe(await git(wt, "rev-parse", "HEAD"));
    expect((await runGit(["rev-parse", "--verify", "-q", "feature/login"], { cwd: bare })).code).not.toBe(0);
    await git(repo, "config", "branch.feature/login.pushRemote", "origin");
    expect(await s.finish.push({ agentId: child.id })).toMatchObject({ remote: "origin" });
    expect(await git(bare, "rev-parse", "feature/login")).toBe(await git(wt, "rev-parse", "HEAD"));
  });

  test("no remote: a sentence saying how to add one", async () => {
    const { repo, child } = await fixture();
    await git(repo, "remote", "remove", "origin");
    await expect(s.finish.push({ agentId: child.id })).rejects.toThrow(/no remote to push to: add one with git remote add origin/);
  });
});

describe("createPr", () => {
  test("gh logged in: pushes, runs gh pr create with the branch's commits as title/body, and records the URL in History", async () => {
    const { wt, bare, child } = await fixture({ github: true });
    setGhAuth(true);
    fs.writeFileSync(path.join(wt, "a.txt"), "a\n");
    await s.finish.commit({ agentId: child.id, message: "feat: add a" });
    fs.writeFileSync(path.join(wt, "b.txt"), "b\n");
    await s.finish.commit({ agentId: child.id, message: "feat: add b" });
    await s.history.record({ kind: "autorun-task", agentId: child.id, success: true, summary: "Wrote the login form." });

    const r = await s.finish.createPr({ agentId: child.id });
    expect(r).toMatchObject({
      url: "https://github.com/acme/app/pull/1",
      via: "gh",
      branch: "feature/login",
      base: "main",
      title: "Login",
    });
    expect(r.reason).toBeUndefined();
    expect(await git(bare, "rev-parse", "feature/login")).toBe(await git(wt, "rev-parse", "HEAD"));
    const [call] = ghLog();
    expect(call).toMatchObject({
      base: "main",
      head: "feature/login",
      title: "Login",
      body: "- feat: add a\n- feat: add b\n\nAuto Run:\n- Wrote the login form.",
      draft: false,
      repo: "acme/app",
    });
    expect(fs.realpathSync(call!.cwd as string)).toBe(wt);
    const h = await s.history.list({ agentId: child.id, kinds: ["git-pr"] });
    expect(h.items.map((i) => [i.summary, i.success])).toEqual([
      ["Pull request for feature/login into main: https://github.com/acme/app/pull/1", true],
    ]);

    // Asked again: gh says it exists, and its URL is the answer.
    const again = await s.finish.createPr({ agentId: child.id, title: "Mine", body: "Body" });
    expect(again).toMatchObject({
      url: "https://github.com/acme/app/pull/1",
      via: "gh",
      reason: "A pull request for this branch already exists.",
    });
  });

  test("one commit: its subject and body; typed title, body and draft win", async () => {
    const { wt, child } = await fixture({ github: true });
    setGhAuth(true);
    fs.writeFileSync(path.join(wt, "a.txt"), "a\n");
    await s.finish.commit({ agentId: child.id, message: "fix: the login\n\nIt failed on empty names." });
    await s.finish.createPr({ agentId: child.id });
    await s.finish.createPr({ agentId: child.id, base: "dev", title: "Typed", body: "Typed body", draft: true });
    expect(ghLog().map((c) => [c.base, c.title, c.body, c.draft])).toEqual([
      ["main", "fix: the login", "It failed on empty names.", false],
      ["dev", "Typed", "Typed body", true],
    ]);
  });

  test("gh not logged in: pushes and answers with GitHub's compare page and the reason", async () => {
    const { wt, bare, child } = await fixture({ github: true });
    fs.writeFileSync(path.join(wt, "a.txt"), "a\n");
    await s.finish.commit({ agentId: child.id, message: "add a" });
    const r = await s.finish.createPr({ agentId: child.id });
    expect(r).toMatchObject({ via: "compare", url: "https://github.com/acme/app/compare/main...feature/login?expand=1" });
    expect(r.reason).toMatch(/^gh is not logged in \(You are not logged into any GitHub hosts/);
    expect(await git(bare, "rev-parse", "feature/login")).toBe(await git(wt, "rev-parse", "HEAD"));
    expect(ghLog()).toEqual([]);
    const h = await s.history.list({ agentId: child.id, kinds: ["git-pr"] });
    expect(h.items[0]?.summary).toBe(
      "Pushed feature/login; open the pull request into main at https://github.com/acme/app/compare/main...feature/login?expand=1",
    );
  });

  test("a local origin: pushed, no page to link to, and why", async () => {
    const { wt, bare, child } = await fixture();
    setGhAuth(true);
    fs.writeFileSync(path.join(wt, "a.txt"), "a\n");
    await s.finish.commit({ agentId: child.id, message: "add a" });
    const r = await s.finish.createPr({ agentId: child.id });
    expect(r).toMatchObject({ via: "none", url: null });
    expect(r.reason).toMatch(/not on GitHub.*folder on this machine/);
    expect(await git(bare, "rev-parse", "feature/login")).toBe(await git(wt, "rev-parse", "HEAD"));
  });

  test("gh not installed: the compare page, saying so", async () => {
    const { wt, child } = await fixture({ github: true });
    const noGh = createTestServices({
      env: { ...readServicesEnv(), path: fs.mkdtempSync(path.join(root, "empty-path-")) },
      finish: { env: finishEnv },
    });
    try {
      fs.writeFileSync(path.join(wt, "a.txt"), "a\n");
      await s.finish.commit({ agentId: child.id, message: "add a" });
      // The second graph has its own database: the agent is made there on the same worktree.
      const a = await noGh.agents.create({ name: "Same", folder: wt, provider: "simulator" });
      const r = await noGh.finish.createPr({ agentId: a.id, base: "main" });
      expect(r).toMatchObject({ via: "compare", reason: "gh (GitHub CLI) is not installed on the bridge's machine." });
    } finally {
      await noGh.cleanup();
    }
  });

  test("hostile bases are refused before anything is pushed", async () => {
    const { bare, child } = await fixture({ github: true });
    for (const base of ["--upload-pack=x", "../x", "a..b", "x".repeat(300), "ma\u202ein"])
      await expect(s.finish.createPr({ agentId: child.id, base })).rejects.toMatchObject({ code: "BAD_INPUT" });
    await expect(s.finish.createPr({ agentId: child.id, base: "feature/login" })).rejects.toThrow(/base other than feature\/login/);
    expect((await runGit(["rev-parse", "--verify", "-q", "feature/login"], { cwd: bare })).code).not.toBe(0);
  });
});

describe("mergeBack", () => {
  test("merges the branch into the parent's branch with a merge commit", async () => {
    const { repo, wt, child } = await fixture();
    fs.writeFileSync(path.join(wt, "a.txt"), "a\n");
    await s.finish.commit({ agentId: child.id, message: "add a" });
    const r = await s.finish.mergeBack({ agentId: child.id });
    expect(r).toMatchObject({ branch: "feature/login", into: "main", folder: repo });
    expect(await git(repo, "rev-parse", "HEAD")).toBe(r.sha);
    expect((await git(repo, "rev-list", "--parents", "-1", "HEAD")).split(" ")).toHaveLength(3);
    expect(await git(repo, "log", "-1", "--format=%s")).toBe("Merge branch 'feature/login' into main");
    expect(fs.readFileSync(path.join(repo, "a.txt"), "utf8")).toBe("a\n");
  });

  test("a merge that times out is undone: nothing stays staged in the parent's work tree", async () => {
    const { repo, wt, child } = await fixture();
    fs.writeFileSync(path.join(wt, "a.txt"), "a\n");
    await s.finish.commit({ agentId: child.id, message: "add a" });
    // Runs after git has merged into the index and work tree, before the merge commit.
    fs.writeFileSync(path.join(repo, ".git", "hooks", "pre-merge-commit"), "#!/bin/sh\nsleep 20\n", { mode: 0o755 });
    const slow = createTestServices({ finish: { env: finishEnv, mergeTimeoutMs: 1500 } });
    try {
      const a = await slow.agents.create({ name: "Same", folder: wt, provider: "simulator" });
      const head = await git(repo, "rev-parse", "HEAD");
      await expect(slow.finish.mergeBack({ agentId: a.id })).rejects.toThrow(/git merge took longer than 1\.5 s/);
      expect(await git(repo, "rev-parse", "HEAD")).toBe(head);
      expect((await runGit(["rev-parse", "-q", "--verify", "MERGE_HEAD"], { cwd: repo })).code).not.toBe(0);
      expect(await git(repo, "status", "--porcelain")).toBe("");
      expect(fs.existsSync(path.join(repo, "a.txt"))).toBe(false);
    } finally {
      await slow.cleanup();
    }
  });

  test("refused while an agent in the parent's work tree has an Auto Run going", async () => {
    const { repo, wt, parent, child } = await fixture();
    fs.writeFileSync(path.join(wt, "a.txt"), "a\n");
    await s.finish.commit({ agentId: child.id, message: "add a" });
    const run = await s.db.autorunRun.create({ data: { agentId: parent.id, name: "plan.md", configJson: "{}", status: "paused" } });
    const head = await git(repo, "rev-parse", "HEAD");
    await expect(s.finish.mergeBack({ agentId: child.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: `Not merged: ${parent.name} has an Auto Run going there. Let it finish (or stop it), then merge again.`,
    });
    expect(await git(repo, "rev-parse", "HEAD")).toBe(head);
    await s.db.autorunRun.update({ where: { id: run.id }, data: { status: "done" } });
    expect(await s.finish.mergeBack({ agentId: child.id })).toMatchObject({ into: "main" });
  });

  test("a conflict aborts the merge and names the files; the repository is exactly as before", async () => {
    const { repo, wt, child } = await fixture();
    fs.writeFileSync(path.join(wt, "README.md"), "branch side\n");
    await s.finish.commit({ agentId: child.id, message: "branch edit" });
    fs.writeFileSync(path.join(repo, "README.md"), "main side\n");
    await git(repo, "commit", "-q", "-am", "main edit");
    fs.writeFileSync(path.join(repo, "untracked.txt"), "keep me\n");
    const head = await git(repo, "rev-parse", "HEAD");
    await expect(s.finish.mergeBack({ agentId: child.id })).rejects.toThrow(
      /Merging feature\/login into main conflicts in README\.md\. Nothing was changed/,
    );
    expect(await git(repo, "rev-parse", "HEAD")).toBe(head);
    expect(await git(repo, "status", "--porcelain")).toBe("?? untracked.txt");
    expect(fs.readFileSync(path.join(repo, "README.md"), "utf8")).toBe("main side\n");
    expect((await runGit(["rev-parse", "-q", "--verify", "MERGE_HEAD"], { cwd: repo })).code).not.toBe(0);
  });

  test("refuses a dirty target, a branch not checked out there, and hostile names", async () => {
    const { repo, wt, child } = await fixture();
    fs.writeFileSync(path.join(wt, "a.txt"), "a\n");
    await s.finish.commit({ agentId: child.id, message: "add a" });
    await git(repo, "branch", "dev");
    await expect(s.finish.mergeBack({ agentId: child.id, into: "dev" })).rejects.toThrow(/dev is not checked out in .*\(it has main\)/);
    await expect(s.finish.mergeBack({ agentId: child.id, into: "--upload-pack=x" })).rejects.toThrow(/cannot start with/);
    await expect(s.finish.mergeBack({ agentId: child.id, into: "feature/login" })).rejects.toThrow(/cannot be merged into itself/);
    fs.writeFileSync(path.join(repo, "README.md"), "dirty\n");
    const head = await git(repo, "rev-parse", "HEAD");
    await expect(s.finish.mergeBack({ agentId: child.id })).rejects.toThrow(/has uncommitted changes/);
    expect(await git(repo, "rev-parse", "HEAD")).toBe(head);
  });
});

describe("the base chosen at creation", () => {
  test("is stored on the agent and is the default target of finishInfo, the pull request and merge back", async () => {
    const { repo, parent } = await fixture({ github: true });
    setGhAuth(true);
    await git(repo, "branch", "develop");
    await git(repo, "push", "-q", "origin", "develop");
    const { agent: child } = await s.worktrees.create({ parentId: parent.id, branch: "from-develop", base: "develop" });
    expect((await s.db.agent.findUniqueOrThrow({ where: { id: child.id } })).worktreeBaseBranch).toBe("develop");
    fs.writeFileSync(path.join(child.folder, "d.txt"), "d\n");
    await s.finish.commit({ agentId: child.id, message: "add d" });
    // The parent is on main: before, everything defaulted to main.
    expect(await s.finish.finishInfo({ agentId: child.id })).toMatchObject({ base: "develop", aheadOfBase: 1 });
    await expect(s.finish.mergeBack({ agentId: child.id })).rejects.toThrow(/develop is not checked out in .*check it out there first/);
    expect(await s.finish.createPr({ agentId: child.id })).toMatchObject({ base: "develop", via: "gh" });
    expect(ghLog()[0]).toMatchObject({ base: "develop", head: "from-develop" });
    // A remote-tracking base is stored as its branch; an adopted worktree has none (today's defaults).
    const { agent: fromRemote } = await s.worktrees.create({ parentId: parent.id, branch: "from-origin", base: "origin/develop" });
    expect((await s.db.agent.findUniqueOrThrow({ where: { id: fromRemote.id } })).worktreeBaseBranch).toBe("develop");
    const byHand = path.join(path.dirname(repo), "by-hand");
    await git(repo, "worktree", "add", "-q", "-b", "hand", "--", byHand, "develop");
    const adopted = await s.worktrees.adopt({ parentId: parent.id, path: byHand });
    expect(adopted.worktreeBaseBranch).toBeNull();
    expect(await s.finish.finishInfo({ agentId: adopted.id })).toMatchObject({ base: "main" });
  });
});

describe("finishInfo and drafting", () => {
  test("finishInfo: branch, base, ahead of base, dirty count, remote kind, gh state", async () => {
    const { wt, child } = await fixture({ github: true });
    setGhAuth(true);
    fs.writeFileSync(path.join(wt, "a.txt"), "a\n");
    await s.finish.commit({ agentId: child.id, message: "add a" });
    fs.writeFileSync(path.join(wt, "b.txt"), "b\n");
    expect(await s.finish.finishInfo({ agentId: child.id })).toMatchObject({
      isRepo: true,
      branch: "feature/login",
      base: "main",
      aheadOfBase: 1,
      behindBase: 0,
      upstream: null,
      dirty: 1,
      remote: { name: "origin", url: "https://github.com/acme/app.git", kind: "github" },
      gh: { available: true, authenticated: true, reason: null },
    });
    await s.finish.push({ agentId: child.id });
    expect(await s.finish.finishInfo({ agentId: child.id })).toMatchObject({ upstream: "origin/feature/login", ahead: 0 });
  });

  test("an agent on a branch of the main work tree: the base is the remote's default branch, and there is nothing to merge into", async () => {
    const { repo, parent } = await fixture();
    await git(repo, "remote", "set-head", "origin", "main");
    await git(repo, "switch", "-q", "-c", "topic");
    fs.writeFileSync(path.join(repo, "t.txt"), "t\n");
    await s.finish.commit({ agentId: parent.id, message: "add t" });
    expect(await s.finish.finishInfo({ agentId: parent.id })).toMatchObject({
      branch: "topic",
      base: "main",
      aheadOfBase: 1,
      mergeFolder: null,
    });
    await git(repo, "switch", "-q", "main");
    expect(await s.finish.finishInfo({ agentId: parent.id })).toMatchObject({ branch: "main", base: null, mergeFolder: null });
  });

  test.each(["claude", "codex", "gemini", "opencode"] as const)(
    "the agent (simulator, %s dialect) drafts a conventional commit message; nothing is staged",
    async (dialect) => {
      const { wt, child } = await fixture();
      await s.agents.updateSettings(child.id, { simulatorDialect: dialect });
      fs.writeFileSync(path.join(wt, "hello.txt"), "hello\n");
      // Auto Run's checklist copies are no part of the draft.
      fs.mkdirSync(path.join(wt, ".maestro", "playbooks"), { recursive: true });
      fs.writeFileSync(path.join(wt, ".maestro", "playbooks", "Plan.md"), "- [x] done\n");
      const { message } = await s.finish.draftCommitMessage({ agentId: child.id });
      expect(message.split("\n")[0]).toBe("feat: add hello.txt");
      expect(message).toMatch(/\n\nAdds one file \(1 line changed\):\n\n- hello\.txt \(new\)/);
      expect(await git(wt, "status", "--porcelain")).toBe("?? .maestro/\n?? hello.txt");
      await expect(s.finish.draftCommitMessage({ agentId: (await fixture()).child.id })).rejects.toThrow(/Nothing to commit/);
    },
  );

  test("a provider that cannot start is a clear error, and nothing is staged", async () => {
    const { wt, child } = await fixture();
    await s.agents.updateSettings(child.id, { binaryPath: path.join(root, "no-such-claude") });
    await s.db.agent.update({ where: { id: child.id }, data: { provider: "claude" } });
    fs.writeFileSync(path.join(wt, "hello.txt"), "hello\n");
    await expect(s.finish.draftCommitMessage({ agentId: child.id })).rejects.toThrow(/Claude Code is not installed/);
    expect(await git(wt, "status", "--porcelain")).toBe("?? hello.txt");
  });
});
