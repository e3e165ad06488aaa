// The executor end to end: real SQLite, real git repositories in temp dirs, the real simulator
// as every worker's CLI. Failures: executor-failure.test.ts; pause and restart: executor-pause.test.ts.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { createTestServices } from "../../testing/harness";
import { execSuite, executorOn, git, makeMission, statusOf, testRecorder, turnsOverlap, until } from "./exec.testkit";

const ex = execSuite();

describe("a diamond runs in parallel, in dependency order", () => {
  test("b and c overlap, d starts after both merged and sees their files; finish merge puts every file on main", async () => {
    const { folder, agent } = await ex.project();
    const id = await makeMission(ex.world.services.db, {
      agentId: agent.id,
      concurrency: 2,
      finishMode: "merge",
      features: [
        { key: "a", verify: ["`test -f a.txt`"] },
        { key: "b", dependsOn: ["a"], description: "[sim: slow 60]", verify: ["$ test -f a.txt", "$ test -f b.txt"] },
        { key: "c", dependsOn: ["a"], description: "[sim: slow 60]" },
        { key: "d", dependsOn: ["b", "c"], verify: ["`test -f b.txt`", "`test -f c.txt`", "the page looks right"] },
      ],
    });
    await ex.world.executor.start(id);
    const v = await ex.settled(id);
    expect(v.status).toBe("completed");
    expect(statusOf(v)).toEqual({ a: "done", b: "done", c: "done", d: "done" });
    const at = (k: string, w: "startedAt" | "endedAt") => Date.parse(v.features.find((f) => f.key === k)![w]!);
    // b's and c's workers ran at the same time (their turns overlap); d started only after both.
    expect(await turnsOverlap(ex.world.services.db, v, "b", "c")).toBe(true);
    expect(at("d", "startedAt")).toBeGreaterThanOrEqual(Math.max(at("b", "endedAt"), at("c", "endedAt")) - 5);
    expect(at("b", "startedAt")).toBeGreaterThanOrEqual(at("a", "endedAt") - 5);
    // Every assertion passed: by the verifier where commands ran, by the worker's report where none did.
    const a = Object.fromEntries(v.assertions.map((x) => [x.key, x]));
    expect(a["d-works"]).toMatchObject({ status: "passed", setBy: "verifier" });
    expect(a["d-works"]!.evidence).toContain("$ test -f c.txt → exit 0");
    expect(a["c-works"]).toMatchObject({ status: "passed", setBy: "worker" });
    expect(a["c-works"]!.evidence).toContain("Implemented Feature c (c)");
    // Each feature merged in order; the base branch got them all.
    expect(v.milestones[0]).toMatchObject({ status: "sealed", sealedBy: "auto" });
    expect(v.prVia).toBe("merge");
    expect(git(folder, "branch", "--show-current")).toBe("main");
    for (const k of ["a", "b", "c", "d"]) expect(fs.readFileSync(path.join(folder, `${k}.txt`), "utf8")).toBe(`${k}: Feature ${k}\n`);
    // d's prompt carried its dependencies' handoffs; tokens and time are on the features.
    expect(ex.world.recorder.prompts.get("d")).toContain("Implemented Feature b (b)");
    expect(v.features.every((f) => f.durationMs > 0 && f.outputTokens > 0 && f.attempts === 1)).toBe(true);
    expect(ex.world.recorder.notices.map((n) => n.title)).toContain("Mission done");
    expect(await ex.world.services.db.missionHandoff.count({ where: { missionId: id } })).toBe(4);
  }, 120_000);
});

