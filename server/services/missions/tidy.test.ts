// Feature worktrees are tidied: at the mission's end (merged ones go: folder, agent, branch; the
// worker's conversation moves to the mission's agent), and a worktree made ahead for a pool
// agent that is deleted before its feature starts. Real SQLite, git and the simulator.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { conversationAgentOf, listedAgents } from "../../../lib/missions/agent-rows";
import { tempDir } from "../../testing/harness";
import { execWorldTidy, git, gitProject, makeMission, until, viewOf } from "./exec.testkit";

const simHome = tempDir("maestro-simhome-");
let world: ReturnType<typeof execWorldTidy>;
const folders: string[] = [];

beforeAll(() => {
  process.env.MAESTRO_SIM_HOME = simHome;
  delete process.env.MAESTRO_SIM_FAULT;
  world = execWorldTidy();
});
afterAll(async () => {
  await world.services.cleanup();
  for (const f of [...folders, simHome]) fs.rmSync(f, { recursive: true, force: true });
});

async function project() {
  const folder = gitProject();
  folders.push(folder, `${folder}.worktrees`);
  const agent = await world.services.agents.create({ name: `p-${path.basename(folder)}`, folder, provider: "simulator" });
  return { folder, agent };
}

const view = (id: string) => viewOf(world.services.db, id);
// Settled: no longer executing, no worker left, and the tidying after "completed" (in the
// mission's chain) over.
const settled = async (id: string) => {
  await until(
    `mission ${id} to settle`,
    () => view(id),
    (v) => v.status !== "executing" && world.executor.running(id).length === 0,
  );
  await world.executor.idle(id);
  return view(id);
};
const worktreePaths = (folder: string) =>
  git(folder, "worktree", "list", "--porcelain")
    .split("\n")
    .filter((l) => l.startsWith("worktree "))
    .map((l) => l.slice("worktree ".length));
const featureBranches = (folder: string) => git(folder, "branch", "--list", "mission/*/f/*", "--format=%(refname:short)");

