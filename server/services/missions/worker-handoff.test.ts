// A worker that leaves its own handoff through the CLI (`maestro handoff create` from its shell,
// the simulator's `[sim: handoff-cli]` running the real bin against a real bridge): that handoff
// is the feature's, the next feature's worker reads it, and none is made from the reply. The
// whole bridge graph, so the mission's History entries and the tidy at its end are seen too.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startRealBridge, type RealBridge } from "../../../cli/testing/real-bridge";
import { gitProject, until } from "./exec.testkit";

let bridge: RealBridge;
const folders: string[] = [];
beforeAll(async () => {
  delete process.env.MAESTRO_SIM_FAULT;
  bridge = await startRealBridge();
});
afterAll(async () => {
  await bridge.close();
  for (const f of folders) fs.rmSync(f, { recursive: true, force: true });
});

const plan = {
  title: "Own handoff",
  milestones: [{ id: "m1", title: "Build", order: 1, kind: "work" }],
  features: [
    { id: "a", milestoneId: "m1", title: "Feature a", description: "[sim: handoff-cli]", dependsOn: [], verificationSteps: [] },
    { id: "b", milestoneId: "m1", title: "Feature b", description: "", dependsOn: ["a"], verificationSteps: [] },
  ],
};

describe("a worker's own handoff, made with the CLI", () => {
  test("is the feature's handoff, passed to its dependent; no second one is made from the reply", async () => {
    const folder = gitProject();
    folders.push(folder, `${folder}.worktrees`);
    const { services } = bridge;
    const agent = await services.agents.create({ name: "own-handoff", folder, provider: "simulator" });
    const m = services.missions;
    const { id } = await m.create({ agentId: agent.id, plan: JSON.stringify(plan), finishMode: "none" });
    await m.approve(id);
    const v = await until(
      "the mission to settle",
      () => m.get(id),
      (x) => x.status !== "executing" && x.status !== "approved",
      90_000,
    );
    expect(v.status).toBe("completed");
    const hs = await m.handoffs({ missionId: id });
    const of = (key: string) => hs.filter((h) => h.featureKey === key);
    // a: exactly one handoff, the CLI's (its summary and next action as the worker passed them).
    expect(of("a")).toHaveLength(1);
    expect(of("a")[0]!.fields).toMatchObject({ summary: "Handed off from the shell for a", nextAction: "Build on the file it wrote" });
    // b made none itself: its handoff came from its reply.
    expect(of("b")).toHaveLength(1);
    expect(String(of("b")[0]!.fields.summary)).toContain("Implemented Feature b (b)");
    // b's worker read a's own handoff.
    const prompt = await m.featurePrompt({ missionId: id, featureKey: "b" });
    expect(prompt.prompt).toContain("Handed off from the shell for a");
    // The mission's History entries, and its feature worktrees tidied away at the end.
    const history = await services.history.list({ kinds: ["mission", "mission-feature"], limit: 10 });
    expect(history.items.map((e) => [e.kind, e.success]).sort()).toEqual([
      ["mission", true],
      ["mission-feature", true],
      ["mission-feature", true],
    ]);
    // The tidying runs just after "completed" is stored.
    const tidied = await until(
      "the feature worktrees tidied away",
      () => m.get(id),
      (x) => x.features.every((f) => f.worktreeAgentId === null),
      30_000,
    );
    expect(tidied.features.map((f) => f.worktreeAgentId)).toEqual([null, null]);
    expect((await services.agents.list()).filter((a) => a.mission).map((a) => a.mission!.role)).toEqual(["mission"]);
  }, 120_000);
});
