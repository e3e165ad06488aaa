import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { AgentSettings } from "../../../lib/schemas/agent-settings";
import { createTestServices, tempDir } from "../../testing/harness";
import { gitOk } from "./run-git";
import { confinedWorktreePath, parseWorktreeList } from "./worktree-repo";

const s = createTestServices();
const dirs: string[] = [];
afterAll(async () => {
  await s.cleanup();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A real repository `<tmp>/proj` with one commit on `main`, and an agent on it. */
async function repoAgent(settings: AgentSettings = {}) {
  const root = fs.realpathSync(tempDir("maestro-wt-"));
  dirs.push(root);
  const repo = path.join(root, "proj");
  fs.mkdirSync(repo);
  await gitOk(["init", "-q", "-b", "main"], { cwd: repo });
  fs.writeFileSync(path.join(repo, "README.md"), "hi\n");
  await gitOk(["add", "--", "README.md"], { cwd: repo });
  await gitOk(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "init"], { cwd: repo });
  const agent = await s.agents.create({ name: "Proj", folder: repo, provider: "simulator" });
  const full: AgentSettings = { model: "m-1", simulatorDialect: "claude", ...settings };
  await s.agents.updateSettings(agent.id, full);
  return { root, repo, agent, settings: full };
}

const worktreePaths = async (repo: string) =>
  parseWorktreeList(await gitOk(["worktree", "list", "--porcelain", "-z"], { cwd: repo })).map((w) => w.path);
const branches = async (repo: string) => (await gitOk(["branch", "--format=%(refname:short)"], { cwd: repo })).trim().split("\n");

describe("worktrees.create", () => {
  test("makes a branch + worktree under the sibling base folder and a child agent with the parent's provider and settings", async () => {
    const { root, repo, agent, settings } = await repoAgent();
    const { agent: child, setup } = await s.worktrees.create({ parentId: agent.id, branch: "feature/login" });
    const where = path.join(root, "proj-worktrees", "feature-login");
    expect(child.folder).toBe(where);
    expect(await worktreePaths(repo)).toEqual([repo, where]);
    expect((await gitOk(["symbolic-ref", "--short", "HEAD"], { cwd: where })).trim()).toBe("feature/login");
    expect(child).toMatchObject({
      parentId: agent.id,
      worktreeBranch: "feature/login",
      provider: "simulator",
      name: "Proj · feature/login",
    });
    expect(await s.agents.settings(child.id)).toEqual(settings);
    expect(setup).toBeNull();
    const listed = (await s.agents.list()).find((a) => a.id === child.id);
    expect(listed?.parentId).toBe(agent.id);

    const list = await s.worktrees.list(agent.id);
    expect(list.map((w) => [w.path, w.branch, w.agent?.id])).toEqual([
      [repo, "main", agent.id],
      [where, "feature/login", child.id],
    ]);
  });

  test("starts from the given base branch; a missing base is refused and nothing is made", async () => {
    const { repo, agent } = await repoAgent();
    await gitOk(["branch", "dev"], { cwd: repo });
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "x", base: "dev", name: "Mine" });
    expect(child.name).toBe("Mine");
    await expect(s.worktrees.create({ parentId: agent.id, branch: "y", base: "nope" })).rejects.toThrow(/No branch or commit named nope/);
    await expect(s.worktrees.create({ parentId: agent.id, branch: "y", base: "--output=/tmp/x" })).rejects.toThrow(/cannot start with/);
    expect(await branches(repo)).toEqual(["dev", "main", "x"]);
  });

  test.each([
    ["--upload-pack=x", /cannot start with “-”/],
    ["../x", /“\.\.”/],
    ["a..b", /“\.\.”/],
    ["x".repeat(300), /at most 200 characters/],
    ["evil\u202egnp.exe", /control or invisible/],
    ["a\u0001b", /control/],
    ["a b", /spaces/],
    ["main", /already exists/],
  ])("refuses the branch name %j with a clear error and creates nothing", async (branch, message) => {
    const { root, repo, agent } = await repoAgent();
    const before = (await s.agents.list()).length;
    await expect(s.worktrees.create({ parentId: agent.id, branch })).rejects.toThrow(message);
    expect(await worktreePaths(repo)).toEqual([repo]);
    expect(await branches(repo)).toEqual(["main"]);
    expect(fs.readdirSync(root)).toEqual(["proj"]);
    expect((await s.agents.list()).length).toBe(before);
  });

  test("an agent outside a git work tree is refused", async () => {
    const plain = fs.realpathSync(tempDir("maestro-wt-plain-"));
    dirs.push(plain);
    const agent = await s.agents.create({ name: "Plain", folder: plain, provider: "simulator" });
    await expect(s.worktrees.create({ parentId: agent.id, branch: "x" })).rejects.toThrow(/is not inside a git work tree/);
    expect(await s.worktrees.info(agent.id)).toEqual({ isRepo: false });
  });

  test("a worktree path outside the base folder is refused, and so is one that exists (a link included)", async () => {
    const base = fs.realpathSync(tempDir("maestro-wt-base-"));
    dirs.push(base);
    for (const escape of ["../x", "/etc", "a/b", "..", "."])
      await expect(confinedWorktreePath(base, escape)).rejects.toThrow(/must be directly inside/);
    fs.symlinkSync("/tmp", path.join(base, "link"));
    await expect(confinedWorktreePath(base, "link")).rejects.toThrow(/already exists/);
    expect(await confinedWorktreePath(base, "ok")).toBe(path.join(base, "ok"));
  });

  test("uses the configured base folder", async () => {
    const other = fs.realpathSync(tempDir("maestro-wt-other-"));
    dirs.push(other);
    const { repo, agent } = await repoAgent({ worktreeBase: path.join(other, "trees") });
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "b1" });
    expect(child.folder).toBe(path.join(other, "trees", "b1"));
    expect(await worktreePaths(repo)).toContain(child.folder);
  });

  test("worktrees of one repository made at once all succeed, through a second path to it too; a refused one holds up none", async () => {
    // Without one at a time, `git worktree add` fails now and then reading another's half-made .git/worktrees/<name>/.
    const { root, repo, agent } = await repoAgent();
    const alias = path.join(root, "alias");
    fs.symlinkSync(repo, alias);
    const second = await s.agents.create({ name: "Alias", folder: alias, provider: "simulator" });
    const names = Array.from({ length: 32 }, (_, i) => `c${String(i + 1).padStart(2, "0")}`);
    const made = await Promise.allSettled(
      [...names.slice(0, 16), "main", ...names.slice(16)].map((branch, i) =>
        s.worktrees.create({ parentId: i % 2 ? second.id : agent.id, branch }),
      ),
    );
    const outcomes = made.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"));
    expect(outcomes.splice(16, 1)[0]).toMatch(/A branch named main already exists/);
    expect(outcomes).toEqual(names.map(() => "ok"));
    expect(await branches(repo)).toEqual([...names, "main"]);
    expect((await worktreePaths(repo)).length).toBe(names.length + 1);
  });

  test("when the agent cannot be stored, the worktree and its branch are removed again", async () => {
    const { root, repo, agent } = await repoAgent();
    await s.db.$executeRawUnsafe(
      `CREATE TRIGGER no_children BEFORE INSERT ON "Agent" WHEN NEW."parentId" IS NOT NULL BEGIN SELECT RAISE(ABORT, 'refused by test'); END`,
    );
    try {
      await expect(s.worktrees.create({ parentId: agent.id, branch: "doomed" })).rejects.toThrow(/refused by test|db\.agent\.create/);
    } finally {
      await s.db.$executeRawUnsafe(`DROP TRIGGER no_children`);
    }
    expect(await worktreePaths(repo)).toEqual([repo]);
    expect(await branches(repo)).toEqual(["main"]);
    expect(fs.readdirSync(path.join(root, "proj-worktrees"))).toEqual([]);
  });
});

