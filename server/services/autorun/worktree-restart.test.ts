import fs from "node:fs";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { openDatabase } from "../../db";
import { readServicesEnv } from "../../env";
import { silentLogger } from "../../logger";
import { createServices, type Services } from "../index";
import { gitOk } from "../git/run-git";
import { tempDir } from "../../testing/harness";

/**
 * A run in a worktree across a bridge stop: the service graph shuts down mid-task (its runs
 * paused, the task in flight cut off), a new graph on the same database recovers it, and Resume
 * finishes it in the same worktree, with every change committed once.
 */
const dataDir = tempDir("maestro-wt-restart-home-");
const root = fs.realpathSync(tempDir("maestro-wt-restart-"));
const simHome = tempDir("maestro-wt-restart-sim-");
const db = openDatabase(dataDir);
const graphs: Services[] = [];
const graph = () => {
  const s = createServices(db, {
    dataDir,
    env: readServicesEnv(),
    logger: silentLogger,
    turns: { idleTimeoutMs: 10_000, stopGraceMs: 200 },
  });
  graphs.push(s);
  return s;
};
afterAll(async () => {
  for (const s of graphs) await s.shutdown().catch(() => {});
  await db.$disconnect();
  for (const d of [dataDir, root, simHome]) fs.rmSync(d, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) => gitOk(args, { cwd }).then((o) => o.trim());

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test("stopped mid-task and recovered: the run resumes in its worktree and its branch holds each task once", async () => {
  process.env.MAESTRO_SIM_HOME = simHome;
  const repo = path.join(root, "app");
  fs.mkdirSync(repo);
  await git(repo, "init", "-q", "-b", "main");
  await git(repo, "config", "user.name", "Test");
  await git(repo, "config", "user.email", "test@example.com");
  fs.writeFileSync(path.join(repo, "README.md"), "app\n");
  await git(repo, "add", "-A");
  await git(repo, "commit", "-q", "-m", "init");
  const plan = "# Plan\n\n- [ ] write one.txt\n- [ ] write two.txt\n- [ ] write three.txt\n";
  fs.mkdirSync(path.join(repo, ".maestro", "playbooks"), { recursive: true });
  fs.writeFileSync(path.join(repo, ".maestro", "playbooks", "plan.md"), plan);

  const first = graph();
  const agent = await first.agents.create({ name: "App", folder: repo, provider: "simulator" });
  // Slow enough that a task is surely in flight when the graph stops.
  await first.agents.updateSettings(agent.id, { env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "120" } });
  const started = await first.autorun.start({
    agentId: agent.id,
    config: {
      documents: [{ filename: "plan.md" }],
      worktreeSettings: { branchNameTemplate: "autorun/restart", createPROnCompletion: false },
    },
  });
  await waitFor("task 2 in flight", async () => {
    const r = await db.autorunRun.findUniqueOrThrow({ where: { id: started.id } });
    return r.tasksDone >= 1 && r.currentTurnId !== null && r.status === "running";
  });
  await first.shutdown();
  expect(await db.autorunRun.findUniqueOrThrow({ where: { id: started.id } })).toMatchObject({ status: "paused", pauseKind: "restart" });

  const second = graph();
  await second.autorun.recover();
  await second.autorun.resume(started.id);
  const run = await waitFor("the run to end", async () => {
    const r = await db.autorunRun.findUniqueOrThrow({ where: { id: started.id } });
    return ["done", "error", "aborted", "halted"].includes(r.status) ? r : null;
  });
  expect(run).toMatchObject({ status: "done", tasksDone: 3, worktreeBranch: "autorun/restart", agentId: started.agentId });
  const worktree = (await db.agent.findUniqueOrThrow({ where: { id: run.agentId } })).folder;
  // Everything the agent did is committed, each task at most once, and nothing landed in the parent.
  expect(await git(worktree, "status", "--porcelain", "--", ".", ":(exclude).maestro")).toBe("");
  // Task 2 was cut off: committed either by the recovery (its file ticked) or after Resume ran it
  // again; either way once, in order, holding its own file.
  const subjects = (await git(repo, "log", "--format=%s", "main..autorun/restart")).split("\n");
  expect(subjects).toEqual(["Auto Run: write three.txt", "Auto Run: write two.txt", "Auto Run: write one.txt"]);
  for (const [i, file] of ["three.txt", "two.txt", "one.txt"].entries())
    expect(await git(repo, "show", "--name-only", "--format=", `autorun/restart~${i}`)).toBe(file);
  expect(fs.readFileSync(path.join(repo, ".maestro", "playbooks", "plan.md"), "utf8")).toBe(plan);
  expect(await git(repo, "status", "--porcelain")).toBe("?? .maestro/");
}, 90_000);
