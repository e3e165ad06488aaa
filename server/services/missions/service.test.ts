// The missions service with the real executor, as services/index.ts builds it: real SQLite, a real
// git project in a temp dir, the simulator as every worker's CLI.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { MissionView } from "../../../lib/missions/types";
import { createTestServices, tempDir } from "../../testing/harness";
import { git, gitProject, turnsOverlap, until } from "./exec.testkit";

const simHome = tempDir("maestro-simhome-");
const folders: string[] = [];
let services: ReturnType<typeof createTestServices>;

beforeAll(() => {
  process.env.MAESTRO_SIM_HOME = simHome;
  delete process.env.MAESTRO_SIM_FAULT;
  services = createTestServices({ turns: { idleTimeoutMs: 20_000, stopGraceMs: 300 } });
});
afterAll(async () => {
  await services.cleanup();
  for (const f of [...folders, simHome]) fs.rmSync(f, { recursive: true, force: true });
});

const feature = (id: string, milestoneId: string, dependsOn: string[], description = "") => ({
  id,
  milestoneId,
  title: `Feature ${id}`,
  description,
  dependsOn,
  verificationSteps: [`\`test -f ${id}.txt\``],
  fulfills: [`${id}-works`],
});

const plan = {
  title: "Diamond",
  description: "Two milestones, six features.",
  milestones: [
    { id: "build", title: "Build", order: 1, kind: "work" },
    { id: "check", title: "Check", order: 2, kind: "validation" },
  ],
  features: [
    feature("a", "build", []),
    feature("b", "build", ["a"], "[sim: slow 300]"),
    feature("c", "build", ["a"], "[sim: slow 300]"),
    feature("d", "build", ["b", "c"]),
    feature("e", "check", ["d"]),
    feature("f", "check", ["d"]),
  ],
};

const statuses = (v: MissionView) => Object.fromEntries(v.features.map((f) => [f.key, f.status]));

