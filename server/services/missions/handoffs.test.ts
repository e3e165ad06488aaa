import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeUki } from "../../../lib/missions/uki";
import { tempDir } from "../../testing/harness";
import { missionTestbed } from "./missions.testkit";

const FIELDS = {
  sessionCore: "Login form wired to the auth API",
  summary: "Login works end to end",
  nextAction: "Add the logout button",
  decisions: ["JWT in an httpOnly cookie"],
  touchedFiles: ["app/login.tsx"],
  cs: { work: 0.9 },
};

describe("missions: handoffs and memory (per project folder)", () => {
  let t: ReturnType<typeof missionTestbed>;
  let agentId: string;
  beforeEach(async () => {
    t = missionTestbed();
    agentId = (await t.agent()).id;
  });
  afterEach(() => t.cleanup());

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
    const onDisk = JSON.parse(fs.readFileSync(path.join(t.project, ".maestro", "memory", "entries.json"), "utf8"));
    expect(onDisk).toEqual([expect.objectContaining({ kind: "correction", text: "Use pnpm." })]);
    await expect(m().updateMemory({ id: l.id, text: "x" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(m().addMemory({ agentId, kind: "learning", text: "   " })).rejects.toMatchObject({ code: "BAD_INPUT" });
  });

  it("importDisk: a tree comes in (executing → paused, in-progress → pending) with its handoffs and memory; an imported refId is skipped with a reason", async () => {
    const plan = t.diamondPlan("From the reference");
    const handoff = { ...FIELDS, mode: "execute" };
    const { normalizeHandoff } = await import("../../../lib/missions/handoff");
    const n = normalizeHandoff(handoff);
    if (!n.ok) throw new Error(n.errors[0]);
    t.trees.set(t.project, [
      {
        refId: "2026-04-17-001",
        plan: {
          title: plan.title,
          description: plan.description,
          milestones: plan.milestones.map((x) => ({ ...x, kind: x.kind as "work" | "validation" })),
          features: plan.features.map((f) => ({ ...f, workerType: null })),
        },
        status: "executing",
        milestones: { build: { status: "active", sealedAt: null, sealedBy: null } },
        features: { a: { status: "done" }, b: { status: "in-progress" } },
        assertions: [{ key: "a-works", status: "passed", evidence: "ran it", setBy: "worker" }],
        handoffs: [
          {
            id: "2026-04-17-001",
            status: "completed",
            claimedBy: "codex",
            featureKey: "a",
            handoff: n.handoff,
            createdAt: "2026-04-17T10:30:00.000Z",
          },
        ],
        createdAt: "2026-04-17T10:00:00.000Z",
      },
    ]);
    t.memories.set(t.project, [{ kind: "learning", text: "Imported learning.", createdAt: "2026-04-17T09:00:00.000Z" }]);
    const first = await m().importDisk({ agentId });
    expect(first).toEqual({ imported: ["2026-04-17-001"], skipped: [] });
    const [item] = await m().list({ agentId });
    const view = await m().get(item!.id);
    expect(view).toMatchObject({ status: "paused", refId: "2026-04-17-001", title: "From the reference" });
    expect(Object.fromEntries(view.features.map((f) => [f.key, f.status]))).toMatchObject({ a: "done", b: "pending", c: "pending" });
    expect(view.assertions.find((a) => a.key === "a-works")).toMatchObject({ status: "passed", evidence: "ran it" });
    expect(await m().handoffs({ missionId: view.id })).toEqual([
      expect.objectContaining({ id: "2026-04-17-001", status: "completed", claimedBy: "codex" }),
    ]);
    expect((await m().memory(agentId)).map((x) => x.text)).toEqual(["Imported learning."]);
    const again = await m().importDisk({ agentId });
    expect(again.imported).toEqual([]);
    expect(again.skipped).toEqual([{ refId: "2026-04-17-001", reason: expect.stringMatching(/Already imported/) }]);
    expect(await m().memory(agentId)).toHaveLength(1);
    await expect(m().importDisk({ agentId, refId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
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
});