test("removing the parent keeps its worktree agents, un-nested", async () => {
  const { agent } = await repoAgent();
  const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "orphan-safe" });
  await s.agents.remove(agent.id);
  expect(await s.agents.byId(child.id)).toMatchObject({ parentId: null, worktreeBranch: "orphan-safe" });
});

describe("setup script", () => {
  test("runs in the new worktree with the MAESTRO_* variables; its output is kept and streamed", async () => {
    const { root, repo, agent } = await repoAgent({ worktreeSetup: "scripts/setup.sh" });
    fs.mkdirSync(path.join(repo, "scripts"));
    fs.writeFileSync(
      path.join(repo, "scripts/setup.sh"),
      'echo "setting up $MAESTRO_WORKTREE_BRANCH"\nprintf "%s\\n" "$PWD" "$MAESTRO_WORKTREE_PATH" "$MAESTRO_WORKTREE_BRANCH" "$MAESTRO_MAIN_REPO_PATH" "$MAESTRO_BASE_BRANCH" > seen.txt\n',
    );
    const chunks: string[] = [];
    const stop = s.bus.subscribe("worktrees.setup", (e) => e.chunk && chunks.push(e.chunk));
    const { agent: child, setup } = await s.worktrees.create({ parentId: agent.id, branch: "with-setup" });
    expect(setup?.status).toBe("running");
    const done = await s.worktrees.setupFinished(child.id);
    stop();
    const where = path.join(root, "proj-worktrees", "with-setup");
    expect(done).toMatchObject({ status: "ok", exitCode: 0, error: null, output: "setting up with-setup\n" });
    expect(chunks.join("")).toBe("setting up with-setup\n");
    expect(fs.readFileSync(path.join(where, "seen.txt"), "utf8").split("\n")).toEqual([where, where, "with-setup", repo, "main", ""]);
  });

  test("a failing script is reported and the agent stays; a missing script too", async () => {
    const { repo, agent } = await repoAgent({ worktreeSetup: "fail.sh" });
    fs.writeFileSync(path.join(repo, "fail.sh"), "echo broken >&2\nexit 3\n");
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "f1" });
    expect(await s.worktrees.setupFinished(child.id)).toMatchObject({
      status: "failed",
      exitCode: 3,
      output: "broken\n",
      error: "The setup script fail.sh failed with exit status 3.",
    });
    expect(await s.agents.byId(child.id)).toMatchObject({ parentId: agent.id });
    fs.rmSync(path.join(repo, "fail.sh"));
    const { agent: c2 } = await s.worktrees.create({ parentId: agent.id, branch: "f2" });
    expect((await s.worktrees.setupFinished(c2.id))?.error).toMatch(/fail\.sh does not exist/);
  });

  test("a script linked to outside the repository is refused", async () => {
    const { repo, agent } = await repoAgent({ worktreeSetup: "out.sh" });
    fs.symlinkSync("/bin/true", path.join(repo, "out.sh"));
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "o1" });
    expect((await s.worktrees.setupFinished(child.id))?.error).toMatch(/must be inside/);
  });
});

describe("worktrees.adopt", () => {
  test("adopts a worktree made outside Maestro; refuses paths git does not list, the main tree, and a second adoption", async () => {
    const { root, repo, agent } = await repoAgent();
    const outside = path.join(root, "by-hand");
    await gitOk(["worktree", "add", "-q", "-b", "hand", "--", outside, "main"], { cwd: repo });
    const listed = await s.worktrees.list(agent.id);
    expect(listed.find((w) => w.path === outside)).toMatchObject({ branch: "hand", agent: null, main: false });
    const child = await s.worktrees.adopt({ parentId: agent.id, path: outside });
    expect(child).toMatchObject({ folder: outside, parentId: agent.id, worktreeBranch: "hand", name: "Proj · hand" });
    await expect(s.worktrees.adopt({ parentId: agent.id, path: outside })).rejects.toThrow(/already works in/);
    await expect(s.worktrees.adopt({ parentId: agent.id, path: repo })).rejects.toThrow(/main work tree/);
    await expect(s.worktrees.adopt({ parentId: agent.id, path: root })).rejects.toThrow(/is not a worktree of this repository/);
  });
});
