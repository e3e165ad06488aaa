import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseFile, openDatabase } from "../../db";
import { toStored } from "../../services/turns/event-writer";
import { tempDir } from "../../testing/harness";
import { openFastDb, type FastDb } from ".";

/**
 * The prepared reads must answer exactly as the Prisma queries they replaced: the same rows,
 * the same order, the same dates, the same edges (an empty tab, a short tab, ties in time).
 */
const dataDir = tempDir("maestro-fast-tab-reads-");
const db = openDatabase(dataDir);
let fast: FastDb;
/** The fast path's tab reads, as the turns service calls them. */
const reads = {
  eventsAfter: (tabId: string, afterId: number, limit: number) => fast.events.afterInTab(tabId, afterId, limit).map(toStored),
  tailStart: (tabId: string, tail: number) => fast.events.tailStart(tabId, tail),
  overview: (tabId: string) => fast.turns.overview(tabId),
};
const tabs: Record<"long" | "short" | "empty" | "other", string> = { long: "", short: "", empty: "", other: "" };

beforeAll(async () => {
  const agent = await db.agent.create({ data: { name: "reads", folder: dataDir, provider: "simulator" } });
  for (const name of Object.keys(tabs) as (keyof typeof tabs)[])
    tabs[name] = (await db.tab.create({ data: { agentId: agent.id, name } })).id;
  const turnsOf = { long: 60, short: 2, empty: 0, other: 5 };
  const sameTime = new Date("2026-11-23T10:00:00Z");
  for (const name of ["long", "other", "short"] as const) {
    for (let t = 0; t < turnsOf[name]; t++) {
      // Two turns share a start time in each tab: the newest is decided by id, as in Prisma's list.
      const turn = await db.turn.create({
        data: {
          tabId: tabs[name],
          agentId: agent.id,
          prompt: `${name} ${t}`,
          status: name === "short" && t === 1 ? "running" : "done",
          inputTokens: 100 + t,
          outputTokens: 7 * t,
          costUsd: 0.0013 * (t + 1),
          startedAt: t >= turnsOf[name] - 2 ? sameTime : new Date(Date.UTC(2026, 10, 22, 0, t)),
        },
      });
      await db.event.createMany({
        data: Array.from({ length: 1 + (t % 7) }, (_, i) => ({
          turnId: turn.id,
          type: "text",
          payload: JSON.stringify({ text: `${name} ${t}.${i} "é" \n` }),
        })),
      });
    }
  }
  fast = openFastDb(databaseFile(dataDir));
});
afterAll(async () => {
  fast.close();
  await db.$disconnect();
});

/** The Prisma versions, as they were. */
const prisma = {
  async eventsAfter(tabId: string, afterId: number, limit: number) {
    return (await db.event.findMany({ where: { id: { gt: afterId }, turn: { tabId } }, orderBy: { id: "asc" }, take: limit })).map(
      toStored,
    );
  },
  async tailStart(tabId: string, tail: number) {
    const newest = await db.event.findMany({
      where: { turn: { tabId } },
      orderBy: { id: "desc" },
      take: tail,
      select: { id: true, turnId: true },
    });
    if (newest.length < tail) return 0;
    const first = await db.event.findFirst({
      where: { turnId: newest[newest.length - 1]!.turnId },
      orderBy: { id: "asc" },
      select: { id: true },
    });
    return (first?.id ?? 1) - 1;
  },
  async overview(tabId: string) {
    const turns = await db.turn.findMany({
      where: { tabId },
      orderBy: [{ startedAt: "asc" }, { id: "asc" }],
      select: { id: true, status: true },
    });
    const sums = await db.turn.aggregate({ where: { tabId }, _sum: { inputTokens: true, outputTokens: true, costUsd: true } });
    return {
      count: turns.length,
      newestTurnId: turns.at(-1)?.id ?? null,
      running: turns.some((t) => t.status === "running"),
      totals: { inputTokens: sums._sum.inputTokens ?? 0, outputTokens: sums._sum.outputTokens ?? 0, costUsd: sums._sum.costUsd ?? 0 },
    };
  },
};

describe("prepared tab reads answer as Prisma did", () => {
  test.each([
    ["long", 0, 2000],
    ["long", 0, 10],
    ["long", 100, 50],
    ["short", 0, 2000],
    ["empty", 0, 100],
    ["other", 3, 4],
  ] as const)("eventsAfter(%s, %i, %i)", async (tab, afterId, limit) => {
    const expected = await prisma.eventsAfter(tabs[tab], afterId, limit);
    expect(reads.eventsAfter(tabs[tab], afterId, limit)).toEqual(expected);
  });

  test("the long tab really is long, and its dates survive as the same instants", async () => {
    const events = reads.eventsAfter(tabs.long, 0, 5000);
    expect(events.length).toBeGreaterThan(200);
    expect(events.every((e) => !Number.isNaN(Date.parse(e.at)))).toBe(true);
  });

  test.each([
    ["long", 1],
    ["long", 17],
    ["long", 200],
    ["long", 100_000],
    ["short", 3],
    ["empty", 5],
  ] as const)("tailStart(%s, %i)", async (tab, tail) => {
    expect(reads.tailStart(tabs[tab], tail)).toBe(await prisma.tailStart(tabs[tab], tail));
  });

  test.each(["long", "short", "empty", "other"] as const)("overview(%s)", async (tab) => {
    expect(reads.overview(tabs[tab])).toEqual(await prisma.overview(tabs[tab]));
  });

  test("a running turn shows; an unknown tab is an empty one", () => {
    expect(reads.overview(tabs.short).running).toBe(true);
    expect(reads.overview(tabs.long).running).toBe(false);
    expect(reads.overview("no-such-tab")).toEqual({
      count: 0,
      newestTurnId: null,
      running: false,
      totals: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    });
    // 60 turns: Σ(100 + t) in, Σ 7t out.
    expect(reads.overview(tabs.long).totals).toMatchObject({ inputTokens: 60 * 100 + 1770, outputTokens: 7 * 1770 });
  });
});
