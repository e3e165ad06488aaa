import { afterEach, beforeEach, describe, expect, it, test } from "vitest";
import { AppError } from "../../errors";
import { callerFor, createTestServices, pairedOwner } from "../../testing/harness";

let services: ReturnType<typeof createTestServices>;
beforeEach(() => {
  services = createTestServices();
});
afterEach(() => services.cleanup());

const T0 = Date.parse("2026-03-10T12:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** Rows with chosen times (record() always stamps "now"). */
async function seed(
  rows: Partial<{
    kind: string;
    agentId: string | null;
    agentName: string;
    success: boolean;
    summary: string;
    detail: string;
    inputTokens: number;
    outputTokens: number;
    costUsd: number;
    createdAt: Date;
  }>[],
) {
  await services.db.historyEntry.createMany({ data: rows.map((r) => ({ kind: "turn", agentName: "", ...r })) });
}

async function all(input: Parameters<typeof services.history.list>[0], limit = 7) {
  const seen: { id: string; createdAt: Date; summary: string }[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await services.history.list({ ...input, cursor, limit });
    seen.push(...page.items);
    if (!page.nextCursor) break;
    expect(page.items).toHaveLength(limit);
    cursor = page.nextCursor;
  }
  return seen;
}

describe("history.record", () => {
  it("stores an entry with defaults and announces it", async () => {
    const seen: (string | null)[] = [];
    services.bus.subscribe("history.changed", (e) => seen.push(e.agentId));
    const row = await services.history.record({ kind: "turn", agentId: "a1", agentName: "api", summary: "Fixed it", costUsd: 0.5 });
    expect(row).toMatchObject({ kind: "turn", agentId: "a1", success: true, summary: "Fixed it", costUsd: 0.5, inputTokens: 0 });
    expect(await services.db.historyEntry.count()).toBe(1);
    expect(seen).toEqual(["a1"]);
  });
});

describe("history.list", () => {
  it("pages through many rows newest first, ties broken by id, each row exactly once", async () => {
    // 240 rows on only 12 distinct timestamps: the cursor must not lose or repeat rows that share a time.
    await seed(Array.from({ length: 240 }, (_, i) => ({ summary: `row ${i}`, createdAt: at(i % 12) })));
    const rows = await all({}, 7);
    expect(rows).toHaveLength(240);
    expect(new Set(rows.map((r) => r.id)).size).toBe(240);
    const expected = [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });

  it("a row written while the user scrolls does not shift the next page", async () => {
    await seed(Array.from({ length: 10 }, (_, i) => ({ summary: `old ${i}`, createdAt: at(i) })));
    const first = await services.history.list({ limit: 4 });
    await services.history.record({ kind: "turn", summary: "brand new" });
    const second = await services.history.list({ limit: 4, cursor: first.nextCursor });
    expect(first.items.map((r) => r.summary)).toEqual(["old 9", "old 8", "old 7", "old 6"]);
    expect(second.items.map((r) => r.summary)).toEqual(["old 5", "old 4", "old 3", "old 2"]);
    expect((await services.history.list({ limit: 1 })).items[0]!.summary).toBe("brand new");
  });

  it("filters by agent, kinds, success and a date range, together", async () => {
    await seed([
      { agentId: "a", agentName: "api", kind: "turn", success: true, summary: "a turn ok", createdAt: at(0) },
      { agentId: "a", agentName: "api", kind: "turn", success: false, summary: "a turn failed", createdAt: at(10) },
      { agentId: "a", agentName: "api", kind: "autorun-task", success: false, summary: "a task failed", createdAt: at(20) },
      { agentId: "b", agentName: "web", kind: "turn", success: false, summary: "b turn failed", createdAt: at(30) },
      { agentId: null, kind: "share-use", summary: "link used", createdAt: at(40) },
    ]);
    const summaries = async (input: Parameters<typeof services.history.list>[0]) =>
      (await services.history.list(input)).items.map((r) => r.summary);
    expect(await summaries({ agentId: "a" })).toEqual(["a task failed", "a turn failed", "a turn ok"]);
    expect(await summaries({ kinds: ["turn"] })).toEqual(["b turn failed", "a turn failed", "a turn ok"]);
    expect(await summaries({ kinds: ["autorun-task", "share-use"] })).toEqual(["link used", "a task failed"]);
    expect(await summaries({ success: false })).toEqual(["b turn failed", "a task failed", "a turn failed"]);
    expect(await summaries({ success: true })).toEqual(["link used", "a turn ok"]);
    expect(await summaries({ from: at(10), to: at(30) })).toEqual(["a task failed", "a turn failed"]);
    expect(await summaries({ agentId: "a", kinds: ["turn"], success: false })).toEqual(["a turn failed"]);
    expect(await summaries({ agentId: "nobody" })).toEqual([]);
  });

  test.each([
    ["100%", ["cut cost by 100%"]],
    ["a_b", ["renamed a_b"]],
    ["back\\slash", ["path back\\slash"]],
    ["CUT", ["cut cost by 1000", "cut cost by 100%"]],
    ["in the prompt", ["detail match"]],
    ["%", ["cut cost by 100%"]],
    ["_", ["renamed a_b"]],
    ["' OR '1'='1", []],
    ["x%' ESCAPE '' --", []],
  ])("text search for %j matches literally (%s)", async (text, expected) => {
    await seed([
      { summary: "cut cost by 100%", createdAt: at(0) },
      { summary: "cut cost by 1000", createdAt: at(1) },
      { summary: "renamed a_b", createdAt: at(2) },
      { summary: "renamed axb", createdAt: at(3) },
      { summary: "path back\\slash", createdAt: at(4) },
      { summary: "path backslash", createdAt: at(5) },
      { summary: "detail match", detail: "words in the prompt here", createdAt: at(6) },
    ]);
    expect((await services.history.list({ text })).items.map((r) => r.summary)).toEqual(expected);
  });

  it("refuses a forged cursor with a clear error", async () => {
    await expect(services.history.list({ cursor: "'; drop table" })).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === "BAD_INPUT",
    );
  });
});

describe("history.get and agents", () => {
  it("returns one entry, or NOT_FOUND", async () => {
    const row = await services.history.record({ kind: "autorun-run", agentId: "a", agentName: "api", detail: "3 documents" });
    expect(await services.history.get(row.id)).toMatchObject({ id: row.id, kind: "autorun-run", detail: "3 documents" });
    await expect(services.history.get("missing")).rejects.toSatisfy((e) => e instanceof AppError && e.code === "NOT_FOUND");
  });

  it("lists each agent once, by its latest name", async () => {
    await seed([
      { agentId: "a", agentName: "old name", createdAt: at(0) },
      { agentId: "a", agentName: "new name", createdAt: at(5) },
      { agentId: "b", agentName: "beta", createdAt: at(1) },
      { agentId: null, agentName: "", createdAt: at(2) },
    ]);
    expect(await services.history.agents()).toEqual([
      { agentId: "b", agentName: "beta" },
      { agentId: "a", agentName: "new name" },
    ]);
  });
});

describe("history.stats", () => {
  beforeEach(async () => {
    await seed([
      {
        agentId: "a",
        agentName: "api",
        success: true,
        inputTokens: 100,
        outputTokens: 10,
        costUsd: 0.25,
        createdAt: new Date("2026-03-10T09:00:00Z"),
      },
      {
        agentId: "a",
        agentName: "api",
        success: false,
        inputTokens: 50,
        outputTokens: 5,
        costUsd: 0.5,
        createdAt: new Date("2026-03-10T23:30:00Z"),
      },
      {
        agentId: "b",
        agentName: "web",
        success: true,
        inputTokens: 1000,
        outputTokens: 100,
        costUsd: 1,
        createdAt: new Date("2026-03-12T10:00:00Z"),
      },
      {
        agentId: "b",
        agentName: "web",
        success: true,
        inputTokens: 1,
        outputTokens: 1,
        costUsd: 0,
        createdAt: new Date("2026-03-12T11:00:00Z"),
      },
    ]);
  });

  it("adds up totals overall and per agent, with the success rate", async () => {
    const s = await services.history.stats({ from: new Date("2026-03-10T00:00:00Z"), to: new Date("2026-03-13T00:00:00Z") });
    expect(s.total).toEqual({ count: 4, succeeded: 3, successRate: 0.75, inputTokens: 1151, outputTokens: 116, costUsd: 1.75 });
    expect(s.agents).toEqual([
      { agentId: "b", agentName: "web", count: 2, succeeded: 2, successRate: 1, inputTokens: 1001, outputTokens: 101, costUsd: 1 },
      { agentId: "a", agentName: "api", count: 2, succeeded: 1, successRate: 0.5, inputTokens: 150, outputTokens: 15, costUsd: 0.75 },
    ]);
  });

  it("gives one point per local day with no gaps", async () => {
    const range = { from: new Date("2026-03-10T00:00:00Z"), to: new Date("2026-03-13T00:00:00Z") };
    const utc = await services.history.stats(range);
    expect(utc.days.map((d) => [d.day, d.count, d.costUsd])).toEqual([
      ["2026-03-10", 2, 0.75],
      ["2026-03-11", 0, 0],
      ["2026-03-12", 2, 1],
    ]);
    // One hour east of UTC, the 23:30 turn belongs to the next day (and the range ends at 01:00 on the 13th).
    const east = await services.history.stats({ ...range, tzOffsetMinutes: 60 });
    expect(east.days.map((d) => [d.day, d.count])).toEqual([
      ["2026-03-10", 1],
      ["2026-03-11", 1],
      ["2026-03-12", 2],
      ["2026-03-13", 0],
    ]);
  });

  it("narrows to one agent, and counts nothing as nothing", async () => {
    const s = await services.history.stats({ agentId: "a", from: new Date("2026-03-10T00:00:00Z"), to: new Date("2026-03-11T00:00:00Z") });
    expect(s.total).toMatchObject({ count: 2, costUsd: 0.75 });
    expect(s.agents.map((a) => a.agentId)).toEqual(["a"]);
    const none = await services.history.stats({ agentId: "nobody" });
    expect(none.total).toEqual({ count: 0, succeeded: 0, successRate: 1, inputTokens: 0, outputTokens: 0, costUsd: 0 });
    expect(none.days).toHaveLength(1);
  });
});

describe("history router", () => {
  it("serves the timeline and totals to the owner", async () => {
    await services.history.record({ kind: "turn", agentId: "a", agentName: "api", summary: "via the router", costUsd: 0.1 });
    const { principal } = await pairedOwner(services);
    const caller = callerFor(services, principal);
    const page = await caller.history.list({ limit: 10 });
    expect(page.items.map((r) => r.summary)).toEqual(["via the router"]);
    expect(await caller.history.byId({ id: page.items[0]!.id })).toMatchObject({ summary: "via the router" });
    expect((await caller.history.stats({})).total.costUsd).toBeCloseTo(0.1);
    await expect(caller.history.list({ limit: 1000 })).rejects.toThrow();
  });
});
