// The missions service with the real executor, as services/index.ts builds it: real SQLite, a real
// git project in a temp dir, the simulator as every worker's CLI.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { MissionView } from "../../../lib/missions/types";
import { createTestServices, tempDir } from "../../testing/harness";
import { git, gitProject, until } from "./exec.testkit";

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
    const at = (k: string, w: "startedAt" | "endedAt") => Date.parse(review.features.find((f) => f.key === k)![w]!);
    expect(at("b", "startedAt")).toBeLessThan(at("c", "endedAt"));
    expect(at("c", "startedAt")).toBeLessThan(at("b", "endedAt"));
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
});