describe("a mission through the service and the real executor", () => {
  test("approve runs the diamond (b and c together), the validation milestone waits for review, sealing it completes the mission with a merge", async () => {
    const folder = gitProject();
    folders.push(folder, `${folder}.worktrees`);
    const agent = await services.agents.create({ name: "diamond", folder, provider: "simulator" });
    const m = services.missions;
    const { id } = await m.create({ agentId: agent.id, plan, finishMode: "merge", concurrency: 3 });
    await m.approve(id);
    const review = await until(
      "the validation milestone to wait for review",
      () => m.get(id),
      (v) => v.milestones[1]!.status === "review" || v.status === "paused" || v.status === "failed",
      90_000,
    );
    expect(review.status).toBe("executing");
    expect(statuses(review)).toEqual({ a: "done", b: "done", c: "done", d: "done", e: "done", f: "done" });
    expect(review.milestones[0]).toMatchObject({ status: "sealed", sealedBy: "auto" });
    // b's and c's workers ran at the same time: their turns overlap.
    expect(await turnsOverlap(services.db, review, "b", "c")).toBe(true);
    // The automatic seal took a checkpoint first (through the recorder).
    expect((await m.checkpoints(id)).map((c) => c.reason)).toContain("auto");
    await m.sealMilestone({ missionId: id, milestoneKey: "check" });
    const done = await until(
      "the mission to complete",
      () => m.get(id),
      (v) => v.status === "completed" || v.status === "failed",
      60_000,
    );
    expect(done.status).toBe("completed");
    expect(done.assertions.every((a) => a.status === "passed")).toBe(true);
    expect(git(folder, "branch", "--show-current")).toBe("main");
    for (const k of ["a", "b", "c", "d", "e", "f"]) expect(fs.existsSync(path.join(folder, `${k}.txt`))).toBe(true);
    // Each worker left a handoff; the log tells the story in order.
    expect((await m.handoffs({ missionId: id })).length).toBe(6);
    const types = (await m.log({ missionId: id, limit: 500 })).map((e) => e.type).reverse();
    expect(types[0]).toBe("mission-created");
    expect(types).toContain("milestone-sealed");
    expect(types.indexOf("mission-approved")).toBeLessThan(types.indexOf("milestone-sealed"));
    // Done and stays done: no transition but a settings-free read.
    await expect(m.approve(id)).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Approve works on a draft; this mission is completed.",
    });
  }, 180_000);

  test("a feature whose verification fails blocks its dependents and pauses the stuck mission; Retry runs it again; Skip lets the rest finish", async () => {
    const folder = gitProject();
    folders.push(folder, `${folder}.worktrees`);
    const agent = await services.agents.create({ name: "failing", folder, provider: "simulator" });
    const m = services.missions;
    const failing = { ...feature("b", "build", ["a"]), verificationSteps: ["`test -f missing.txt`"] };
    const { id } = await m.create({
      agentId: agent.id,
      finishMode: "none",
      plan: {
        title: "Fails",
        milestones: [{ id: "build", title: "Build", order: 1, kind: "work" }],
        features: [feature("a", "build", []), failing, feature("c", "build", ["a"]), feature("d", "build", ["b", "c"])],
      },
    });
    await m.approve(id);
    const stuck = await until(
      "the mission to stop on b",
      () => m.get(id),
      (v) => v.status !== "executing",
      90_000,
    );
    expect(stuck.status).toBe("paused");
    expect(statuses(stuck)).toEqual({ a: "done", b: "failed", c: "done", d: "blocked" });
    expect(stuck.assertions.find((a) => a.key === "b-works")).toMatchObject({ status: "failed" });
    // Retrying the blocked d retries the failure it waits behind (b).
    await m.retryFeature({ missionId: id, featureKey: "d" });
    expect(statuses(await m.get(id))).toMatchObject({ b: "pending", d: "pending" });
    await m.resume(id);
    const again = await until(
      "b to fail again",
      () => m.get(id),
      (v) => v.status !== "executing",
      90_000,
    );
    expect(again.features.find((f) => f.key === "b")).toMatchObject({ status: "failed", attempts: 2 });
    await m.skipFeature({ missionId: id, featureKey: "b" });
    await m.resume(id);
    const done = await until(
      "the mission to complete",
      () => m.get(id),
      (v) => v.status !== "executing",
      90_000,
    );
    expect(done.status).toBe("completed");
    expect(statuses(done)).toEqual({ a: "done", b: "skipped", c: "done", d: "done" });
  }, 240_000);

  test("after a kill -9 (rows left executing, a feature in progress): recovery pauses the mission, the feature goes back to pending, Resume finishes it", async () => {
    const folder = gitProject();
    folders.push(folder, `${folder}.worktrees`);
    const agent = await services.agents.create({ name: "killed", folder, provider: "simulator" });
    const m = services.missions;
    const { id } = await m.create({
      agentId: agent.id,
      finishMode: "none",
      plan: {
        title: "Killed",
        milestones: [{ id: "build", title: "Build", order: 1, kind: "work" }],
        features: [feature("a", "build", [])],
      },
    });
    // What a killed bridge leaves: approved and executing on a branch it made, a feature cut off mid-turn.
    await m.approve(id);
    await until(
      "a to start",
      () => m.get(id),
      (v) => v.features[0]!.status !== "pending",
      30_000,
    );
    await m.pause(id);
    await services.db.mission.update({ where: { id }, data: { status: "executing" } });
    await services.db.missionFeature.updateMany({ where: { missionId: id }, data: { status: "in-progress" } });
    await m.recoverInterrupted();
    const back = await m.get(id);
    expect(back.status).toBe("paused");
    expect(back.features[0]!.status).toBe("pending");
    await m.resume(id);
    const done = await until(
      "the mission to complete",
      () => m.get(id),
      (v) => v.status !== "executing",
      60_000,
    );
    expect(done.status).toBe("completed");
    expect(done.features[0]).toMatchObject({ status: "done" });
  }, 120_000);
});
