import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { createTestServices, tempDir } from "../../testing/harness";
import { gitOk, runGit } from "./run-git";
import { parseWorktreeList } from "./worktree-repo";

const s = createTestServices();
const dirs: string[] = [];
afterAll(async () => {
  await s.cleanup();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const who = ["-c", "user.name=t", "-c", "user.email=t@t"];
const commit = (cwd: string, msg: string, env?: Record<string, string>) =>
  gitOk([...who, "commit", "-q", "--allow-empty", "-m", msg], { cwd, env });

/** A real repository `<tmp>/proj` on `main` with a bare `origin`, and an agent on it. */
async function repoAgent() {
  const root = fs.realpathSync(tempDir("maestro-wtc-"));
  dirs.push(root);
  const repo = path.join(root, "proj");
  const origin = path.join(root, "origin.git");
  await gitOk(["init", "-q", "--bare", "-b", "main", origin], { cwd: root });
  fs.mkdirSync(repo);
  await gitOk(["init", "-q", "-b", "main"], { cwd: repo });
  fs.writeFileSync(path.join(repo, "README.md"), "hi\n");
  await gitOk(["add", "--", "README.md"], { cwd: repo });
  await commit(repo, "init");
  await gitOk(["remote", "add", "origin", origin], { cwd: repo });
  await gitOk(["push", "-q", "-u", "origin", "main"], { cwd: repo });
  const agent = await s.agents.create({ name: `Proj ${dirs.length}`, folder: repo, provider: "simulator" });
  return { root, repo, origin, agent };
}

const worktreePaths = async (repo: string) =>
  parseWorktreeList(await gitOk(["worktree", "list", "--porcelain", "-z"], { cwd: repo })).map((w) => w.path);
const branches = async (repo: string) => (await gitOk(["branch", "--format=%(refname:short)"], { cwd: repo })).trim().split("\n");
const exists = async (id: string) => (await s.db.agent.count({ where: { id } })) === 1;

describe("removeCheck", () => {
  test("counts uncommitted files (new ones too) and names the first; a fresh branch has nothing unpushed and is merged", async () => {
    const { repo, agent } = await repoAgent();
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "feat" });
    expect(await s.worktreeCleanup.removeCheck({ agentId: child.id })).toMatchObject({
      path: child.folder,
      mainRepo: repo,
      mainBranch: "main",
      branch: "feat",
      uncommitted: 0,
      unpushed: 0,
      upstream: null,
      merged: true,
      missing: false,
    });
    fs.writeFileSync(path.join(child.folder, "README.md"), "changed\n");
    fs.mkdirSync(path.join(child.folder, "src"));
    fs.writeFileSync(path.join(child.folder, "src", "new file.ts"), "x\n");
    const c = await s.worktreeCleanup.removeCheck({ agentId: child.id });
    expect(c.uncommitted).toBe(2);
    expect(c.uncommittedFiles.sort()).toEqual(["README.md", "src/new file.ts"]);
    expect(c.bytes).toBeGreaterThan(10);
    expect(c.sizeComplete).toBe(true);
  });

  test("unpushed: commits on no remote branch nor main; then against the upstream once pushed", async () => {
    const { repo, agent } = await repoAgent();
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "work" });
    await commit(child.folder, "one");
    await commit(child.folder, "two");
    expect(await s.worktreeCleanup.removeCheck({ agentId: child.id })).toMatchObject({ unpushed: 2, upstream: null, merged: false });
    await gitOk(["push", "-q", "-u", "origin", "work"], { cwd: child.folder });
    await commit(child.folder, "three");
    expect(await s.worktreeCleanup.removeCheck({ agentId: child.id })).toMatchObject({ unpushed: 1, upstream: "origin/work" });
    await gitOk(["push", "-q"], { cwd: child.folder });
    await gitOk(["merge", "-q", "--ff-only", "work"], { cwd: repo });
    expect(await s.worktreeCleanup.removeCheck({ agentId: child.id })).toMatchObject({ unpushed: 0, merged: true });
  });

  test("the main work tree, a folder that is no worktree, and a subfolder of a worktree are refused", async () => {
    const { root, agent } = await repoAgent();
    await expect(s.worktreeCleanup.removeCheck({ agentId: agent.id })).rejects.toThrow(/main work tree: Maestro never removes it/);
    await expect(s.worktreeCleanup.remove({ agentId: agent.id, force: true })).rejects.toThrow(/main work tree/);
    const plain = path.join(root, "plain");
    fs.mkdirSync(plain);
    const p = await s.agents.create({ name: "Plain", folder: plain, provider: "simulator" });
    await expect(s.worktreeCleanup.remove({ agentId: p.id, force: true })).rejects.toThrow(/not a worktree git lists/);
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "sub" });
    fs.mkdirSync(path.join(child.folder, "pkg"));
    const inner = await s.agents.create({ name: "Inner", folder: path.join(child.folder, "pkg"), provider: "simulator" });
    await expect(s.worktreeCleanup.remove({ agentId: inner.id, force: true })).rejects.toThrow(/not a worktree git lists/);
    expect(fs.existsSync(child.folder)).toBe(true);
    expect(await exists(agent.id)).toBe(true);
  });
});

