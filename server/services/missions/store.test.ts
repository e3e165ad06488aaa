import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MissionLogEntry } from "../../../lib/missions/types";
import { createTestServices, tempDir } from "../../testing/harness";
import { createMissionStore } from "./store";

type Services = ReturnType<typeof createTestServices>;

describe("mission store (the recorder's commit, log and views)", () => {
  let services: Services;
  let missionId: string;
  const written: string[] = [];
  const errors: string[] = [];
  let failWrite = false;
  const stores: ReturnType<typeof createMissionStore>[] = [];

  function store(debounce = 20) {
    const s = createMissionStore({
      db: services.db,
      bus: services.bus,
      logger: { info: () => {}, error: (m) => errors.push(m) },
      diskDebounceMs: debounce,
      writeTree: async (id) => {
        if (failWrite) throw new Error("disk full");
        written.push(id);
      },
    });
    stores.push(s);
    return s;
  }

  beforeEach(async () => {
    written.length = 0;
    errors.length = 0;
    failWrite = false;
    services = createTestServices();
    const agent = await services.agents.create({ name: "proj", folder: tempDir("maestro-ms-"), provider: "simulator" });
    const m = await services.db.mission.create({
      data: {
        refId: "m-1",
        agentId: agent.id,
        title: "Ship it",
        milestones: { create: [{ key: "m1", title: "One", order: 1 }] },
        features: {
          create: [
            { key: "a", milestoneKey: "m1", title: "A", fulfillsJson: '["a-works"]', costUsd: 0.1, inputTokens: 5, durationMs: 10 },
            { key: "b", milestoneKey: "m1", title: "B", dependsOnJson: '["a"]', costUsd: 0.2, sortOrder: 1 },
          ],
        },
        assertions: { create: [{ key: "a-works" }] },
      },
    });
    missionId = m.id;
  });
  afterEach(async () => {
    // A test's scheduled writes land in that test, not the next one.
    for (const s of stores.splice(0)) await s.shutdown();
    await services.cleanup();
  });

  it("commits the change with its log lines, publishes both topics after the commit, then writes the tree once", async () => {
    const s = store();
    const published: MissionLogEntry[][] = [];
    const changes: string[] = [];
    services.bus.subscribe("missions.events", (e) => published.push(e.entries));
    services.bus.subscribe("missions.changed", (e) => changes.push(e.missionId));
    const entries = await s.commit(
      missionId,
      async (tx) => {
        await tx.missionFeature.update({ where: { missionId_key: { missionId, key: "a" } }, data: { status: "in-progress" } });
      },
      [{ type: "feature-started", text: "A started.", featureKey: "a" }],
    );
    await s.commit(missionId, async () => {}, [{ type: "note", text: "second" }]);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ type: "feature-started", text: "A started.", featureKey: "a", milestoneKey: null, missionId });
    expect(published.map((p) => p.map((e) => e.text))).toEqual([["A started."], ["second"]]);
    expect(changes).toEqual([missionId, missionId]);
    const view = await s.view(missionId);
    expect(view.features.find((f) => f.key === "a")?.status).toBe("in-progress");
    expect(view.lastEventId).toBe(published[1]![0]!.id);
    expect(view.totals).toEqual({ inputTokens: 5, outputTokens: 0, costUsd: 0.3, durationMs: 10 });
    expect(view.assertions).toEqual([expect.objectContaining({ key: "a-works", status: "pending", features: ["a"] })]);
    expect(view.features[1]!.dependsOn).toEqual(["a"]);
    // Two commits in a moment: one tree write.
    await s.flushDisk();
    expect(written).toEqual([missionId]);
  });

  it("a change that throws leaves rows and log as they were and publishes nothing", async () => {
    const s = store();
    let published = 0;
    services.bus.subscribe("missions.events", () => (published += 1));
    await expect(
      s.commit(
        missionId,
        async (tx) => {
          await tx.missionFeature.update({ where: { missionId_key: { missionId, key: "a" } }, data: { status: "done" } });
          throw new Error("halfway");
        },
        [{ type: "feature-done", text: "A done." }],
      ),
    ).rejects.toThrow("halfway");
    const view = await s.view(missionId);
    expect(view.features[0]!.status).toBe("pending");
    expect(view.lastEventId).toBe(0);
    expect(published).toBe(0);
    // The queue goes on after a failed step.
    await s.commit(missionId, async () => {}, [{ type: "note", text: "after" }]);
    expect((await s.log({ missionId })).map((e) => e.text)).toEqual(["after"]);
  });

  it("commits of one mission run in call order; a gone mission is NOT_FOUND", async () => {
    const s = store();
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3].map((i) =>
        s.commit(missionId, async () => {
          await new Promise((r) => setTimeout(r, (4 - i) * 15));
          order.push(i);
        }, [{ type: "note", text: String(i) }]),
      ),
    );
    expect(order).toEqual([1, 2, 3]);
    const page: MissionLogEntry[] = [];
    for await (const p of s.pagesAfter(missionId, 0)) page.push(...p);
    expect(page.map((e) => e.text)).toEqual(["1", "2", "3"]);
    const later: MissionLogEntry[] = [];
    for await (const p of s.pagesAfter(undefined, page[0]!.id)) later.push(...p);
    expect(later.map((e) => e.text)).toEqual(["2", "3"]);
    expect((await s.log({ missionId, beforeId: page[2]!.id, limit: 1 })).map((e) => e.text)).toEqual(["2"]);
    await expect(s.commit("nope", async () => {}, [])).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(s.view("nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("tree writes of a busy mission are spaced by the interval; a change after a quiet spell is written a moment later", async () => {
    const s = store(400);
    await s.commit(missionId, async () => {}, [{ type: "note", text: "first" }]);
    // After a quiet spell: written within the gathering moment, not a whole interval later.
    for (let i = 0; i < 200 && written.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(written).toEqual([missionId]);
    await s.commit(missionId, async () => {}, [{ type: "note", text: "second" }]);
    await s.commit(missionId, async () => {}, [{ type: "note", text: "third" }]);
    // Busy: the next write waits for the interval since the last (400 ms), so none has happened yet.
    await new Promise((r) => setTimeout(r, 100));
    expect(written).toEqual([missionId]);
    await s.flushDisk();
    expect(written).toEqual([missionId, missionId]);
  });

  it("a failed tree write is logged, never thrown, and the next change writes again", async () => {
    const s = store();
    failWrite = true;
    await s.commit(missionId, async () => {}, [{ type: "note", text: "x" }]);
    await s.flushDisk();
    expect(errors.join("\n")).toMatch(/writing \.maestro\/ .*disk full/);
    failWrite = false;
    await s.commit(missionId, async () => {}, []);
    await s.flushDisk();
    expect(written).toEqual([missionId]);
  });

  it("lists missions with feature counts and totals", async () => {
    const s = store();
    const [item] = await s.list();
    expect(item).toMatchObject({ id: missionId, refId: "m-1", agentName: "proj", status: "draft" });
    expect(item!.counts.pending).toBe(2);
    expect(item!.counts.done).toBe(0);
    expect(item!.totals.costUsd).toBe(0.3);
    expect(await s.list({ agentId: "other" })).toEqual([]);
  });

  it("commits of different missions at the same time all land (transactions wait for each other, none is lost)", async () => {
    const s = store();
    const agent = await services.agents.create({ name: "two", folder: tempDir("maestro-ms2-"), provider: "simulator" });
    const other = await services.db.mission.create({ data: { refId: "m-2", agentId: agent.id, title: "Other" } });
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        s.commit(
          i % 2 ? missionId : other.id,
          async (tx) => {
            await tx.mission.findUnique({ where: { id: missionId } });
            await new Promise((r) => setTimeout(r, 5));
            await tx.missionFeature.updateMany({ where: { missionId, key: "a" }, data: { attempts: { increment: i % 2 } } });
          },
          [{ type: "note", text: String(i) }],
        ),
      ),
    );
    expect((await s.view(missionId)).features[0]!.attempts).toBe(6);
    expect(await s.log({ missionId })).toHaveLength(6);
    expect(await s.log({ missionId: other.id })).toHaveLength(6);
  });
});
