import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../../testing/harness";
import { eachMissionTestbed, type MissionTestbed } from "./missions.testkit";

const FIXTURE = path.join(process.cwd(), "test", "fixtures", "maestro-ref", ".maestro");

describe("missions: importing .maestro/ (the reference CLI's, and ours)", () => {
  let t: MissionTestbed;
  let agentId: string;
  const extra: string[] = [];
  eachMissionTestbed((bed, agent) => {
    t = bed;
    agentId = agent;
  });
  afterEach(() => {
    for (const d of extra.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  const m = () => t.services.missions;

  it("a tree made by the reference CLI comes in paused (it was executing), its in-progress feature pending, with its handoff and memory; a second import skips it", async () => {
    fs.cpSync(FIXTURE, path.join(t.project, ".maestro"), { recursive: true });
    const first = await m().importDisk({ agentId });
    expect(first).toEqual({ imported: ["2026-04-09-001"], skipped: [] });
    const [item] = await m().list({ agentId });
    const view = await m().get(item!.id);
    expect(view).toMatchObject({ refId: "2026-04-09-001", title: "Add authentication", status: "paused" });
    expect(view.statusDetail).toMatch(/resume/i);
    expect(view.milestones.map((x) => [x.key, x.status])).toEqual([
      ["plan", "sealed"],
      ["implement", expect.not.stringMatching(/sealed/)],
    ]);
    const impl = view.features.find((f) => f.key === "auth-impl")!;
    expect(impl).toMatchObject({ status: "pending", workerType: "codex-cli", dependsOn: ["auth-plan"], fulfills: ["auth-login-works"] });
    expect(view.assertions.map((a) => [a.key, a.status])).toEqual([["auth-login-works", "pending"]]);
    expect((await m().log({ missionId: view.id })).find((e) => e.type === "mission-imported")!.text).toMatch(
      /paused; auth-impl \(in progress or in review there, with no worker here\) go back to pending\.$/,
    );
    // The project's handoff (the reference's example) and its memory.
    const handoffs = await m().handoffs({ agentId });
    expect(handoffs.map((h) => h.id)).toContain("2026-04-09-001");
    expect(handoffs.find((h) => h.id === "2026-04-09-001")!.uki).toMatch(/^MODE-execute\|/);
    expect((await m().memory(agentId)).length).toBeGreaterThan(0);
    const memoryBefore = (await m().memory(agentId)).length;

    const again = await m().importDisk({ agentId });
    expect(again.imported).toEqual([]);
    expect(again.skipped).toEqual([{ refId: "2026-04-09-001", reason: expect.stringMatching(/Already imported/) }]);
    expect(await m().memory(agentId)).toHaveLength(memoryBefore);
    expect(await m().list({ agentId })).toHaveLength(1);
    await expect(m().importDisk({ agentId, refId: "2030-01-01-001" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("round trip: a mission we wrote (statuses, assertion evidence, a handoff) imports into another project as it was", async () => {
    const { id, refId } = await m().create({ agentId, plan: t.diamondPlan() });
    await m().updateFeature({ missionId: id, featureKey: "a", status: "done" });
    await m().setAssertion({ missionId: id, key: "a-works", status: "passed", evidence: "ran the tests", by: "verifier" });
    await t.recorder().createHandoff({
      missionId: id,
      featureKey: "a",
      fields: { sessionCore: "A done", summary: "A works", nextAction: "Build B", cs: { work: 0.9 } },
    });
    await m().shutdown(); // flushes the tree writes
    const other = tempDir("maestro-other-");
    extra.push(other);
    fs.cpSync(path.join(t.project, ".maestro"), path.join(other, ".maestro"), { recursive: true });
    const otherAgent = await t.agent("other", other);
    const result = await m().importDisk({ agentId: otherAgent.id, refId });
    expect(result).toEqual({ imported: [refId], skipped: [] });
    const [item] = await m().list({ agentId: otherAgent.id });
    const copy = await m().get(item!.id);
    const orig = await m().get(id);
    expect(copy.status).toBe("draft");
    expect(copy.features.map((f) => [f.key, f.status, f.dependsOn])).toEqual(orig.features.map((f) => [f.key, f.status, f.dependsOn]));
    expect(copy.milestones.map((x) => [x.key, x.kind])).toEqual(orig.milestones.map((x) => [x.key, x.kind]));
    expect(copy.assertions.find((a) => a.key === "a-works")).toMatchObject({
      status: "passed",
      evidence: "ran the tests",
      setBy: "verifier",
    });
    const handoffs = await m().handoffs({ missionId: copy.id });
    expect(handoffs).toHaveLength(1);
    expect(handoffs[0]).toMatchObject({ featureKey: "a" });
    expect(handoffs[0]!.fields.summary).toBe("A works");
  });

  it("a feature in review there comes in pending: no worker of ours would verify it", async () => {
    fs.cpSync(FIXTURE, path.join(t.project, ".maestro"), { recursive: true });
    const file = path.join(t.project, ".maestro", "missions", "2026-04-09-001", "features", "auth-impl.json");
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), status: "review" }));
    await m().importDisk({ agentId });
    const [item] = await m().list({ agentId });
    expect((await m().get(item!.id)).features.find((f) => f.key === "auth-impl")!.status).toBe("pending");
    expect((await m().log({ missionId: item!.id })).find((e) => e.type === "mission-imported")!.text).toMatch(
      /; auth-impl \(in progress or in review there/,
    );
  });

  it("an unreadable mission is skipped with the file and the reason; the readable ones still come in", async () => {
    fs.cpSync(FIXTURE, path.join(t.project, ".maestro"), { recursive: true });
    const broken = path.join(t.project, ".maestro", "missions", "2026-04-10-001");
    fs.mkdirSync(broken, { recursive: true });
    fs.writeFileSync(path.join(broken, "mission.json"), "{ not json");
    const result = await m().importDisk({ agentId });
    expect(result.imported).toEqual(["2026-04-09-001"]);
    expect(result.skipped).toEqual([{ refId: "2026-04-10-001", reason: expect.any(String) }]);
  });
});