describe("milestones and the pool", () => {
  test("a validation milestone waits for review; sealed, the next milestone runs on the pool agent of the worker type", async () => {
    const { agent } = await ex.project();
    const other = await ex.world.services.agents.create({ name: `pool-${agent.name}`, folder: agent.folder, provider: "claude" });
    const id = await makeMission(ex.world.services.db, {
      agentId: agent.id,
      pool: [other.id, agent.id],
      milestones: [{ key: "gate", kind: "validation" }, { key: "later" }],
      features: [
        { key: "a", milestone: "gate" },
        { key: "b", milestone: "later", dependsOn: ["a"] },
      ],
    });
    await ex.world.services.db.missionFeature.updateMany({ where: { missionId: id }, data: { workerType: "simulator" } });
    await ex.world.executor.start(id);
    let v = await ex.viewUntil(id, "the gate to wait for review", (x) => x.milestones[0]!.status === "review");
    expect(v.milestones.map((m) => m.status)).toEqual(["review", "pending"]);
    expect(statusOf(v)).toEqual({ a: "done", b: "pending" });
    expect(ex.world.recorder.notices.some((n) => n.missionId === id && n.title === "Milestone needs review")).toBe(true);
    // Kicks while in review start nothing.
    ex.world.executor.kick(id);
    await ex.world.executor.idle(id);
    expect(ex.world.executor.running(id)).toEqual([]);
    expect(statusOf(await ex.view(id))).toEqual({ a: "done", b: "pending" });
    // What m-state's sealMilestone does: seal, then kick.
    await ex.world.services.db.missionMilestone.update({
      where: { missionId_key: { missionId: id, key: "gate" } },
      data: { status: "sealed", sealedBy: "user", sealedAt: new Date() },
    });
    ex.world.executor.kick(id);
    v = await ex.viewUntil(id, "the mission to complete", (x) => x.status === "completed");
    expect(v.milestones.map((m) => [m.status, m.sealedBy])).toEqual([
      ["sealed", "user"],
      ["sealed", "auto"],
    ]);
    // workerType "simulator" picked the pool agent whose provider is the simulator, not the first of the pool.
    expect(v.features.map((f) => f.agentId)).toEqual([agent.id, agent.id]);
    expect(v.prVia).toBe("none");
    expect(await ex.world.services.db.missionCheckpoint.count({ where: { missionId: id } })).toBe(1);
  }, 120_000);
});

describe("worktrees made ahead", () => {
  test("spread over the pool (least busy per choice) and used by the features they were made for", async () => {
    const { agent } = await ex.project();
    const second = await ex.world.services.agents.create({ name: `second-${agent.name}`, folder: agent.folder, provider: "simulator" });
    const id = await makeMission(ex.world.services.db, {
      agentId: agent.id,
      pool: [agent.id, second.id],
      concurrency: 3,
      features: [
        { key: "a", description: "[sim: slow 150]" },
        { key: "b", dependsOn: ["a"] },
        { key: "c", dependsOn: ["a"] },
        { key: "d", dependsOn: ["a"] },
      ],
    });
    await ex.world.executor.start(id);
    const v = await ex.viewUntil(id, "the mission to complete", (x) => x.status !== "executing");
    expect(v.status).toBe("completed");
    const later = v.features.filter((f) => f.key !== "a");
    // Not all on the one pool agent that was least busy when they were prepared.
    expect(new Set(later.map((f) => f.agentId)).size).toBe(2);
    // Each ran in the worktree made for it (made ahead under the agent that ran it): no second one, no -2 branch.
    for (const f of later) {
      const wt = await ex.world.services.db.agent.findUniqueOrThrow({ where: { id: f.worktreeAgentId! } });
      expect([f.key, wt.parentId]).toEqual([f.key, f.agentId]);
      expect(f.branch).not.toMatch(/-\d+$/);
    }
    const made = await ex.world.services.db.agent.count({
      where: { parentId: { in: [agent.id, second.id] }, worktreeBranch: { startsWith: `mission/${v.refId}/f/` } },
    });
    expect(made).toBe(4);
  }, 120_000);
});

describe("start", () => {
  test("two starts at once (a double tap on Approve) make the mission branch once; both succeed", async () => {
    const { agent } = await ex.project();
    const id = await makeMission(ex.world.services.db, { agentId: agent.id, features: [{ key: "a" }] });
    await Promise.all([ex.world.executor.start(id), ex.world.executor.start(id)]);
    const v = await ex.settled(id);
    expect(v.status).toBe("completed");
    expect(await ex.world.services.db.missionEvent.count({ where: { missionId: id, type: "mission-started" } })).toBe(1);
    expect(await ex.world.services.db.agent.count({ where: { worktreeBranch: v.branch } })).toBe(1);
  }, 60_000);
});