describe("remove", () => {
  test("refuses without force when work would be lost, and changes nothing", async () => {
    const { repo, agent } = await repoAgent();
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "dirty" });
    fs.writeFileSync(path.join(child.folder, "notes.txt"), "keep me\n");
    await expect(s.worktreeCleanup.remove({ agentId: child.id, deleteBranch: true })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Not removed: 1 uncommitted file will be lost.",
    });
    expect(fs.readFileSync(path.join(child.folder, "notes.txt"), "utf8")).toBe("keep me\n");
    expect(await exists(child.id)).toBe(true);
    expect(await branches(repo)).toContain("dirty");
  });

  test("removes the folder and the agent, keeps the branch; with force too; publishes agents.changed", async () => {
    const { repo, agent } = await repoAgent();
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "keep-branch" });
    await commit(child.folder, "mine");
    fs.writeFileSync(path.join(child.folder, "scratch.txt"), "lost\n");
    const seen: (string | null)[] = [];
    const off = s.bus.subscribe("agents.changed", (e) => seen.push(e.agentId));
    const { fingerprint } = await s.worktreeCleanup.removeCheck({ agentId: child.id });
    const r = await s.worktreeCleanup.remove({ agentId: child.id, force: true, seen: fingerprint });
    off();
    expect(r).toEqual({ agentId: child.id, path: child.folder, branch: "keep-branch", branchDeleted: false, branchError: null });
    expect(fs.existsSync(child.folder)).toBe(false);
    expect(await worktreePaths(repo)).toEqual([repo]);
    expect(await branches(repo)).toEqual(["keep-branch", "main"]);
    expect(await exists(child.id)).toBe(false);
    expect(seen).toEqual([child.id]);
    expect(fs.existsSync(path.join(repo, "README.md"))).toBe(true);
  });

  test("with deleteBranch: a merged branch goes with -d; an unmerged one needs force (then -D)", async () => {
    const { repo, agent } = await repoAgent();
    const { agent: merged } = await s.worktrees.create({ parentId: agent.id, branch: "done" });
    const r1 = await s.worktreeCleanup.remove({ agentId: merged.id, deleteBranch: true });
    expect(r1).toMatchObject({ branchDeleted: true, branchError: null });
    expect(await branches(repo)).toEqual(["main"]);

    const { agent: open } = await s.worktrees.create({ parentId: agent.id, branch: "open" });
    await commit(open.folder, "unmerged");
    await gitOk(["push", "-q", "-u", "origin", "open"], { cwd: open.folder });
    await gitOk(["push", "-q", "origin", "--delete", "open"], { cwd: repo });
    await gitOk(["fetch", "-q", "--prune"], { cwd: repo });
    await expect(s.worktreeCleanup.remove({ agentId: open.id, deleteBranch: true })).rejects.toThrow(
      /not on any remote branch|not merged into main/,
    );
    expect(await exists(open.id)).toBe(true);
    const seen = (await s.worktreeCleanup.removeCheck({ agentId: open.id })).fingerprint;
    const r2 = await s.worktreeCleanup.remove({ agentId: open.id, deleteBranch: true, force: true, seen });
    expect(r2).toMatchObject({ branch: "open", branchDeleted: true });
    expect(await branches(repo)).toEqual(["main"]);
    expect(fs.existsSync(open.folder)).toBe(false);
  });

  test("force applies only to the state the person saw: a change since the check is refused, and a merged branch goes with -d", async () => {
    const { repo, agent } = await repoAgent();
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "moving" });
    fs.writeFileSync(path.join(child.folder, "a.txt"), "seen\n");
    const seen = (await s.worktreeCleanup.removeCheck({ agentId: child.id })).fingerprint;
    await expect(s.worktreeCleanup.remove({ agentId: child.id, deleteBranch: true, force: true })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "The worktree changed since you looked: check again.",
    });
    await commit(child.folder, "made after the check");
    await expect(s.worktreeCleanup.remove({ agentId: child.id, deleteBranch: true, force: true, seen })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "The worktree changed since you looked: check again.",
    });
    expect(fs.existsSync(path.join(child.folder, "a.txt"))).toBe(true);
    expect(await exists(child.id)).toBe(true);
    expect(await branches(repo)).toContain("moving");
    // The state shown now is the one agreed to: the folder goes; the unmerged branch goes with -D only because it was shown unmerged.
    const now = await s.worktreeCleanup.removeCheck({ agentId: child.id });
    expect(now).toMatchObject({ uncommitted: 1, unpushed: 1, merged: false });
    expect(await s.worktreeCleanup.remove({ agentId: child.id, deleteBranch: true, force: true, seen: now.fingerprint })).toMatchObject({
      branchDeleted: true,
    });
    expect(fs.existsSync(child.folder)).toBe(false);
  });

  test("Auto Run's checklist copies left in the worktree are not uncommitted work: a plain Remove takes them", async () => {
    const { agent } = await repoAgent();
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "ran" });
    fs.mkdirSync(path.join(child.folder, ".maestro", "playbooks"), { recursive: true });
    fs.writeFileSync(path.join(child.folder, ".maestro", "playbooks", "Plan.md"), "- [x] done\n");
    expect(await s.worktreeCleanup.removeCheck({ agentId: child.id })).toMatchObject({
      uncommitted: 0,
      autorunFiles: 1,
      uncommittedFiles: [],
    });
    await s.worktreeCleanup.remove({ agentId: child.id });
    expect(fs.existsSync(child.folder)).toBe(false);
    expect(await exists(child.id)).toBe(false);
  });

  test("the stale listing and cleanup leave Auto Run's copies out of the uncommitted count too", async () => {
    const { repo, agent } = await repoAgent();
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "ran-merged" });
    await commit(child.folder, "work");
    await gitOk(["merge", "-q", "--ff-only", "ran-merged"], { cwd: repo });
    fs.mkdirSync(path.join(child.folder, ".maestro", "playbooks"), { recursive: true });
    fs.writeFileSync(path.join(child.folder, ".maestro", "playbooks", "Plan.md"), "- [x] done\n");
    const row = (await s.worktreeCleanup.staleWorktrees({ olderThanDays: 30 })).repos
      .find((r) => r.mainRepo === repo)!
      .worktrees.find((w) => w.path === child.folder);
    expect(row).toMatchObject({ reasons: ["merged"], uncommitted: 0 });
    expect(await s.worktreeCleanup.cleanup({ paths: [child.folder] })).toMatchObject([{ ok: true, agentsRemoved: 1 }]);
    expect(fs.existsSync(child.folder)).toBe(false);
  });

  test("an agent working in a subfolder of the worktree blocks Remove (it would keep running in a deleted folder)", async () => {
    const { agent } = await repoAgent();
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "with-inner" });
    fs.mkdirSync(path.join(child.folder, "pkg"));
    const inner = await s.agents.create({ name: "Inner pkg", folder: path.join(child.folder, "pkg"), provider: "simulator" });
    await expect(s.worktreeCleanup.remove({ agentId: child.id })).rejects.toThrow(/Inner pkg also works in .*: delete it first/);
    expect(fs.existsSync(child.folder)).toBe(true);
    expect(await exists(child.id)).toBe(true);
    expect(await exists(inner.id)).toBe(true);
  });

  test("a worktree whose folder was deleted by hand is found from the parent, forgotten by git, and its agent removed", async () => {
    const { repo, agent } = await repoAgent();
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "vanished" });
    fs.rmSync(child.folder, { recursive: true, force: true });
    expect(await s.worktreeCleanup.removeCheck({ agentId: child.id })).toMatchObject({ missing: true, uncommitted: 0, unpushed: 0 });
    await s.worktreeCleanup.remove({ agentId: child.id });
    expect(await worktreePaths(repo)).toEqual([repo]);
    expect(await exists(child.id)).toBe(false);
  });

  test("a worktree agent's own worktree children are kept, un-nested, when it is removed", async () => {
    const { agent } = await repoAgent();
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "mid" });
    const { agent: grandchild } = await s.worktrees.create({ parentId: child.id, branch: "leaf" });
    await s.worktreeCleanup.remove({ agentId: child.id });
    expect(await s.agents.byId(grandchild.id)).toMatchObject({ parentId: null, worktreeBranch: "leaf" });
    expect(fs.existsSync(grandchild.folder)).toBe(true);
    expect(await s.agents.byId(agent.id)).toMatchObject({ parentId: null });
  });

  test("a plain Delete of a worktree agent leaves its folder and branch (removing them is the explicit choice)", async () => {
    const { repo, agent } = await repoAgent();
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "stays" });
    await s.agents.remove(child.id);
    expect(fs.existsSync(child.folder)).toBe(true);
    expect(await worktreePaths(repo)).toEqual([repo, child.folder]);
    expect(await branches(repo)).toContain("stays");
  });

  test("when git cannot remove the folder, the agent stays", async () => {
    const { repo, agent } = await repoAgent();
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "locked" });
    await gitOk(["worktree", "lock", "--", child.folder], { cwd: repo });
    const { fingerprint: seen } = await s.worktreeCleanup.removeCheck({ agentId: child.id });
    await expect(s.worktreeCleanup.remove({ agentId: child.id, force: true, seen })).rejects.toThrow(/git could not remove/);
    expect(await exists(child.id)).toBe(true);
    expect(fs.existsSync(child.folder)).toBe(true);
  });
});

