import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeUki } from "../../../lib/missions/uki";
import { tempDir } from "../../testing/harness";
import { readHandoffs } from "./disk";
import { eachMissionTestbed, type MissionTestbed } from "./missions.testkit";

const FIELDS = {
  sessionCore: "Login form wired to the auth API",
  summary: "Login works end to end",
  nextAction: "Add the logout button",
  decisions: ["JWT in an httpOnly cookie"],
  touchedFiles: ["app/login.tsx"],
  cs: { work: 0.9 },
};

describe("missions: handoffs and memory (per project folder)", () => {
  let t: MissionTestbed;
  let agentId: string;
  eachMissionTestbed((bed, agent) => {
    t = bed;
    agentId = agent;
  });

  const m = () => t.services.missions;

  it("creates a handoff with its UKI string; pickup, claim and complete move pending → picked-up → completed", async () => {
    const h = await m().createHandoff({ agentId, fields: FIELDS });
    expect(h).toMatchObject({ status: "pending", missionId: null, claimedBy: null });
    expect(h.id).toMatch(/^\d{4}-\d{2}-\d{2}-\d{3}$/);
    expect(h.uki).toMatch(/^MODE-execute\|/);
    const back = decodeUki(h.uki);
    expect(back.ok && back.handoff.summary).toBe(FIELDS.summary);
    const picked = await m().pickupHandoff(h.id);
    expect(picked.status).toBe("picked-up");
    expect(picked.pickedUpAt).not.toBeNull();
    // Picking up again just reads it.
    expect((await m().pickupHandoff(h.id)).pickedUpAt).toBe(picked.pickedUpAt);
    expect(await m().claimHandoff({ handoffId: h.id, agent: "codex" })).toMatchObject({ status: "picked-up", claimedBy: "codex" });
    const done = await m().completeHandoff(h.id);
    expect(done.status).toBe("completed");
    await expect(m().completeHandoff(h.id)).rejects.toMatchObject({ code: "CONFLICT", message: `Handoff ${h.id} is already completed.` });
    await expect(m().pickupHandoff(h.id)).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(m().handoff("nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await m().handoffs({ agentId, status: "completed" })).map((x) => x.id)).toEqual([h.id]);
    expect(await m().handoffs({ agentId, status: "pending" })).toEqual([]);
  });

  it("a handoff that is no mission's is written to the project's .maestro/handoffs/ in the reference layout, its moves too", async () => {
    const h = await m().createHandoff({ agentId, fields: FIELDS });
    const file = path.join(t.project, ".maestro", "handoffs", `${h.id}.json`);
    const record = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    // The reference's record (version, status, content, uki), and whose it is: no mission.
    expect(record).toMatchObject({ id: h.id, version: "5.4", status: "pending", uki: h.uki, maestroApp: { mission: null, feature: null } });
    expect(Object.keys(record).slice(0, 4)).toEqual(["id", "version", "timestamp", "status"]);
    const read = await readHandoffs(t.project);
    expect(read.map((x) => [x.id, x.status, x.handoff.summary, x.missionRefId])).toEqual([[h.id, "pending", FIELDS.summary, null]]);
    await m().claimHandoff({ handoffId: h.id, agent: "codex" });
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toMatchObject({ status: "picked-up", pickedUpBy: "codex" });
    const pasted = await m().importHandoff({ agentId, uki: h.uki });
    expect(fs.existsSync(path.join(t.project, ".maestro", "handoffs", `${pasted.id}.json`))).toBe(true);
  });

  it("refuses bad fields and a bad UKI string, storing nothing; imports a UKI string made elsewhere", async () => {
    await expect(m().createHandoff({ agentId, fields: { summary: "" } })).rejects.toMatchObject({ code: "BAD_INPUT" });
    await expect(m().createHandoff({ fields: FIELDS })).rejects.toMatchObject({ code: "BAD_INPUT" });
    await expect(m().importHandoff({ agentId, uki: "hello there" })).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect(await t.services.db.missionHandoff.count()).toBe(0);
    const made = await m().createHandoff({ agentId, fields: FIELDS });
    const imported = await m().importHandoff({ agentId, uki: made.uki });
    expect(imported.id).not.toBe(made.id);
    expect(imported.uki).toBe(made.uki);
  });

  it("handoffs are per project: another folder's agent does not list them; a mission's handoff is logged on it and reaches the executor", async () => {
    const other = await t.agent("elsewhere", tempDir("maestro-other-"));
    await m().createHandoff({ agentId, fields: FIELDS });
    expect(await m().handoffs({ agentId: other.id })).toEqual([]);
    const { id } = await m().create({ agentId, plan: t.diamondPlan() });
    await expect(m().createHandoff({ missionId: id, featureKey: "zz", fields: FIELDS })).rejects.toMatchObject({ code: "BAD_INPUT" });
    const h = await t.recorder().createHandoff({ missionId: id, featureKey: "a", fields: FIELDS });
    expect(h).toMatchObject({ missionId: id, featureKey: "a" });
    expect((await t.recorder().handoffsOf(id, ["a", "b"])).map((x) => x.id)).toEqual([h.id]);
    expect((await m().log({ missionId: id, limit: 1 }))[0]).toMatchObject({ type: "handoff", featureKey: "a" });
    await m().pickupHandoff(h.id);
    expect((await m().log({ missionId: id, limit: 1 }))[0]!.text).toBe(`Handoff ${h.id} picked up.`);
    expect((await m().handoffs({ missionId: id })).map((x) => x.id)).toEqual([h.id]);
  });

  it("an agent and a mission of different projects are refused together, storing nothing; a worktree agent of the mission's project is fine", async () => {
    const otherFolder = tempDir("maestro-other-");
    const other = await t.agent("other", otherFolder);
    const { id, refId } = await m().create({ agentId, plan: t.diamondPlan() });
    const mixUp = { code: "BAD_INPUT", message: `Mission ${refId} belongs to another project than that agent's.` };
    await expect(m().createHandoff({ agentId: other.id, missionId: id, fields: FIELDS })).rejects.toMatchObject(mixUp);
    await expect(
      m().importHandoff({ agentId: other.id, missionId: id, uki: (await m().createHandoff({ agentId, fields: FIELDS })).uki }),
    ).rejects.toMatchObject(mixUp);
    await expect(m().handoffs({ agentId: other.id, missionId: id })).rejects.toMatchObject(mixUp);
    expect(await t.services.db.missionHandoff.count({ where: { missionId: id } })).toBe(0);
    const wt = await t.agent("wt", tempDir("maestro-wt-"));
    await t.services.db.agent.update({ where: { id: wt.id }, data: { parentId: agentId } });
    expect(await m().createHandoff({ agentId: wt.id, missionId: id, featureKey: "a", fields: FIELDS })).toMatchObject({
      missionId: id,
      featureKey: "a",
    });
    expect(await m().createHandoff({ agentId, missionId: id, fields: FIELDS })).toMatchObject({ missionId: id });
    expect(await m().handoffs({ agentId, missionId: id })).toHaveLength(2);
    fs.rmSync(otherFolder, { recursive: true, force: true });
  });

  it("memory: add, edit, remove, compiled into guidance, written to .maestro/memory/", async () => {
    const c = await m().addMemory({ agentId, kind: "correction", text: "Use pnpm, not npm." });
    const l = await m().addMemory({ agentId, kind: "learning", text: "The API is slow on cold start." });
    await m().updateMemory({ id: c.id, text: "Use pnpm." });
    let { guidance } = await m().compileMemory(agentId);
    expect(guidance).toContain("**[HARD]** Use pnpm.");
    expect(guidance).toContain("The API is slow on cold start.");
    expect(await t.recorder().guidance(t.project)).toBe(guidance);
    await m().removeMemory(l.id);
    ({ guidance } = await m().compileMemory(agentId));
    expect(guidance).not.toContain("cold start");
    expect((await m().memory(agentId)).map((x) => x.text)).toEqual(["Use pnpm."]);
    // `.maestro/memory/` in the reference's layout: one correction file, the removed learning's file gone.
    const dir = path.join(t.project, ".maestro", "memory");
    const corrections = fs.readdirSync(path.join(dir, "corrections"));
    expect(corrections).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, "corrections", corrections[0]!), "utf8")).toContain("Use pnpm.");
    expect(fs.existsSync(path.join(dir, "learnings", "raw")) ? fs.readdirSync(path.join(dir, "learnings", "raw")) : []).toEqual([]);
    await expect(m().updateMemory({ id: l.id, text: "x" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(m().addMemory({ agentId, kind: "learning", text: "   " })).rejects.toMatchObject({ code: "BAD_INPUT" });
  });

  it("missionControl is the reference's snapshot of the project's mission, with its pending handoffs redacted", async () => {
    const { refId } = await m().create({ agentId, plan: t.diamondPlan() });
    const h = await m().createHandoff({ agentId, fields: FIELDS });
    const control = (await m().missionControl({ agentId })) as { mode: string; missionId: string; pendingHandoffs: { id: string }[] };
    expect(control).toMatchObject({ mode: "mission", missionId: refId, featureProgress: { done: 0, total: 6, active: 0 } });
    expect(control.pendingHandoffs.map((x) => x.id)).toEqual([h.id]);
    expect(JSON.stringify(control)).not.toContain(FIELDS.summary);
    const other = await t.agent("empty", tempDir("maestro-empty-"));
    expect(await m().missionControl({ agentId: other.id })).toMatchObject({ mode: "home" });
  });

  it("a worker's shell (its worktree agent) hands off into its running feature; a project's worktrees share its handoffs and memory", async () => {
    const wtFolder = tempDir("maestro-wt-");
    const wt = await t.agent("wt", wtFolder);
    await t.services.db.agent.update({ where: { id: wt.id }, data: { parentId: agentId } });
    await m().addMemory({ agentId: wt.id, kind: "learning", text: "Worktrees share memory." });
    expect((await m().memory(agentId)).map((x) => x.text)).toEqual(["Worktrees share memory."]);
    const loose = await m().createHandoff({ agentId: wt.id, fields: FIELDS });
    expect(loose.missionId).toBeNull();
    expect((await m().handoffs({ agentId })).map((x) => x.id)).toEqual([loose.id]);
    const { id } = await m().create({ agentId, plan: t.diamondPlan() });
    await t.services.db.missionFeature.update({
      where: { missionId_key: { missionId: id, key: "b" } },
      data: { status: "in-progress", worktreeAgentId: wt.id, startedAt: new Date() },
    });
    const own = await m().createHandoff({ agentId: wt.id, fields: FIELDS });
    expect(own).toMatchObject({ missionId: id, featureKey: "b" });
    expect((await t.recorder().handoffsOf(id, ["b"])).map((x) => x.id)).toEqual([own.id]);
    fs.rmSync(wtFolder, { recursive: true, force: true });
  });
});
