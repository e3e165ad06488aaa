import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../logger";
import { createTestServices, tempDir } from "../../testing/harness";
import { runGit } from "./run-git";
import { createGitStatusService } from "./status";

const env = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" };
const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const dirs: string[] = [];
const dir = () => {
  const d = tempDir("maestro-gitstatus-");
  dirs.push(d);
  return fs.realpathSync(d);
};

/** A clone of a local bare repository, so the branch has an upstream. */
function cloned(): { work: string; bare: string } {
  const bare = dir();
  git(bare, "init", "-q", "--bare", "-b", "main");
  const seed = dir();
  git(seed, "clone", "-q", bare, ".");
  git(seed, "checkout", "-qb", "main");
  fs.writeFileSync(path.join(seed, "a.txt"), "a\n");
  git(seed, "add", ".");
  git(seed, "commit", "-qm", "one");
  git(seed, "push", "-q", "origin", "main");
  const work = dir();
  git(work, "clone", "-q", bare, ".");
  return { work, bare };
}

const waitFor = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

let services: ReturnType<typeof createTestServices>;
beforeEach(() => {
  services = createTestServices();
});
afterEach(async () => {
  await services.cleanup();
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

describe("git status service", () => {
  it("reports branch, upstream, ahead/behind and changed files of a real clone", async () => {
    const { work } = cloned();
    // One commit of ours, one on the upstream we have fetched: ahead 1, behind 1.
    const other = dir();
    git(other, "clone", "-q", git(work, "remote", "get-url", "origin").trim(), ".");
    fs.writeFileSync(path.join(other, "b.txt"), "b\n");
    git(other, "add", ".");
    git(other, "commit", "-qm", "theirs");
    git(other, "push", "-q", "origin", "main");
    git(work, "fetch", "-q");
    fs.writeFileSync(path.join(work, "c.txt"), "c\n");
    git(work, "add", ".");
    git(work, "commit", "-qm", "mine");
    fs.writeFileSync(path.join(work, "a.txt"), "changed\n");
    fs.writeFileSync(path.join(work, "new file.txt"), "n\n");
    const agent = await services.agents.create({ name: "repo", folder: work });
    expect(await services.git.status(agent.id)).toMatchObject({
      branch: "main",
      upstream: "origin/main",
      ahead: 1,
      behind: 1,
      unstaged: 1,
      untracked: 1,
      dirty: 2,
    });
  });

  it("a folder that is not a repository is null, not an error", async () => {
    const plain = dir();
    const agent = await services.agents.create({ name: "plain", folder: plain });
    expect(await services.git.status(agent.id)).toBeNull();
    expect(await services.git.statuses()).toEqual({ [agent.id]: null });
  });

  it("an unknown agent is NOT_FOUND", async () => {
    await expect(services.git.status("nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("concurrent asks share one git run, and a cached status spawns nothing", async () => {
    let spawns = 0;
    const svc = createGitStatusService({
      agents: services.agents,
      bus: services.bus,
      logger: silentLogger,
      run: (args, opts) => {
        spawns++;
        return runGit(args, opts);
      },
    });
    try {
      const agents = await Promise.all([0, 1, 2].map(async (i) => services.agents.create({ name: `a${i}`, folder: cloned().work })));
      const [one, two, all] = await Promise.all([svc.status(agents[0]!.id), svc.status(agents[0]!.id), svc.statuses()]);
      expect(one).toEqual(two);
      expect(all[agents[0]!.id]).toEqual(one);
      expect(Object.keys(all)).toHaveLength(3);
      expect(spawns).toBe(3);
      await svc.statuses();
      await svc.status(agents[1]!.id);
      expect(spawns).toBe(3);
      // A deleted agent is gone from the answer; the others are still served from the cache.
      await services.agents.remove(agents[2]!.id);
      expect(Object.keys(await svc.statuses()).sort()).toEqual([agents[0]!.id, agents[1]!.id].sort());
      expect(spawns).toBe(3);
    } finally {
      svc.shutdown();
    }
  });

  it("a turn ending refreshes the status and announces git.changed only when it moved", async () => {
    let spawns = 0;
    const svc = createGitStatusService({
      agents: services.agents,
      bus: services.bus,
      logger: silentLogger,
      minIntervalMs: 50,
      run: (args, opts) => {
        spawns++;
        return runGit(args, opts);
      },
    });
    const changed: string[] = [];
    const off = services.bus.subscribe("git.changed", ({ agentId }) => changed.push(agentId));
    try {
      const { work } = cloned();
      const agent = await services.agents.create({ name: "r", folder: work });
      expect(await svc.status(agent.id)).toMatchObject({ dirty: 0 });
      changed.length = 0;
      fs.writeFileSync(path.join(work, "made by the agent.txt"), "x\n");
      const turnEnd = { agentId: agent.id, tabId: "t", turnId: "u", status: "done" };
      services.bus.publish("turn.status", turnEnd);
      await waitFor(() => changed.length === 1);
      expect(changed).toEqual([agent.id]);
      expect(await svc.status(agent.id)).toMatchObject({ untracked: 1, dirty: 1 });
      // Nothing moved: git runs again, nobody is told.
      const before = spawns;
      services.bus.publish("turn.status", turnEnd);
      await waitFor(() => spawns === before + 1);
      await new Promise((r) => setTimeout(r, 100));
      expect(changed).toEqual([agent.id]);
      // A burst of turn ends within the interval is one run.
      const burst = spawns;
      for (let i = 0; i < 5; i++) services.bus.publish("turn.status", turnEnd);
      await new Promise((r) => setTimeout(r, 200));
      expect(spawns).toBe(burst + 1);
    } finally {
      off();
      svc.shutdown();
    }
  });

  it("while watched, a file written in the folder refreshes it", async () => {
    const { work } = cloned();
    const agent = await services.agents.create({ name: "w", folder: work });
    expect(await services.git.status(agent.id)).toMatchObject({ dirty: 0 });
    const changed: string[] = [];
    const off = services.bus.subscribe("git.changed", ({ agentId }) => changed.push(agentId));
    const release = await services.git.watch(agent.id);
    try {
      // Let the recursive watch settle before touching anything.
      await new Promise((r) => setTimeout(r, 300));
      fs.writeFileSync(path.join(work, "edited elsewhere.txt"), "x\n");
      await waitFor(() => changed.length > 0);
      expect(await services.git.status(agent.id)).toMatchObject({ untracked: 1, dirty: 1 });
    } finally {
      release();
      off();
    }
  });

  it("ignores .git object churn in the watcher's filter", async () => {
    let spawns = 0;
    const svc = createGitStatusService({
      agents: services.agents,
      bus: services.bus,
      logger: silentLogger,
      minIntervalMs: 10,
      run: (args, opts) => {
        spawns++;
        return runGit(args, opts);
      },
    });
    const { work } = cloned();
    const agent = await services.agents.create({ name: "o", folder: work });
    await svc.status(agent.id);
    const release = await svc.watch(agent.id);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const before = spawns;
      fs.mkdirSync(path.join(work, ".git", "objects", "zz"), { recursive: true });
      fs.writeFileSync(path.join(work, ".git", "objects", "zz", "blob"), "x");
      fs.writeFileSync(path.join(work, ".git", "index.lock"), "x");
      fs.rmSync(path.join(work, ".git", "index.lock"));
      await new Promise((r) => setTimeout(r, 600));
      expect(spawns).toBe(before);
      fs.writeFileSync(path.join(work, "real.txt"), "x");
      await waitFor(() => spawns === before + 1);
    } finally {
      release();
      svc.shutdown();
    }
  });
});
