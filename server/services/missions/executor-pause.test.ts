// The executor stopped midway: a pause against the scheduler and during verification, and a
// restart after a cut (real SQLite, git and simulator; see executor.test.ts).
import { describe, expect, test } from "vitest";
import { execSuite, git, makeMission, statusOf } from "./exec.testkit";

const ex = execSuite();

describe("pause against the scheduler", () => {
  test("a pause as a feature is done (its dependents' step in flight) leaves no worker running and no feature in progress; Resume completes", async () => {
    const { agent } = await ex.project();
    const id = await makeMission(ex.world.services.db, {
      agentId: agent.id,
      concurrency: 3,
      features: [{ key: "a" }, { key: "b", dependsOn: ["a"] }, { key: "c", dependsOn: ["a"] }],
    });
    // As a person's Pause heard on the bus would come: the moment "a is done" is stored (its
    // worker then kicks the step that starts b and c), the mission is paused as lifecycle.pause
    // does it (the status committed, then the executor stops the mission's workers).
    await ex.startAndPauseWhen(id, "a to be done and the pause to begin", (l) => l.type === "feature-done" && l.featureKey === "a");
    await ex.world.executor.idle(id);
    const v = await ex.view(id);
    expect(v.status).toBe("paused");
    expect(ex.world.executor.running(id)).toEqual([]);
    expect(statusOf(v)).toEqual({ a: "done", b: "pending", c: "pending" });
    // Still so once whatever the stopped workers kicked has run.
    await ex.world.executor.idle(id);
    expect(ex.world.executor.running(id)).toEqual([]);
    expect(statusOf(await ex.view(id))).toEqual({ a: "done", b: "pending", c: "pending" });
    await ex.resume(id);
    const done = await ex.viewUntil(id, "the resumed mission to complete", (x) => x.status === "completed");
    expect(statusOf(done)).toEqual({ a: "done", b: "done", c: "done" });
  }, 120_000);
});

describe("a turn is paid once", () => {
  test("a pause during verification keeps the feature in review; Resume verifies and merges it without running its turn again", async () => {
    const { agent } = await ex.project();
    const id = await makeMission(ex.world.services.db, {
      agentId: agent.id,
      features: [{ key: "a", verify: ["`sleep 30`"] }],
    });
    await ex.startAndPauseWhen(id, "a's review and the pause", (l) => l.type === "verification" || l.type === "feature-review");
    await ex.world.executor.idle(id);
    let v = await ex.view(id);
    expect(v.status).toBe("paused");
    expect(ex.world.executor.running(id)).toEqual([]);
    expect(v.features[0]).toMatchObject({ status: "review", attempts: 1 });
    expect(v.features[0]!.statusDetail).toBe("Stopped (pause) while verifying: Resume verifies and merges it.");
    const turnId = v.features[0]!.turnId;
    expect(turnId).not.toBeNull();
    // The verification now passes quickly; Resume only reviews.
    await ex.world.services.db.missionFeature.updateMany({
      where: { missionId: id },
      data: { verificationJson: JSON.stringify(["`test -f a.txt`"]) },
    });
    await ex.resume(id, { statusDetail: "" });
    v = await ex.viewUntil(id, "the mission to complete", (x) => x.status === "completed");
    expect(v.features[0]).toMatchObject({ status: "done", attempts: 1, turnId });
    expect(v.assertions[0]).toMatchObject({ status: "passed", setBy: "verifier" });
    const types = (await ex.world.services.db.missionEvent.findMany({ where: { missionId: id }, orderBy: { id: "asc" } })).map(
      (e) => e.type,
    );
    expect(types.filter((t) => t === "feature-started")).toHaveLength(1);
    expect(await ex.world.services.db.turn.count({ where: { tabId: v.features[0]!.tabId! } })).toBe(1);
    expect(await ex.world.services.db.missionHandoff.count({ where: { missionId: id } })).toBe(1);
  }, 120_000);
});

describe("restart", () => {
  test("recover() after a cut pauses the mission; a merged feature is done, a cut one pending; nothing runs twice", async () => {
    const { agent } = await ex.project();
    const id = await makeMission(ex.world.services.db, {
      agentId: agent.id,
      features: [{ key: "a" }, { key: "b" }, { key: "c", dependsOn: ["a", "b"] }],
    });
    // Run a and b to done, then make the rows look as a kill -9 between a's merge and its "done" left them.
    await ex.world.services.db.missionFeature.updateMany({ where: { missionId: id, key: "c" }, data: { status: "blocked" } });
    await ex.world.executor.start(id);
    await ex.viewUntil(id, "a and b done", (x) => x.features.filter((f) => f.status === "done").length === 2);
    await ex.world.executor.stop(id, "pause");
    await ex.world.services.db.mission.update({ where: { id }, data: { status: "executing" } });
    await ex.world.services.db.missionFeature.update({
      where: { missionId_key: { missionId: id, key: "a" } },
      data: { status: "review", mergedSha: null },
    });
    await ex.world.services.db.missionFeature.update({
      where: { missionId_key: { missionId: id, key: "c" } },
      data: { status: "in-progress" },
    });
    const mergedBefore = (await ex.view(id)).features.find((f) => f.key === "b")!.mergedSha;
    await ex.world.executor.recover();
    const v = await ex.view(id);
    expect(v.status).toBe("paused");
    expect(v.statusDetail).toBe("The bridge restarted mid-mission: Resume to go on.");
    expect(statusOf(v)).toEqual({ a: "done", b: "done", c: "pending" });
    const mission = await ex.world.services.db.agent.findUniqueOrThrow({ where: { id: v.missionAgentId! } });
    expect(v.features.find((f) => f.key === "a")!.mergedSha).toBe(
      git(mission.folder, "log", "--merges", "--format=%H", "--grep=feature a:"),
    );
    // Resumed: only c runs; a and b are not done again.
    await ex.resume(id);
    const done = await ex.viewUntil(id, "the mission to complete", (x) => x.status === "completed");
    expect(done.features.map((f) => f.attempts)).toEqual([1, 1, 1]);
    expect(done.features.find((f) => f.key === "b")!.mergedSha).toBe(mergedBefore);
    expect(git(mission.folder, "log", "--merges", "--format=%s").split("\n")).toHaveLength(3);
  }, 120_000);
});