describe("the finish", () => {
  test("a pull request finish cut off by a kill: on Resume the pull request it opened is its own (no warning); a fresh one says it existed", async () => {
    const { agent } = await ex.project();
    const calls: string[] = [];
    const finish = {
      mergeBack: async () => ({ sha: "x" }),
      createPr: async (input: { agentId: string }) => {
        calls.push(input.agentId);
        return { url: "https://github.com/o/r/pull/7", via: "gh" as const, reason: "A pull request for this branch already exists." };
      },
    };
    const executor = executorOn(ex.world.services, testRecorder(ex.world.services.db), { finish: () => finish });
    const ready = async () => {
      const id = await makeMission(ex.world.services.db, { agentId: agent.id, features: [], finishMode: "pr" });
      await ex.world.services.db.mission.update({
        where: { id },
        data: { status: "executing", branch: "mission/x/main", baseBranch: "main", missionAgentId: agent.id },
      });
      await ex.world.services.db.missionMilestone.updateMany({ where: { missionId: id }, data: { status: "sealed", sealedBy: "auto" } });
      return id;
    };
    // As a killed bridge leaves it: the finish had begun (its marker stored), then recovery and Resume.
    const cut = await ready();
    await ex.world.services.db.missionEvent.create({ data: { missionId: cut, type: "mission-finishing", payload: "{}" } });
    executor.kick(cut);
    await executor.idle(cut);
    expect(await ex.view(cut)).toMatchObject({
      status: "completed",
      prUrl: "https://github.com/o/r/pull/7",
      prVia: "gh",
      finishWarning: null,
    });
    const fresh = await ready();
    executor.kick(fresh);
    await executor.idle(fresh);
    expect(await ex.view(fresh)).toMatchObject({ status: "completed", finishWarning: "A pull request for this branch already exists." });
    expect(calls).toHaveLength(2);
    expect(await ex.world.services.db.missionEvent.count({ where: { missionId: fresh, type: "mission-finishing" } })).toBe(1);
  }, 60_000);
});

describe("through the missions service", () => {
  test("a plan of 2 milestones and 6 features (a diamond, then a validation gate) runs to one merge with every assertion passed", async () => {
    const services = createTestServices({ turns: { idleTimeoutMs: 20_000, stopGraceMs: 300 } });
    try {
      const folder = ex.gitFolder();
      const agent = await services.agents.create({ name: "Service project", folder, provider: "simulator" });
      const f = (id: string, milestoneId: string, dependsOn: string[] = []) => ({
        id,
        milestoneId,
        title: `Build ${id}`,
        dependsOn,
        verificationSteps: [`\`test -f ${id}.txt\``],
        fulfills: [`${id}-ok`],
      });
      const { id } = await services.missions.create({
        agentId: agent.id,
        concurrency: 3,
        finishMode: "merge",
        plan: {
          title: "Diamond",
          milestones: [
            { id: "build", title: "Build", kind: "work" },
            { id: "check", title: "Check", kind: "gate" },
          ],
          features: [
            f("base", "build"),
            f("left", "build", ["base"]),
            f("right", "build", ["base"]),
            f("middle", "build", ["base"]),
            f("top", "build", ["left", "right", "middle"]),
            f("review", "check", ["top"]),
          ],
        },
      });
      await services.missions.approve(id);
      let v = await until(
        "the gate to wait for review",
        () => services.missions.get(id),
        (x) => x.milestones[1]?.status === "review",
      );
      expect(v.features.map((x) => x.status)).toEqual(["done", "done", "done", "done", "done", "done"]);
      expect(await turnsOverlap(services.db, v, "left", "right")).toBe(true);
      expect(await turnsOverlap(services.db, v, "right", "middle")).toBe(true);
      await services.missions.sealMilestone({ missionId: id, milestoneKey: "check" });
      v = await until(
        "the mission to complete",
        () => services.missions.get(id),
        (x) => x.status === "completed",
      );
      expect(v.assertions.every((a) => a.status === "passed" && a.setBy === "verifier")).toBe(true);
      expect(v.prVia).toBe("merge");
      for (const k of ["base", "left", "right", "middle", "top", "review"]) expect(fs.existsSync(path.join(folder, `${k}.txt`))).toBe(true);
      expect(git(folder, "log", "--merges", "--format=%s", "-1")).toContain(v.branch!);
      const log = (await services.missions.log({ missionId: id, limit: 500 })).map((e) => e.type);
      expect(log.filter((t) => t === "feature-done")).toHaveLength(6);
      expect(log).toContain("mission-completed");
    } finally {
      await services.cleanup();
    }
  }, 180_000);
});
