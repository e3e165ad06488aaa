// The executor when a feature fails: verification, a seal that cannot happen, a worker crash, a
// worktree setup script, a merge conflict; and each one's Retry (real SQLite, git and simulator).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { execSuite, git, makeMission, statusOf } from "./exec.testkit";

const ex = execSuite();

describe("failures", () => {
  test("a failing verification command fails the feature and blocks its dependents; Retry works", async () => {
    const { folder, agent } = await ex.project();
    const id = await makeMission(ex.world.services.db, {
      agentId: agent.id,
      features: [
        { key: "a", verify: ["`test -f flag.txt`"] },
        { key: "b", dependsOn: ["a"] },
        { key: "c", dependsOn: ["b"] },
        { key: "x" },
      ],
    });
    await ex.world.executor.start(id);
    let v = await ex.settled(id);
    expect(v.status).toBe("paused");
    expect(v.statusDetail).toBe("Feature Feature a failed: Retry, Skip or Reassign.");
    expect(statusOf(v)).toEqual({ a: "failed", b: "blocked", c: "blocked", x: "done" });
    expect(v.features[0]!.statusDetail).toBe("Verification failed: test -f flag.txt exited 1.");
    expect(v.assertions.find((x) => x.key === "a-works")).toMatchObject({ status: "failed", setBy: "verifier" });
    expect(ex.world.recorder.notices.some((n) => n.missionId === id && n.title === "Feature failed")).toBe(true);
    // What m-state's retry does: the feature and its blocked dependents back to pending, then resume.
    fs.writeFileSync(path.join(folder, "flag.txt"), "made by hand\n");
    git(folder, "add", "flag.txt");
    git(folder, "commit", "-q", "-m", "flag");
    const wt = await ex.world.services.db.agent.findUniqueOrThrow({ where: { id: v.features[0]!.worktreeAgentId! } });
    fs.writeFileSync(path.join(wt.folder, "flag.txt"), "the fix\n");
    await ex.world.services.db.missionFeature.updateMany({
      where: { missionId: id, key: { in: ["a", "b", "c"] } },
      data: { status: "pending" },
    });
    await ex.resume(id);
    v = await ex.viewUntil(id, "the retry to complete", (x) => x.status === "completed");
    expect(statusOf(v)).toEqual({ a: "done", b: "done", c: "done", x: "done" });
    // The retry reused the first attempt's worktree.
    expect(v.features[0]).toMatchObject({ attempts: 2, worktreeAgentId: wt.id });
  }, 120_000);

  test("a milestone that cannot seal (a feature set done by hand, its assertion pending) pauses the mission with the reason, and tells the person", async () => {
    const { agent } = await ex.project();
    const id = await makeMission(ex.world.services.db, { agentId: agent.id, features: [{ key: "a" }, { key: "b" }] });
    // What updateFeature "done" leaves: the feature done, its assertion still pending.
    await ex.world.services.db.missionFeature.updateMany({ where: { missionId: id, key: "b" }, data: { status: "done" } });
    await ex.world.executor.start(id);
    const v = await ex.settled(id);
    expect(v.status).toBe("paused");
    expect(statusOf(v)).toEqual({ a: "done", b: "done" });
    expect(v.statusDetail).toBe(
      "Milestone m1 cannot seal: b-works (pending) is not passed or waived. Set or waive it, or retry the features behind it, then Resume.",
    );
    expect(ex.world.recorder.notices.filter((n) => n.missionId === id).map((n) => n.title)).toContain("Mission paused");
    // Waived, and resumed: it seals and completes.
    await ex.world.services.db.missionAssertion.updateMany({ where: { missionId: id, key: "b-works" }, data: { status: "waived" } });
    await ex.resume(id);
    await ex.world.executor.idle(id);
    expect((await ex.view(id)).status).toBe("completed");
  }, 120_000);

  test("a worker crash fails the feature; the stop policy pauses the mission and stops the others", async () => {
    const { agent } = await ex.project();
    const id = await makeMission(ex.world.services.db, {
      agentId: agent.id,
      failurePolicy: "stop",
      features: [
        { key: "boom", description: "[sim: slow 20] [sim: crash]" },
        { key: "long", description: "[sim: slow 400]" },
        { key: "after", dependsOn: ["long"] },
      ],
    });
    await ex.world.executor.start(id);
    const v = await ex.settled(id);
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
    const { folder, agent } = await ex.project();
    fs.writeFileSync(path.join(folder, "setup.sh"), "echo preparing\nexit 3\n");
    git(folder, "add", "setup.sh");
    git(folder, "commit", "-q", "-m", "setup");
    await ex.world.services.agents.updateSettings(agent.id, { worktreeSetup: "setup.sh" });
    const id = await makeMission(ex.world.services.db, { agentId: agent.id, features: [{ key: "a" }, { key: "b", dependsOn: ["a"] }] });
    await ex.world.executor.start(id);
    const v = await ex.settled(id);
    expect(statusOf(v)).toEqual({ a: "failed", b: "blocked" });
    expect(v.features[0]!.statusDetail).toMatch(/^The worktree's setup script failed: /);
    expect(v.features[0]!.turnId).toBeNull();
  }, 120_000);

  test("a merge conflict fails only that feature and leaves the mission branch clean", async () => {
    const { agent } = await ex.project();
    const id = await makeMission(ex.world.services.db, {
      agentId: agent.id,
      concurrency: 2,
      features: [
        { key: "one", description: "Write a file named shared.txt containing from one" },
        { key: "two", description: "Write a file named shared.txt containing from two" },
        { key: "three", dependsOn: ["one"] },
      ],
    });
    await ex.world.executor.start(id);
    const v = await ex.settled(id);
    const failed = v.features.filter((f) => f.status === "failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.statusDetail).toContain("conflicts in shared.txt");
    const mission = await ex.world.services.db.agent.findUniqueOrThrow({ where: { id: v.missionAgentId! } });
    expect(git(mission.folder, "status", "--porcelain")).toBe("");
    const loser = failed[0]!.key;
    const winner = loser === "one" ? "two" : "one";
    expect(fs.readFileSync(path.join(mission.folder, "shared.txt"), "utf8")).toBe(`from ${winner}\n`);
    // Retry (as m-state's retry and resume do): the kept branch has the first attempt's commit, so
    // the mission branch is merged into it; the worker is told of the conflict and resolves it
    // (the simulator writes shared.txt whole), and the feature merges.
    await ex.world.services.db.missionFeature.updateMany({
      where: { missionId: id, status: { in: ["failed", "blocked"] } },
      data: { status: "pending", statusDetail: "" },
    });
    await ex.resume(id);
    const after = await ex.settled(id);
    expect(after.status).toBe("completed");
    expect(statusOf(after)).toEqual({ one: "done", two: "done", three: "done" });
    expect(after.features.find((f) => f.key === loser)!.attempts).toBe(2);
    const prompt = ex.world.recorder.prompts.get(loser)!;
    expect(prompt).toContain("## Merge Conflicts");
    expect(prompt).toContain("First resolve the conflicts in shared.txt");
    expect(prompt.indexOf("## Merge Conflicts")).toBeLessThan(prompt.indexOf("## Working Rules"));
    expect(fs.readFileSync(path.join(mission.folder, "shared.txt"), "utf8")).toBe(`from ${loser}\n`);
    expect(git(mission.folder, "status", "--porcelain")).toBe("");
    const featureWt = await ex.world.services.db.agent.findUniqueOrThrow({
      where: { id: after.features.find((f) => f.key === loser)!.worktreeAgentId! },
    });
    expect(git(featureWt.folder, "log", "-1", "--format=%P").split(" ")).toHaveLength(2);
  }, 120_000);
});
