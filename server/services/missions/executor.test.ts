// The executor end to end: real SQLite, real git repositories in temp dirs, the real simulator
// as every worker's CLI.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { MissionView } from "../../../lib/missions/types";
import { createTestServices, tempDir } from "../../testing/harness";
import { createMissionExecutor } from "./executor";
import { execWorld, git, gitProject, makeMission, testRecorder, turnsOverlap, until, viewOf } from "./exec.testkit";

const simHome = tempDir("maestro-simhome-");
let world: ReturnType<typeof execWorld>;
const folders: string[] = [];

beforeAll(() => {
  process.env.MAESTRO_SIM_HOME = simHome;
  delete process.env.MAESTRO_SIM_FAULT;
  world = execWorld();
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
const statusOf = (v: MissionView) => Object.fromEntries(v.features.map((f) => [f.key, f.status]));
const settledMission = (id: string) =>
  until(
    `mission ${id} to settle`,
    () => view(id),
    (v) => v.status !== "executing" && world.executor.running(id).length === 0,
  );

describe("a diamond runs in parallel, in dependency order", () => {
  test("b and c overlap, d starts after both merged and sees their files; finish merge puts every file on main", async () => {
    const { folder, agent } = await project();
    const id = await makeMission(world.services.db, {
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
    await world.executor.start(id);
    const v = await settledMission(id);
    expect(v.status).toBe("completed");
    expect(statusOf(v)).toEqual({ a: "done", b: "done", c: "done", d: "done" });
    const at = (k: string, w: "startedAt" | "endedAt") => Date.parse(v.features.find((f) => f.key === k)![w]!);
    // b's and c's workers ran at the same time (their turns overlap); d started only after both.
    expect(await turnsOverlap(world.services.db, v, "b", "c")).toBe(true);
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
    expect(world.recorder.prompts.get("d")).toContain("Implemented Feature b (b)");
    expect(v.features.every((f) => f.durationMs > 0 && f.outputTokens > 0 && f.attempts === 1)).toBe(true);
    expect(world.recorder.notices.map((n) => n.title)).toContain("Mission done");
    expect(await world.services.db.missionHandoff.count({ where: { missionId: id } })).toBe(4);
  }, 120_000);
});

describe("milestones and the pool", () => {
  test("a validation milestone waits for review; sealed, the next milestone runs on the pool agent of the worker type", async () => {
    const { agent } = await project();
    const other = await world.services.agents.create({ name: `pool-${agent.name}`, folder: agent.folder, provider: "claude" });
    const id = await makeMission(world.services.db, {
      agentId: agent.id,
      pool: [other.id, agent.id],
      milestones: [{ key: "gate", kind: "validation" }, { key: "later" }],
      features: [
        { key: "a", milestone: "gate" },
        { key: "b", milestone: "later", dependsOn: ["a"] },
      ],
    });
    await world.services.db.missionFeature.updateMany({ where: { missionId: id }, data: { workerType: "simulator" } });
    await world.executor.start(id);
    let v = await until(
      "the gate to wait for review",
      () => view(id),
      (x) => x.milestones[0]!.status === "review",
    );
    expect(v.milestones.map((m) => m.status)).toEqual(["review", "pending"]);
    expect(statusOf(v)).toEqual({ a: "done", b: "pending" });
    expect(world.recorder.notices.some((n) => n.missionId === id && n.title === "Milestone needs review")).toBe(true);
    // Kicks while in review start nothing.
    world.executor.kick(id);
    await world.executor.idle(id);
    expect(world.executor.running(id)).toEqual([]);
    expect(statusOf(await view(id))).toEqual({ a: "done", b: "pending" });
    // What m-state's sealMilestone does: seal, then kick.
    await world.services.db.missionMilestone.update({
      where: { missionId_key: { missionId: id, key: "gate" } },
      data: { status: "sealed", sealedBy: "user", sealedAt: new Date() },
    });
    world.executor.kick(id);
    v = await until(
      "the mission to complete",
      () => view(id),
      (x) => x.status === "completed",
    );
    expect(v.milestones.map((m) => [m.status, m.sealedBy])).toEqual([
      ["sealed", "user"],
      ["sealed", "auto"],
    ]);
    // workerType "simulator" picked the pool agent whose provider is the simulator, not the first of the pool.
    expect(v.features.map((f) => f.agentId)).toEqual([agent.id, agent.id]);
    expect(v.prVia).toBe("none");
    expect(await world.services.db.missionCheckpoint.count({ where: { missionId: id } })).toBe(1);
  }, 120_000);
});

describe("pause against the scheduler", () => {
  test("a pause as a feature is done (its dependents' step in flight) leaves no worker running and no feature in progress; Resume completes", async () => {
    const { agent } = await project();
    const id = await makeMission(world.services.db, {
      agentId: agent.id,
      concurrency: 3,
      features: [{ key: "a" }, { key: "b", dependsOn: ["a"] }, { key: "c", dependsOn: ["a"] }],
    });
    // As a person's Pause heard on the bus would come: the moment "a is done" is stored (its
    // worker then kicks the step that starts b and c), the mission is paused as lifecycle.pause
    // does it (the status committed, then the executor stops the mission's workers).
    const commit = world.recorder.commit.bind(world.recorder);
    const heard: { pausing: Promise<void> | null } = { pausing: null };
    world.recorder.commit = async (missionId, change, log) => {
      const out = await commit(missionId, change, log);
      if (missionId === id && !heard.pausing && log.some((l) => l.type === "feature-done" && l.featureKey === "a"))
        heard.pausing = commit(
          id,
          (tx) => tx.mission.update({ where: { id }, data: { status: "paused", statusDetail: "Paused by you." } }).then(() => {}),
          [{ type: "mission-paused", text: "Paused by you." }],
        ).then(() => world.executor.stop(id, "pause"));
      return out;
    };
    try {
      await world.executor.start(id);
      await until(
        "a to be done and the pause to begin",
        async () => heard.pausing,
        (p) => p !== null,
      );
      await heard.pausing;
    } finally {
      world.recorder.commit = commit;
    }
    await world.executor.idle(id);
    const v = await view(id);
    expect(v.status).toBe("paused");
    expect(world.executor.running(id)).toEqual([]);
    expect(statusOf(v)).toEqual({ a: "done", b: "pending", c: "pending" });
    // Still so once whatever the stopped workers kicked has run.
    await world.executor.idle(id);
    expect(world.executor.running(id)).toEqual([]);
    expect(statusOf(await view(id))).toEqual({ a: "done", b: "pending", c: "pending" });
    await world.services.db.mission.update({ where: { id }, data: { status: "executing" } });
    world.executor.kick(id);
    const done = await until(
      "the resumed mission to complete",
      () => view(id),
      (x) => x.status === "completed",
    );
    expect(statusOf(done)).toEqual({ a: "done", b: "done", c: "done" });
  }, 120_000);
});

describe("a turn is paid once", () => {
  test("a pause during verification keeps the feature in review; Resume verifies and merges it without running its turn again", async () => {
    const { agent } = await project();
    const id = await makeMission(world.services.db, {
      agentId: agent.id,
      features: [{ key: "a", verify: ["`sleep 30`"] }],
    });
    const commit = world.recorder.commit.bind(world.recorder);
    const heard: { pausing: Promise<void> | null } = { pausing: null };
    world.recorder.commit = async (missionId, change, log) => {
      const out = await commit(missionId, change, log);
      if (missionId === id && !heard.pausing && log.some((l) => l.type === "verification" || l.type === "feature-review"))
        heard.pausing = commit(
          id,
          (tx) => tx.mission.update({ where: { id }, data: { status: "paused", statusDetail: "Paused by you." } }).then(() => {}),
          [{ type: "mission-paused", text: "Paused by you." }],
        ).then(() => world.executor.stop(id, "pause"));
      return out;
    };
    try {
      await world.executor.start(id);
      await until(
        "a's review and the pause",
        async () => heard.pausing,
        (p) => p !== null,
      );
      await heard.pausing;
    } finally {
      world.recorder.commit = commit;
    }
    await world.executor.idle(id);
    let v = await view(id);
    expect(v.status).toBe("paused");
    expect(world.executor.running(id)).toEqual([]);
    expect(v.features[0]).toMatchObject({ status: "review", attempts: 1 });
    expect(v.features[0]!.statusDetail).toBe("Stopped (pause) while verifying: Resume verifies and merges it.");
    const turnId = v.features[0]!.turnId;
    expect(turnId).not.toBeNull();
    // The verification now passes quickly; Resume only reviews.
    await world.services.db.missionFeature.updateMany({
      where: { missionId: id },
      data: { verificationJson: JSON.stringify(["`test -f a.txt`"]) },
    });
    await world.services.db.mission.update({ where: { id }, data: { status: "executing", statusDetail: "" } });
    world.executor.kick(id);
    v = await until(
      "the mission to complete",
      () => view(id),
      (x) => x.status === "completed",
    );
    expect(v.features[0]).toMatchObject({ status: "done", attempts: 1, turnId });
    expect(v.assertions[0]).toMatchObject({ status: "passed", setBy: "verifier" });
    const types = (await world.services.db.missionEvent.findMany({ where: { missionId: id }, orderBy: { id: "asc" } })).map((e) => e.type);
    expect(types.filter((t) => t === "feature-started")).toHaveLength(1);
    expect(await world.services.db.turn.count({ where: { tabId: v.features[0]!.tabId! } })).toBe(1);
    expect(await world.services.db.missionHandoff.count({ where: { missionId: id } })).toBe(1);
  }, 120_000);
});

describe("worktrees made ahead", () => {
  test("spread over the pool (least busy per choice) and used by the features they were made for", async () => {
    const { agent } = await project();
    const second = await world.services.agents.create({ name: `second-${agent.name}`, folder: agent.folder, provider: "simulator" });
    const id = await makeMission(world.services.db, {
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
    await world.executor.start(id);
    const v = await until(
      "the mission to complete",
      () => view(id),
      (x) => x.status !== "executing",
    );
    expect(v.status).toBe("completed");
    const later = v.features.filter((f) => f.key !== "a");
    // Not all on the one pool agent that was least busy when they were prepared.
    expect(new Set(later.map((f) => f.agentId)).size).toBe(2);
    // Each ran in the worktree made for it (made ahead under the agent that ran it): no second one, no -2 branch.
    for (const f of later) {
      const wt = await world.services.db.agent.findUniqueOrThrow({ where: { id: f.worktreeAgentId! } });
      expect([f.key, wt.parentId]).toEqual([f.key, f.agentId]);
      expect(f.branch).not.toMatch(/-\d+$/);
    }
    const made = await world.services.db.agent.count({
      where: { parentId: { in: [agent.id, second.id] }, worktreeBranch: { startsWith: `mission/${v.refId}/f/` } },
    });
    expect(made).toBe(4);
  }, 120_000);
});

describe("failures", () => {
  test("a failing verification command fails the feature and blocks its dependents; Retry works", async () => {
    const { folder, agent } = await project();
    const id = await makeMission(world.services.db, {
      agentId: agent.id,
      features: [
        { key: "a", verify: ["`test -f flag.txt`"] },
        { key: "b", dependsOn: ["a"] },
        { key: "c", dependsOn: ["b"] },
        { key: "x" },
      ],
    });
    await world.executor.start(id);
    let v = await settledMission(id);
    expect(v.status).toBe("paused");
    expect(v.statusDetail).toBe("Feature Feature a failed: Retry, Skip or Reassign.");
    expect(statusOf(v)).toEqual({ a: "failed", b: "blocked", c: "blocked", x: "done" });
    expect(v.features[0]!.statusDetail).toBe("Verification failed: test -f flag.txt exited 1.");
    expect(v.assertions.find((x) => x.key === "a-works")).toMatchObject({ status: "failed", setBy: "verifier" });
    expect(world.recorder.notices.some((n) => n.missionId === id && n.title === "Feature failed")).toBe(true);
    // What m-state's retry does: the feature and its blocked dependents back to pending, then resume.
    fs.writeFileSync(path.join(folder, "flag.txt"), "made by hand\n");
    git(folder, "add", "flag.txt");
    git(folder, "commit", "-q", "-m", "flag");
    const wt = await world.services.db.agent.findUniqueOrThrow({ where: { id: v.features[0]!.worktreeAgentId! } });
    fs.writeFileSync(path.join(wt.folder, "flag.txt"), "the fix\n");
    await world.services.db.missionFeature.updateMany({
      where: { missionId: id, key: { in: ["a", "b", "c"] } },
      data: { status: "pending" },
    });
    await world.services.db.mission.update({ where: { id }, data: { status: "executing" } });
    world.executor.kick(id);
    v = await until(
      "the retry to complete",
      () => view(id),
      (x) => x.status === "completed",
    );
    expect(statusOf(v)).toEqual({ a: "done", b: "done", c: "done", x: "done" });
    // The retry reused the first attempt's worktree.
    expect(v.features[0]).toMatchObject({ attempts: 2, worktreeAgentId: wt.id });
  }, 120_000);

  test("a milestone that cannot seal (a feature set done by hand, its assertion pending) pauses the mission with the reason, and tells the person", async () => {
    const { agent } = await project();
    const id = await makeMission(world.services.db, { agentId: agent.id, features: [{ key: "a" }, { key: "b" }] });
    // What updateFeature "done" leaves: the feature done, its assertion still pending.
    await world.services.db.missionFeature.updateMany({ where: { missionId: id, key: "b" }, data: { status: "done" } });
    await world.executor.start(id);
    const v = await settledMission(id);
    expect(v.status).toBe("paused");
    expect(statusOf(v)).toEqual({ a: "done", b: "done" });
    expect(v.statusDetail).toBe(
      "Milestone m1 cannot seal: b-works (pending) is not passed or waived. Set or waive it, or retry the features behind it, then Resume.",
    );
    expect(world.recorder.notices.filter((n) => n.missionId === id).map((n) => n.title)).toContain("Mission paused");
    // Waived, and resumed: it seals and completes.
    await world.services.db.missionAssertion.updateMany({ where: { missionId: id, key: "b-works" }, data: { status: "waived" } });
    await world.services.db.mission.update({ where: { id }, data: { status: "executing" } });
    world.executor.kick(id);
    await world.executor.idle(id);
    expect((await view(id)).status).toBe("completed");
  }, 120_000);

  test("a worker crash fails the feature; the stop policy pauses the mission and stops the others", async () => {
    const { agent } = await project();
    const id = await makeMission(world.services.db, {
      agentId: agent.id,
      failurePolicy: "stop",
      features: [
        { key: "boom", description: "[sim: slow 20] [sim: crash]" },
        { key: "long", description: "[sim: slow 400]" },
        { key: "after", dependsOn: ["long"] },
      ],
    });
    await world.executor.start(id);
    const v = await settledMission(id);
    expect(v.status).toBe("paused");
    expect(v.statusDetail).toBe("Feature Feature boom failed: Retry, Skip or Reassign.");
    const boom = v.features.find((f) => f.key === "boom")!;
    expect(boom.status).toBe("failed");
    expect(boom.statusDetail.length).toBeGreaterThan(0);
    // The other worker was stopped and went back to pending (its worktree kept); nothing after it started.
    expect(statusOf(v)).toMatchObject({ long: "pending", after: "pending" });
    expect(v.features.find((f) => f.key === "long")!.worktreeAgentId).not.toBeNull();
  }, 120_000);

  test("a worktree whose setup script fails fails its feature before a worker starts", async () => {
    const { folder, agent } = await project();
    fs.writeFileSync(path.join(folder, "setup.sh"), "echo preparing\nexit 3\n");
    git(folder, "add", "setup.sh");
    git(folder, "commit", "-q", "-m", "setup");
    await world.services.agents.updateSettings(agent.id, { worktreeSetup: "setup.sh" });
    const id = await makeMission(world.services.db, { agentId: agent.id, features: [{ key: "a" }, { key: "b", dependsOn: ["a"] }] });
    await world.executor.start(id);
    const v = await settledMission(id);
    expect(statusOf(v)).toEqual({ a: "failed", b: "blocked" });
    expect(v.features[0]!.statusDetail).toMatch(/^The worktree's setup script failed: /);
    expect(v.features[0]!.turnId).toBeNull();
  }, 120_000);

  test("a merge conflict fails only that feature and leaves the mission branch clean", async () => {
    const { agent } = await project();
    const id = await makeMission(world.services.db, {
      agentId: agent.id,
      concurrency: 2,
      features: [
        { key: "one", description: "Write a file named shared.txt containing from one" },
        { key: "two", description: "Write a file named shared.txt containing from two" },
        { key: "three", dependsOn: ["one"] },
      ],
    });
    await world.executor.start(id);
    const v = await settledMission(id);
    const failed = v.features.filter((f) => f.status === "failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.statusDetail).toContain("conflicts in shared.txt");
    const mission = await world.services.db.agent.findUniqueOrThrow({ where: { id: v.missionAgentId! } });
    expect(git(mission.folder, "status", "--porcelain")).toBe("");
    const loser = failed[0]!.key;
    const winner = loser === "one" ? "two" : "one";
    expect(fs.readFileSync(path.join(mission.folder, "shared.txt"), "utf8")).toBe(`from ${winner}\n`);
    // Retry (as m-state's retry and resume do): the kept branch has the first attempt's commit, so
    // the mission branch is merged into it; the worker is told of the conflict and resolves it
    // (the simulator writes shared.txt whole), and the feature merges.
    await world.services.db.missionFeature.updateMany({
      where: { missionId: id, status: { in: ["failed", "blocked"] } },
      data: { status: "pending", statusDetail: "" },
    });
    await world.services.db.mission.update({ where: { id }, data: { status: "executing" } });
    world.executor.kick(id);
    const after = await settledMission(id);
    expect(after.status).toBe("completed");
    expect(statusOf(after)).toEqual({ one: "done", two: "done", three: "done" });
    expect(after.features.find((f) => f.key === loser)!.attempts).toBe(2);
    const prompt = world.recorder.prompts.get(loser)!;
    expect(prompt).toContain("## Merge Conflicts");
    expect(prompt).toContain("First resolve the conflicts in shared.txt");
    expect(prompt.indexOf("## Merge Conflicts")).toBeLessThan(prompt.indexOf("## Working Rules"));
    expect(fs.readFileSync(path.join(mission.folder, "shared.txt"), "utf8")).toBe(`from ${loser}\n`);
    expect(git(mission.folder, "status", "--porcelain")).toBe("");
    const featureWt = await world.services.db.agent.findUniqueOrThrow({
      where: { id: after.features.find((f) => f.key === loser)!.worktreeAgentId! },
    });
    expect(git(featureWt.folder, "log", "-1", "--format=%P").split(" ")).toHaveLength(2);
  }, 120_000);
});

describe("restart", () => {
  test("recover() after a cut pauses the mission; a merged feature is done, a cut one pending; nothing runs twice", async () => {
    const { agent } = await project();
    const id = await makeMission(world.services.db, {
      agentId: agent.id,
      features: [{ key: "a" }, { key: "b" }, { key: "c", dependsOn: ["a", "b"] }],
    });
    // Run a and b to done, then make the rows look as a kill -9 between a's merge and its "done" left them.
    await world.services.db.missionFeature.updateMany({ where: { missionId: id, key: "c" }, data: { status: "blocked" } });
    await world.executor.start(id);
    await until(
      "a and b done",
      () => view(id),
      (x) => x.features.filter((f) => f.status === "done").length === 2,
    );
    await world.executor.stop(id, "pause");
    await world.services.db.mission.update({ where: { id }, data: { status: "executing" } });
    await world.services.db.missionFeature.update({
      where: { missionId_key: { missionId: id, key: "a" } },
      data: { status: "review", mergedSha: null },
    });
    await world.services.db.missionFeature.update({
      where: { missionId_key: { missionId: id, key: "c" } },
      data: { status: "in-progress" },
    });
    const mergedBefore = (await view(id)).features.find((f) => f.key === "b")!.mergedSha;
    await world.executor.recover();
    const v = await view(id);
    expect(v.status).toBe("paused");
    expect(v.statusDetail).toBe("The bridge restarted mid-mission: Resume to go on.");
    expect(statusOf(v)).toEqual({ a: "done", b: "done", c: "pending" });
    const mission = await world.services.db.agent.findUniqueOrThrow({ where: { id: v.missionAgentId! } });
    expect(v.features.find((f) => f.key === "a")!.mergedSha).toBe(
      git(mission.folder, "log", "--merges", "--format=%H", "--grep=feature a:"),
    );
    // Resumed: only c runs; a and b are not done again.
    await world.services.db.mission.update({ where: { id }, data: { status: "executing" } });
    world.executor.kick(id);
    const done = await until(
      "the mission to complete",
      () => view(id),
      (x) => x.status === "completed",
    );
    expect(done.features.map((f) => f.attempts)).toEqual([1, 1, 1]);
    expect(done.features.find((f) => f.key === "b")!.mergedSha).toBe(mergedBefore);
    expect(git(mission.folder, "log", "--merges", "--format=%s").split("\n")).toHaveLength(3);
  }, 120_000);
});

describe("start", () => {
  test("two starts at once (a double tap on Approve) make the mission branch once; both succeed", async () => {
    const { agent } = await project();
    const id = await makeMission(world.services.db, { agentId: agent.id, features: [{ key: "a" }] });
    await Promise.all([world.executor.start(id), world.executor.start(id)]);
    const v = await settledMission(id);
    expect(v.status).toBe("completed");
    expect(await world.services.db.missionEvent.count({ where: { missionId: id, type: "mission-started" } })).toBe(1);
    expect(await world.services.db.agent.count({ where: { worktreeBranch: v.branch } })).toBe(1);
  }, 60_000);
});

describe("the finish", () => {
  test("a pull request finish cut off by a kill: on Resume the pull request it opened is its own (no warning); a fresh one says it existed", async () => {
    const { agent } = await project();
    const calls: string[] = [];
    const finish = {
      mergeBack: async () => ({ sha: "x" }),
      createPr: async (input: { agentId: string }) => {
        calls.push(input.agentId);
        return { url: "https://github.com/o/r/pull/7", via: "gh" as const, reason: "A pull request for this branch already exists." };
      },
    };
    const executor = createMissionExecutor({
      db: world.services.db,
      turns: world.services.turns,
      tabs: world.services.tabs,
      worktrees: world.services.worktrees,
      finish: () => finish,
      logger: world.services.logger,
    })(testRecorder(world.services.db));
    const ready = async () => {
      const id = await makeMission(world.services.db, { agentId: agent.id, features: [], finishMode: "pr" });
      await world.services.db.mission.update({
        where: { id },
        data: { status: "executing", branch: "mission/x/main", baseBranch: "main", missionAgentId: agent.id },
      });
      await world.services.db.missionMilestone.updateMany({ where: { missionId: id }, data: { status: "sealed", sealedBy: "auto" } });
      return id;
    };
    // As a killed bridge leaves it: the finish had begun (its marker stored), then recovery and Resume.
    const cut = await ready();
    await world.services.db.missionEvent.create({ data: { missionId: cut, type: "mission-finishing", payload: "{}" } });
    executor.kick(cut);
    await executor.idle(cut);
    expect(await view(cut)).toMatchObject({
      status: "completed",
      prUrl: "https://github.com/o/r/pull/7",
      prVia: "gh",
      finishWarning: null,
    });
    const fresh = await ready();
    executor.kick(fresh);
    await executor.idle(fresh);
    expect(await view(fresh)).toMatchObject({ status: "completed", finishWarning: "A pull request for this branch already exists." });
    expect(calls).toHaveLength(2);
    expect(await world.services.db.missionEvent.count({ where: { missionId: fresh, type: "mission-finishing" } })).toBe(1);
  }, 60_000);
});

describe("through the missions service", () => {
  test("a plan of 2 milestones and 6 features (a diamond, then a validation gate) runs to one merge with every assertion passed", async () => {
    const services = createTestServices({ turns: { idleTimeoutMs: 20_000, stopGraceMs: 300 } });
    try {
      const folder = gitProject();
      folders.push(folder, `${folder}.worktrees`);
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