describe("stale worktrees and cleanup", () => {
  test("lists merged, gone, missing and old worktrees with their agent and size; prune forgets a missing one; cleanup removes the chosen", async () => {
    const { root, repo, agent } = await repoAgent();
    const { agent: fresh } = await s.worktrees.create({ parentId: agent.id, branch: "fresh" });
    const { agent: merged } = await s.worktrees.create({ parentId: agent.id, branch: "merged" });
    await commit(merged.folder, "work");
    await gitOk(["merge", "-q", "--ff-only", "merged"], { cwd: repo });
    const { agent: gone } = await s.worktrees.create({ parentId: agent.id, branch: "gone" });
    await commit(gone.folder, "pushed then deleted");
    await gitOk(["push", "-q", "-u", "origin", "gone"], { cwd: gone.folder });
    await gitOk(["push", "-q", "origin", "--delete", "gone"], { cwd: repo });
    await gitOk(["fetch", "-q", "--prune"], { cwd: repo });
    const { agent: old } = await s.worktrees.create({ parentId: agent.id, branch: "old", base: "main" });
    const longAgo = "2020-01-01T00:00:00Z";
    await commit(old.folder, "ancient", { GIT_COMMITTER_DATE: longAgo, GIT_AUTHOR_DATE: longAgo });
    fs.utimesSync(old.folder, new Date(longAgo), new Date(longAgo));
    const byHand = path.join(root, "by-hand");
    await gitOk(["worktree", "add", "-q", "-b", "hand", "--", byHand, "main"], { cwd: repo });
    fs.rmSync(byHand, { recursive: true, force: true });
    fs.writeFileSync(path.join(merged.folder, "big.bin"), Buffer.alloc(50_000));

    const listed = await s.worktreeCleanup.staleWorktrees({ olderThanDays: 30 });
    const mine = listed.repos.find((r) => r.mainRepo === repo)!;
    expect(mine).toMatchObject({ mainBranch: "main", healthy: 1, dangling: 1 });
    const rows = Object.fromEntries(mine.worktrees.map((w) => [w.branch, w]));
    expect(Object.keys(rows).sort()).toEqual(["gone", "hand", "merged", "old"]);
    expect(rows.merged).toMatchObject({ reasons: ["merged"], agents: [{ id: merged.id, name: merged.name }], uncommitted: 1 });
    expect(rows.merged!.bytes).toBeGreaterThanOrEqual(50_000);
    expect(rows.gone!.reasons).toEqual(["gone"]);
    expect(rows.old!.reasons).toEqual(["old"]);
    expect(rows.hand).toMatchObject({ path: byHand, reasons: ["missing"], agents: [], bytes: 0 });
    expect(mine.worktrees.some((w) => w.path === fresh.folder)).toBe(false);
    // The stored setting is used when no number is given.
    await s.worktreeCleanup.setStaleDays(3650);
    expect((await s.worktreeCleanup.staleWorktrees()).olderThanDays).toBe(3650);
    await expect(s.worktreeCleanup.setStaleDays(0)).rejects.toThrow(/from 1 to/);

    expect((await s.worktreeCleanup.prune()).pruned).toBeGreaterThanOrEqual(1);
    expect(await worktreePaths(repo)).not.toContain(byHand);

    const results = await s.worktreeCleanup.cleanup({ paths: [merged.folder, "/etc", repo, gone.folder], deleteBranches: true });
    expect(results.map((r) => [r.path, r.ok, r.agentsRemoved, r.branchDeleted])).toEqual([
      [merged.folder, false, 0, false],
      ["/etc", false, 0, false],
      [repo, false, 0, false],
      [gone.folder, true, 1, false],
    ]);
    expect(results[0]!.error).toMatch(/1 uncommitted file: not removed/);
    expect(results[1]!.error).toMatch(/not a worktree git lists/);
    expect(results[2]!.error).toMatch(/main work tree/);
    // The gone branch has commits merged nowhere: `-d` keeps it, and says so.
    expect(results[3]!.error).toMatch(/Branch kept: .*not fully merged/);
    expect(await exists(gone.id)).toBe(false);
    expect(await exists(merged.id)).toBe(true);

    const forced = await s.worktreeCleanup.cleanup({
      paths: [merged.folder, old.folder],
      deleteBranches: true,
      forcePaths: [merged.folder],
    });
    expect(forced.map((r) => [r.ok, r.branchDeleted])).toEqual([
      [true, true],
      [true, false],
    ]);
    expect(await worktreePaths(repo)).toEqual([repo, fresh.folder]);
    expect(await branches(repo)).toEqual(["fresh", "gone", "hand", "main", "old"]);
    expect(await exists(fresh.id)).toBe(true);
    expect((await runGit(["status", "--porcelain"], { cwd: repo })).stdout).toBe("");
  });

  test("a detached worktree's own commits are counted and keep it from going without force", async () => {
    const { root, repo } = await repoAgent();
    const detached = path.join(root, "detached");
    await gitOk(["worktree", "add", "-q", "--detach", "--", detached, "main"], { cwd: repo });
    const longAgo = "2020-01-01T00:00:00Z";
    await commit(detached, "only here", { GIT_COMMITTER_DATE: longAgo, GIT_AUTHOR_DATE: longAgo });
    const sha = (await gitOk(["rev-parse", "HEAD"], { cwd: detached })).trim();
    fs.utimesSync(detached, new Date(longAgo), new Date(longAgo));
    const row = (await s.worktreeCleanup.staleWorktrees({ olderThanDays: 30 })).repos
      .find((r) => r.mainRepo === repo)!
      .worktrees.find((w) => w.path === detached);
    expect(row).toMatchObject({ branch: null, reasons: ["old"], uncommitted: 0, detachedCommits: 1 });

    const [refused] = await s.worktreeCleanup.cleanup({ paths: [detached], forcePaths: [repo] });
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/detached HEAD with 1 commit on no branch: not removed/) });
    expect(fs.existsSync(detached)).toBe(true);
    expect((await runGit(["cat-file", "-t", sha], { cwd: repo })).stdout.trim()).toBe("commit");

    const [forced] = await s.worktreeCleanup.cleanup({ paths: [detached], forcePaths: [detached] });
    expect(forced).toMatchObject({ ok: true });
    expect(fs.existsSync(detached)).toBe(false);
  });

  test("cleanup lists and removes every agent in the worktree, those in its subfolders too", async () => {
    const { repo, agent } = await repoAgent();
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "shared", base: "main" });
    const longAgo = "2020-01-01T00:00:00Z";
    await commit(child.folder, "ancient", { GIT_COMMITTER_DATE: longAgo, GIT_AUTHOR_DATE: longAgo });
    fs.mkdirSync(path.join(child.folder, "pkg"));
    const second = await s.agents.create({ name: "Second in it", folder: child.folder, provider: "simulator" });
    const inner = await s.agents.create({ name: "In pkg", folder: path.join(child.folder, "pkg"), provider: "simulator" });
    fs.utimesSync(child.folder, new Date(longAgo), new Date(longAgo));
    const row = (await s.worktreeCleanup.staleWorktrees({ olderThanDays: 30 })).repos
      .find((r) => r.mainRepo === repo)!
      .worktrees.find((w) => w.path === child.folder)!;
    expect(row.agents.map((a) => a.name).sort()).toEqual([child.name, "In pkg", "Second in it"].sort());

    const [r] = await s.worktreeCleanup.cleanup({ paths: [child.folder] });
    expect(r).toMatchObject({ ok: true, agentsRemoved: 3 });
    expect(fs.existsSync(child.folder)).toBe(false);
    for (const id of [child.id, second.id, inner.id]) expect(await exists(id)).toBe(false);
  });

  test("cleanup forgets only the chosen missing worktree: no implicit prune of the others", async () => {
    const { root, repo } = await repoAgent();
    const [one, two] = [path.join(root, "gone-one"), path.join(root, "gone-two")];
    for (const [dir, b] of [
      [one, "g1"],
      [two, "g2"],
    ] as const) {
      await gitOk(["worktree", "add", "-q", "-b", b, "--", dir, "main"], { cwd: repo });
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(await s.worktreeCleanup.cleanup({ paths: [one] })).toMatchObject([{ path: one, ok: true }]);
    expect(await worktreePaths(repo)).toEqual([repo, two]);
  });

  test("a repository is listed once however many agents work in it; agents on missing folders are skipped", async () => {
    const { repo, agent } = await repoAgent();
    await s.agents.create({ name: "Second on same repo", folder: repo, provider: "simulator" });
    const { agent: child } = await s.worktrees.create({ parentId: agent.id, branch: "m2" });
    await commit(child.folder, "x");
    await gitOk(["merge", "-q", "--ff-only", "m2"], { cwd: repo });
    const gone = fs.realpathSync(tempDir("maestro-wtc-gone-"));
    const lost = await s.agents.create({ name: "Lost", folder: gone, provider: "simulator" });
    fs.rmSync(gone, { recursive: true });
    const listed = await s.worktreeCleanup.staleWorktrees({ olderThanDays: 30 });
    expect(listed.repos.filter((r) => r.mainRepo === repo)).toHaveLength(1);
    expect(await exists(lost.id)).toBe(true);
  });
});
