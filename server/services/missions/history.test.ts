// Mission events in History: a mission done or failed, a feature done or failed, each an entry
// of its own kind, written from the mission's log as the store publishes it after its commit.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { MissionLogEntry } from "../../../lib/missions/types";
import { createTestServices } from "../../testing/harness";
import { gitProject, makeMission, until } from "./exec.testkit";

let services: ReturnType<typeof createTestServices>;
let folder: string;
beforeAll(() => {
  services = createTestServices();
  folder = gitProject("maestro-mission-history-");
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(folder, { recursive: true, force: true });
});

let nextId = 1;
const line = (missionId: string, type: string, text: string, featureKey: string | null = null): MissionLogEntry => ({
  id: nextId++,
  missionId,
  type,
  text,
  featureKey,
  milestoneKey: null,
  createdAt: new Date().toISOString(),
});

const entriesOf = (missionId: string) =>
  services.db.historyEntry.findMany({ where: { runId: missionId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });

describe("mission History entries", () => {
  test("a feature done and one failed, a failure pause and the completion are entries; other log lines are not", async () => {
    const db = services.db;
    const project = await services.agents.create({ name: "proj", folder, provider: "simulator" });
    const id = await makeMission(db, { agentId: project.id, features: [{ key: "a" }, { key: "b" }] });
    const tab = await db.tab.findFirstOrThrow({ where: { agentId: project.id } });
    await db.missionFeature.update({
      where: { missionId_key: { missionId: id, key: "a" } },
      data: {
        status: "done",
        worktreeAgentId: project.id,
        tabId: tab.id,
        costUsd: 0.25,
        inputTokens: 100,
        outputTokens: 40,
        durationMs: 1200,
      },
    });
    await db.missionFeature.update({
      where: { missionId_key: { missionId: id, key: "b" } },
      data: { status: "failed", statusDetail: "Verification failed: npm test exited 1.", costUsd: 0.5 },
    });
    services.bus.publish("missions.events", {
      missionId: id,
      entries: [
        line(id, "feature-started", "Feature a started.", "a"),
        line(id, "feature-done", "Feature a is done and merged into mission/x/main (abc12345).", "a"),
        line(id, "feature-failed", "Feature b failed: Verification failed: npm test exited 1.", "b"),
        line(id, "mission-paused", "Paused by you."),
        line(id, "mission-paused", "Feature Feature b failed: Retry, Skip or Reassign."),
      ],
    });
    services.bus.publish("missions.events", {
      missionId: id,
      entries: [line(id, "mission-completed", "Mission done: its work is on mission/x/main.")],
    });
    const rows = await until(
      "four History entries",
      () => entriesOf(id),
      (r) => r.length === 4,
      10_000,
    );
    const by = (kind: string, success: boolean) => rows.find((r) => r.kind === kind && r.success === success);
    expect(rows.map((r) => r.kind).sort()).toEqual(["mission", "mission", "mission-feature", "mission-feature"]);
    expect(by("mission-feature", true)).toMatchObject({
      agentId: project.id,
      tabId: tab.id,
      costUsd: 0.25,
      inputTokens: 100,
      durationMs: 1200,
    });
    expect(by("mission-feature", true)!.summary).toContain("Feature a is done");
    expect(by("mission-feature", false)).toMatchObject({ agentId: project.id, tabId: null, costUsd: 0.5 });
    expect(by("mission-feature", false)!.detail).toContain("Verification failed: npm test exited 1.");
    expect(by("mission", false)!.summary).toBe("Test mission: Feature Feature b failed: Retry, Skip or Reassign.");
    // The completion carries the mission's totals.
    expect(by("mission", true)).toMatchObject({ agentId: project.id, agentName: "proj", costUsd: 0.75, inputTokens: 100 });
    // The History list filters by the new kinds.
    const listed = await services.history.list({ kinds: ["mission"], limit: 10 });
    expect(listed.items.map((x) => x.kind)).toEqual(["mission", "mission"]);
  });
});
