import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { callerFor, pairedOwner } from "../../testing/harness";
import { eachMissionTestbed, type MissionTestbed } from "./missions.testkit";

describe("missions: create and the mission's lifecycle", () => {
  let t: MissionTestbed;
  let agentId: string;
  eachMissionTestbed((bed, agent) => {
    t = bed;
    agentId = agent;
  });

  const m = () => t.services.missions;

  it("stores a plan as a draft: milestones, features in plan order, one assertion per fulfills id, a first log line, the tree on disk", async () => {
    const changes: string[] = [];
    t.services.bus.subscribe("missions.changed", (e) => changes.push(e.missionId));
    const { id, refId } = await m().create({ agentId, plan: JSON.stringify(t.diamondPlan()) });
    expect(refId).toMatch(/^\d{4}-\d{2}-\d{2}-\d{3}$/);
    const view = await m().get(id);
    expect(view).toMatchObject({
      status: "draft",
      title: "Diamond",
      refId,
      concurrency: 3,
      failurePolicy: "continue",
      finishMode: "pr",
      folder: t.project,
    });
    expect(view.milestones.map((x) => [x.key, x.kind, x.status])).toEqual([
      ["build", "work", "pending"],
      ["check", "validation", "pending"],
    ]);
    expect(view.features.map((f) => f.key)).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(view.features[3]!.dependsOn).toEqual(["b", "c"]);
    expect(view.assertions.map((a) => a.key)).toEqual(["a-works", "b-works", "e-works"]);
    const log = await m().log({ missionId: id });
    expect(log).toHaveLength(1);
    expect(log[0]!.type).toBe("mission-created");
    expect(view.lastEventId).toBe(log[0]!.id);
    expect(changes).toContain(id);
    await t.services.missions.shutdown();
    const tree = JSON.parse(fs.readFileSync(path.join(t.project, ".maestro", "missions", refId, "mission.json"), "utf8"));
    expect(tree).toMatchObject({ id: refId, title: "Diamond", status: "draft" });
    // A second mission the same day gets the next id.
    const second = await m().create({ agentId, plan: t.diamondPlan("Again") });
    expect(second.refId).not.toBe(refId);
    expect((await m().list({ agentId })).map((x) => x.title).sort()).toEqual(["Again", "Diamond"]);
  });

  it("refuses a bad plan with its first error and the rest as the hint, storing nothing", async () => {
    const plan = t.diamondPlan();
    plan.features[0]!.dependsOn = ["d"];
    await expect(m().create({ agentId, plan })).rejects.toMatchObject({ code: "BAD_INPUT", message: expect.stringMatching(/cycle/i) });
    const bad = {
      ...t.diamondPlan(),
      features: [
        { id: "x", milestoneId: "nope", title: "X" },
        { id: "x", milestoneId: "build", title: "X2" },
      ],
    };
    await expect(m().create({ agentId, plan: bad })).rejects.toMatchObject({ code: "BAD_INPUT", details: { hint: expect.any(String) } });
    await expect(m().create({ agentId, plan: "{not json" })).rejects.toMatchObject({ code: "BAD_INPUT" });
    await expect(m().create({ agentId, plan: t.diamondPlan(), pool: ["gone"] })).rejects.toMatchObject({ code: "BAD_INPUT" });
    await expect(m().create({ agentId: "nobody", plan: t.diamondPlan() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await m().list()).toEqual([]);
    expect(await t.services.db.missionEvent.count()).toBe(0);
  });

  it("approve → executor.start; approve again is a CONFLICT naming the status; pause stops, resume kicks", async () => {
    const { id } = await m().create({ agentId, plan: t.diamondPlan() });
    await m().approve(id);
    expect(t.calls).toEqual([`start ${id}`]);
    expect((await m().get(id)).status).toBe("approved");
    // The executor moves it to executing (through the recorder).
    await t
      .recorder()
      .commit(id, async (tx) => void (await tx.mission.update({ where: { id }, data: { status: "executing", branch: "mission/x" } })), []);
    await expect(m().approve(id)).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Approve works on a draft; this mission is executing.",
    });
    await m().pause(id);
    expect(t.calls.at(-1)).toBe(`stop ${id} pause`);
    expect((await m().get(id)).status).toBe("paused");
    await expect(m().pause(id)).rejects.toMatchObject({ code: "CONFLICT" });
    await m().resume(id);
    expect(t.calls.at(-1)).toBe(`kick ${id}`);
    expect((await m().get(id)).status).toBe("executing");
    await expect(m().resume(id)).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Resume works on a paused mission; this one is executing.",
    });
    const types = (await m().log({ missionId: id })).map((e) => e.type);
    expect(types).toEqual(["mission-resumed", "mission-paused", "mission-approved", "mission-created"]);
  });

  it("a start that fails leaves the mission approved with the reason, and approving again retries", async () => {
    const { id } = await m().create({ agentId, plan: t.diamondPlan() });
    t.failStart(new Error("Not a git repository."));
    await expect(m().approve(id)).rejects.toThrow("Not a git repository.");
    const view = await m().get(id);
    expect(view.status).toBe("approved");
    expect(view.statusDetail).toMatch(/Not a git repository/);
    t.failStart(null);
    await m().approve(id);
    expect(t.calls.filter((c) => c.startsWith("start"))).toHaveLength(2);
    expect((await m().get(id)).statusDetail).toBe("");
  });

  it("two approvals at once (a double tap): one starts the mission, the other is a CONFLICT", async () => {
    const { id } = await m().create({ agentId, plan: t.diamondPlan() });
    const both = await Promise.allSettled([m().approve(id), m().approve(id)]);
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(both.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT", message: "Already approved." } });
    expect(t.calls).toEqual([`start ${id}`]);
    await expect(m().approve(id)).rejects.toMatchObject({ code: "CONFLICT", message: "Already approved." });
    expect((await m().log({ missionId: id })).map((e) => e.type)).toEqual(["mission-approved", "mission-created"]);
  });

  it("update changes settings (kicks an executing mission); remove stops the executor first, then deletes the rows", async () => {
    const { id } = await m().create({ agentId, plan: t.diamondPlan() });
    await m().update({ missionId: id, concurrency: 5, failurePolicy: "stop", finishMode: "merge" });
    expect(await m().get(id)).toMatchObject({ concurrency: 5, failurePolicy: "stop", finishMode: "merge" });
    expect(t.calls).toEqual([]);
    await m().remove(id);
    expect(t.calls).toEqual([`stop ${id} remove`]);
    await expect(m().get(id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await t.services.db.missionFeature.count()).toBe(0);
    await expect(m().remove(id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("deleting the project agent stops its missions' workers before the rows cascade", async () => {
    const { id } = await m().create({ agentId, plan: t.diamondPlan() });
    await t.services.agents.remove(agentId);
    expect(t.calls).toEqual([`stop ${id} remove`]);
    expect(await t.services.db.mission.count()).toBe(0);
  });

  it("recoverInterrupted and shutdown reach the executor; notify pushes kind mission with its tag", async () => {
    const { id } = await m().create({ agentId, plan: t.diamondPlan() });
    const pushed: unknown[] = [];
    t.services.bus.subscribe("notify", (n) => pushed.push(n));
    await t.recorder().notify(id, "Feature failed", "b: tests failed");
    expect(pushed).toEqual([
      { kind: "mission", agentId, title: "Feature failed", body: "b: tests failed", url: `/missions/${id}`, tag: `mission:${id}` },
    ]);
    await m().recoverInterrupted();
    expect(t.calls).toEqual(["recover"]);
  });

  it("a failing .maestro/ write is logged, never thrown; the rows are written", async () => {
    t.failDisk(true);
    const { id } = await m().create({ agentId, plan: t.diamondPlan() });
    await m().update({ missionId: id, concurrency: 2 });
    await m().shutdown();
    expect((await m().get(id)).concurrency).toBe(2);
    expect(t.errors.join("\n")).toMatch(/writing \.maestro\/.*disk full/);
  });

  it("featurePrompt reads the stored prompt, or shows the one it would run with", async () => {
    const { id } = await m().create({ agentId, plan: t.diamondPlan() });
    await m().addMemory({ agentId, kind: "correction", text: "Never push to main." });
    const preview = await m().featurePrompt({ missionId: id, featureKey: "b" });
    expect(preview.prompt).toContain("Never push to main.");
    expect(preview.path).toMatch(/workers[/\\]b[/\\]prompt\.md$/);
    const file = await t.recorder().writePrompt(id, "b", "THE PROMPT");
    expect(file).toBe(preview.path);
    expect(await m().featurePrompt({ missionId: id, featureKey: "b" })).toEqual({ prompt: "THE PROMPT", path: file });
    await expect(m().featurePrompt({ missionId: id, featureKey: "zz" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("through the router: a bad plan and a bad transition reach the caller as one line", async () => {
    const caller = callerFor(t.services, (await pairedOwner(t.services)).principal);
    const plan = t.diamondPlan();
    plan.features[0]!.dependsOn = ["d"];
    const err = await caller.missions.create({ agentId, plan }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^Dependency cycle: /) });
    const { id } = await caller.missions.create({ agentId, plan: JSON.stringify(t.diamondPlan()) });
    await caller.missions.approve({ missionId: id });
    await expect(caller.missions.resume({ missionId: id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Resume works on a paused mission; this one is approved.",
    });
    await expect(caller.handoffs.importUki({ agentId, uki: "not a uki" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await caller.missions.list()).map((x) => x.id)).toEqual([id]);
  });
});