describe("the agent lists and the mission's end", () => {
  test("feature worktree agents are marked and left out of the lists; at completion they go, the mission's agent stays", async () => {
    const { folder, agent } = await project();
    const db = world.services.db;
    const id = await makeMission(db, {
      agentId: agent.id,
      features: [{ key: "a" }, { key: "b", dependsOn: ["a"], description: "[sim: slow 150]" }],
    });
    await world.executor.start(id);
    const mid = await until(
      "b's worktree",
      () => view(id),
      (v) => !!v.features.find((f) => f.key === "b")?.worktreeAgentId,
    );
    const wt = mid.features.map((f) => f.worktreeAgentId!);
    const wtFolders = await Promise.all(wt.map(async (x) => (await db.agent.findUniqueOrThrow({ where: { id: x } })).folder));
    const listed = await world.services.agents.list();
    for (const x of wt) expect(listed.find((a) => a.id === x)?.mission).toMatchObject({ missionId: id, role: "feature" });
    expect(listed.find((a) => a.id === mid.missionAgentId)?.mission).toMatchObject({
      missionId: id,
      role: "mission",
      title: "Test mission",
    });
    expect(listedAgents(listed).map((a) => a.id)).toEqual([agent.id, mid.missionAgentId]);

    const v = await settled(id);
    expect(v.status).toBe("completed");
    expect(v.features.map((f) => f.status)).toEqual(["done", "done"]);
    // The worktrees are gone: folders, agents, branches; git lists the project and the mission branch only.
    for (const [i, x] of wt.entries()) {
      expect(await db.agent.findUnique({ where: { id: x } })).toBeNull();
      expect(fs.existsSync(wtFolders[i]!)).toBe(false);
    }
    expect(featureBranches(folder)).toBe("");
    expect(worktreePaths(folder)).toHaveLength(2);
    expect(git(folder, "branch", "--list", v.branch!, "--format=%(refname:short)")).toBe(v.branch);
    // Each worker's conversation is on the mission's agent now, where Mission Control links.
    for (const f of v.features) {
      expect(f.worktreeAgentId).toBeNull();
      expect(conversationAgentOf(v, f)).toBe(v.missionAgentId);
      const tab = await db.tab.findUniqueOrThrow({ where: { id: f.tabId! } });
      expect(tab.agentId).toBe(v.missionAgentId);
      expect(await db.turn.count({ where: { tabId: f.tabId!, agentId: v.missionAgentId! } })).toBeGreaterThan(0);
    }
    const after = await world.services.agents.list();
    expect(after.filter((a) => a.mission).map((a) => [a.id, a.mission!.role])).toEqual([[v.missionAgentId, "mission"]]);
    const log = await db.missionEvent.findMany({ where: { missionId: id, type: "worktrees-tidied" } });
    expect(log).toHaveLength(1);
    expect(log[0]!.payload).toContain("Removed the worktrees of Feature a, Feature b");
  }, 120_000);

  test("a feature worktree with work not in the mission branch stays at completion, and the log says why", async () => {
    const { folder, agent } = await project();
    const db = world.services.db;
    // c fails its verification (its work is committed, never merged); it is skipped so the mission completes.
    const id = await makeMission(db, { agentId: agent.id, features: [{ key: "c", verify: ["$ test -f nowhere.txt"] }] });
    await world.executor.start(id);
    let v = await settled(id);
    expect(v.features[0]!.status).toBe("failed");
    await db.missionFeature.update({ where: { missionId_key: { missionId: id, key: "c" } }, data: { status: "skipped" } });
    await db.mission.update({ where: { id }, data: { status: "executing" } });
    world.executor.kick(id);
    v = await settled(id);
    expect(v.status).toBe("completed");
    const c = v.features[0]!;
    expect(c.worktreeAgentId).not.toBeNull();
    expect(fs.existsSync((await db.agent.findUniqueOrThrow({ where: { id: c.worktreeAgentId! } })).folder)).toBe(true);
    expect(featureBranches(folder)).not.toBe("");
    const log = await db.missionEvent.findFirstOrThrow({ where: { missionId: id, type: "worktrees-tidied" } });
    expect(log.payload).toContain(`Kept the worktree of Feature c (its branch is not in ${v.branch})`);
  }, 120_000);
});

describe("a worktree made ahead of time", () => {
  test("whose pool agent is deleted before its feature starts is removed, and the feature gets a fresh one", async () => {
    const { folder, agent } = await project();
    const db = world.services.db;
    const p1 = await world.services.agents.create({ name: `p1-${path.basename(folder)}`, folder, provider: "simulator" });
    const p2 = await world.services.agents.create({ name: `p2-${path.basename(folder)}`, folder, provider: "simulator" });
    const id = await makeMission(db, {
      agentId: agent.id,
      concurrency: 2,
      pool: [p1.id, p2.id],
      features: [
        { key: "a", description: "[sim: slow 400]" },
        { key: "b", dependsOn: ["a"] },
      ],
    });
    await world.executor.start(id);
    const mid = await until(
      "b's worktree made ahead",
      () => view(id),
      (v) => !!v.features.find((f) => f.key === "b")?.worktreeAgentId,
    );
    expect(mid.features.find((f) => f.key === "a")!.status).toBe("in-progress");
    const prepared = await db.agent.findUniqueOrThrow({ where: { id: mid.features.find((f) => f.key === "b")!.worktreeAgentId! } });
    expect(prepared.parentId).toBe(p2.id);
    await world.services.agents.remove(p2.id);

    const v = await settled(id);
    expect(v.status).toBe("completed");
    const b = v.features.find((f) => f.key === "b")!;
    expect(b.status).toBe("done");
    expect(b.agentId).toBe(p1.id);
    // The orphan went (agent and folder), and its branch name went to b's fresh worktree (no "-2").
    expect(await db.agent.findUnique({ where: { id: prepared.id } })).toBeNull();
    expect(fs.existsSync(prepared.folder)).toBe(false);
    expect(b.branch).toBe(prepared.worktreeBranch);
    expect(worktreePaths(folder)).not.toContain(prepared.folder);
  }, 120_000);
});
