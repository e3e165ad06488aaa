import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FeatureStatus } from "../../../lib/missions/types";
import { missionTestbed } from "./missions.testkit";

describe("missions: features, assertions, seals and checkpoints", () => {
  let t: ReturnType<typeof missionTestbed>;
  let id: string;
  beforeEach(async () => {
    t = missionTestbed();
    const agentId = (await t.agent()).id;
    id = (await t.services.missions.create({ agentId, plan: t.diamondPlan() })).id;
    await t.services.missions.approve(id);
    await t
      .recorder()
      .commit(id, async (tx) => void (await tx.mission.update({ where: { id }, data: { status: "executing", branch: "mission/d" } })), []);
    t.calls.length = 0;
  });
  afterEach(() => t.cleanup());

  const m = () => t.services.missions;
  const statuses = async () => Object.fromEntries((await m().get(id)).features.map((f) => [f.key, f.status]));
  const setStatus = (key: string, status: FeatureStatus) =>
    t
      .recorder()
      .commit(
        id,
        async (tx) => void (await tx.missionFeature.update({ where: { missionId_key: { missionId: id, key } }, data: { status } })),
        [],
      );

  it("a failure set by hand blocks its dependents; retry unblocks them and kicks; skip lets them run", async () => {
    await setStatus("a", "done");
    await m().updateFeature({ missionId: id, featureKey: "b", status: "failed", note: "tests fail" });
    expect(await statuses()).toMatchObject({ a: "done", b: "failed", c: "pending", d: "blocked", e: "blocked", f: "blocked" });
    expect((await m().get(id)).features[1]!.statusDetail).toBe("tests fail");
    await expect(m().retryFeature({ missionId: id, featureKey: "c" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: 'Retry works on a failed or blocked feature; "c" is pending.',
    });
    await m().retryFeature({ missionId: id, featureKey: "b" });
    expect(await statuses()).toMatchObject({ b: "pending", d: "pending", e: "pending", f: "pending" });
    expect(t.calls).toContain(`kick ${id}`);
    await m().updateFeature({ missionId: id, featureKey: "b", status: "failed" });
    // Retrying a blocked feature retries the failure it waits behind.
    await m().retryFeature({ missionId: id, featureKey: "f" });
    expect(await statuses()).toMatchObject({ b: "pending", d: "pending", f: "pending" });
    await m().updateFeature({ missionId: id, featureKey: "b", status: "failed" });
    await m().skipFeature({ missionId: id, featureKey: "b" });
    expect(await statuses()).toMatchObject({ b: "skipped", d: "pending" });
    const types = (await m().log({ missionId: id })).map((e) => e.type);
    expect(types).toContain("features-blocked");
    expect(types).toContain("features-unblocked");
  });

  it("a running feature is not changed by hand; in-progress is a worker's; reassign names a real agent", async () => {
    t.running.set(id, ["a"]);
    await expect(m().updateFeature({ missionId: id, featureKey: "a", status: "done" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: 'A worker is running "a": pause the mission first.',
    });
    t.running.clear();
    await expect(m().updateFeature({ missionId: id, featureKey: "a", status: "in-progress" })).rejects.toMatchObject({ code: "BAD_INPUT" });
    await expect(m().reassignFeature({ missionId: id, featureKey: "a", agentId: "gone" })).rejects.toMatchObject({ code: "BAD_INPUT" });
    const other = await t.agent("other");
    await m().updateFeature({ missionId: id, featureKey: "a", status: "failed" });
    await m().reassignFeature({ missionId: id, featureKey: "a", agentId: other.id });
    const a = (await m().get(id)).features[0]!;
    expect(a).toMatchObject({ status: "pending", agentId: other.id, agentName: "other" });
    expect(await statuses()).toMatchObject({ b: "pending", d: "pending" });
  });

  it("set to review by hand (the reference's habit), a feature is pending: no worker would ever verify it; the log says so", async () => {
    await m().updateFeature({ missionId: id, featureKey: "a", status: "review", note: "looks done" });
    expect((await m().get(id)).features[0]).toMatchObject({ key: "a", status: "pending" });
    const [last] = await m().log({ missionId: id, limit: 1 });
    expect(last!.text).toBe(
      '"a": pending → pending (by you; review needs a running worker, so it is pending and the mission runs it again): looks done.',
    );
    expect(t.calls.at(-1)).toBe(`kick ${id}`);
    await m().updateFeature({ missionId: id, featureKey: "a", status: "done" });
    expect((await m().get(id)).features[0]!.status).toBe("done");
  });

  it("setAssertion takes the fulfills id or the reference's <feature>-assertion-<n>; waiving needs a reason; unknown ones list the known", async () => {
    await m().setAssertion({ missionId: id, key: "a-works", status: "passed", evidence: "ok", by: "verifier" });
    await m().setAssertion({ missionId: id, key: "b-assertion-1", status: "failed", evidence: "nope" });
    const view = await m().get(id);
    expect(view.assertions.find((a) => a.key === "a-works")).toMatchObject({ status: "passed", evidence: "ok", setBy: "verifier" });
    expect(view.assertions.find((a) => a.key === "b-works")).toMatchObject({ status: "failed", setBy: "user" });
    await expect(m().setAssertion({ missionId: id, key: "b-works", status: "waived" })).rejects.toMatchObject({ code: "BAD_INPUT" });
    await expect(m().setAssertion({ missionId: id, key: "zzz", status: "passed" })).rejects.toMatchObject({
      code: "BAD_INPUT",
      details: { hint: "Its assertions: a-works, b-works, e-works." },
    });
    expect(t.calls.filter((c) => c === `kick ${id}`)).toHaveLength(2);
  });

  it("a work milestone seals once its features are done and assertions passed or waived, after an automatic checkpoint", async () => {
    await expect(m().sealMilestone({ missionId: id, milestoneKey: "build" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/^Milestone build cannot seal: a is pending/),
    });
    for (const k of ["a", "b", "c", "d"]) await setStatus(k, "done");
    await m().setAssertion({ missionId: id, key: "a-works", status: "passed" });
    await expect(m().sealMilestone({ missionId: id, milestoneKey: "build" })).rejects.toMatchObject({
      message: "Assertion b-works is pending: pass or waive it before sealing build.",
    });
    expect(await m().checkpoints(id)).toEqual([]);
    await m().setAssertion({ missionId: id, key: "b-works", status: "waived", evidence: "covered by a" });
    await m().sealMilestone({ missionId: id, milestoneKey: "build" });
    const build = (await m().get(id)).milestones[0]!;
    expect(build).toMatchObject({ status: "sealed", sealedBy: "user" });
    const [cp] = await m().checkpoints(id);
    expect(cp).toMatchObject({ reason: "auto", label: "Before sealing build" });
    expect(t.calls.at(-1)).toBe(`kick ${id}`);
    await expect(m().sealMilestone({ missionId: id, milestoneKey: "build" })).rejects.toMatchObject({
      message: "Milestone build is already sealed.",
    });
    await expect(m().sealMilestone({ missionId: id, milestoneKey: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a validation milestone seals only in review; its pending assertions pass with the seal", async () => {
    await expect(m().sealMilestone({ missionId: id, milestoneKey: "check" })).rejects.toMatchObject({
      message: expect.stringMatching(/^Milestone check is not ready for review: 2 of its features are not done/),
    });
    for (const k of ["e", "f"]) await setStatus(k, "done");
    await t.recorder().commit(
      id,
      async (tx) =>
        void (await tx.missionMilestone.update({
          where: { missionId_key: { missionId: id, key: "check" } },
          data: { status: "review" },
        })),
      [],
    );
    await m().sealMilestone({ missionId: id, milestoneKey: "check", by: "validator" });
    const view = await m().get(id);
    expect(view.milestones[1]).toMatchObject({ status: "sealed", sealedBy: "validator" });
    expect(view.assertions.find((a) => a.key === "e-works")).toMatchObject({ status: "passed", setBy: "validator" });
  });

  it("checkpoints: save and restore statuses (not git, said in the log); refused while features run or the mission executes", async () => {
    const cp = await m().saveCheckpoint({ missionId: id, label: "start" });
    expect(cp).toMatchObject({ label: "start", reason: "manual" });
    await setStatus("a", "done");
    await m().setAssertion({ missionId: id, key: "a-works", status: "passed" });
    await expect(m().restoreCheckpoint({ missionId: id, checkpointId: cp.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/^Pause the mission first/),
    });
    await m().pause(id);
    t.running.set(id, ["b"]);
    await expect(m().restoreCheckpoint({ missionId: id, checkpointId: cp.id })).rejects.toMatchObject({
      message: "Pause the mission first: 1 feature(s) are running.",
    });
    t.running.clear();
    await m().restoreCheckpoint({ missionId: id, checkpointId: cp.id });
    const view = await m().get(id);
    expect(view.features[0]!.status).toBe("pending");
    expect(view.features.every((f) => f.status === "pending")).toBe(true);
    expect(view.assertions[0]!.status).toBe("pending");
    expect(view.status).toBe("paused");
    const [last] = await m().log({ missionId: id, limit: 1 });
    expect(last).toMatchObject({ type: "checkpoint-restored", text: expect.stringMatching(/git is not/) });
    await expect(m().restoreCheckpoint({ missionId: id, checkpointId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // A completed mission restored to before its end comes back paused, to resume.
    await t.recorder().commit(id, async (tx) => void (await tx.mission.update({ where: { id }, data: { status: "completed" } })), []);
    await m().restoreCheckpoint({ missionId: id, checkpointId: cp.id });
    expect(await m().get(id)).toMatchObject({ status: "paused", completedAt: null });
  });

  it("a checkpoint taken while features ran or were in review restores them pending (no worker runs them now), said in the log", async () => {
    await setStatus("a", "done");
    await setStatus("b", "review");
    await setStatus("c", "in-progress");
    const cp = await m().saveCheckpoint({ missionId: id });
    await m().pause(id);
    await setStatus("b", "failed");
    await setStatus("c", "pending");
    await m().restoreCheckpoint({ missionId: id, checkpointId: cp.id });
    expect(await statuses()).toMatchObject({ a: "done", b: "pending", c: "pending" });
    const [last] = await m().log({ missionId: id, limit: 1 });
    expect(last!.text).toMatch(/\(but b, c, in progress or in review then, go back to pending: no worker runs them now\)/);
  });
});
