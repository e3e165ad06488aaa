import type Database from "better-sqlite3";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseFile, openDatabase, type Db } from "../../db";
import { historyRow } from "../../services/history/service";
import { tempDir } from "../../testing/harness";
import { columnsOf, parsePrismaSchema, prismaDataModel, SCHEMA_FILE, schemaProblems, sqliteColumns } from "../../testing/prisma-model";
import { FAST_TABLES, openFastDb, type FastDb, type Table } from ".";
import { AutorunAttemptTable, EventTable, HistoryEntryTable, TurnTable } from "./columns";
import { openConnection } from "./connection";
import { prepareGet, quote } from "./statements";

/**
 * The fast path's contract with Prisma. Its statements are built from hand-written column maps
 * (columns.ts); Prisma reads and writes the same tables through its own idea of them. This holds
 * the two together so a schema change fails here instead of corrupting data:
 * 1. every column map matches Prisma's data model (DMMF), schema.prisma and the migrated table;
 * 2. every mapped table's rows round-trip both ways (fast path → Prisma, Prisma → fast path),
 *    field by field, and are stored in the same form (dates, booleans, numbers) Prisma stores;
 * 3. every fast write reads back through Prisma as Prisma would have written it, ids included
 *    (they sort among Prisma's cuids by time), and every fast read answers as Prisma does.
 */
const dataDir = tempDir("maestro-fast-contract-");
const db: Db = openDatabase(dataDir);
/** A second connection, for raw looks at what is stored. */
let raw: Database.Database;
let fastDb: FastDb | null = null;
let fastError: unknown = null;
/** The fast path; when its statements do not even prepare (a column is gone), the column checks still say why. */
function fast(): FastDb {
  if (!fastDb)
    throw new Error(`the fast path cannot prepare its statements against the migrated database: ${(fastError as Error)?.message}`);
  return fastDb;
}

beforeAll(() => {
  raw = openConnection(databaseFile(dataDir));
  try {
    fastDb = openFastDb(databaseFile(dataDir));
  } catch (err) {
    fastError = err;
  }
});
afterAll(async () => {
  fastDb?.close();
  raw.close();
  await db.$disconnect();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Any mapped table, for walking them all alike. */
type AnyTable = Table<Record<string, unknown>>;
const loose = (t: unknown) => t as AnyTable;
const columnsOfTable = (t: AnyTable) => t.fields.map((f) => t.columns[f]!);
const [TurnTable_, EventTable_, AttemptTable_, HistoryTable_] = [TurnTable, EventTable, AutorunAttemptTable, HistoryEntryTable].map(
  loose,
) as [AnyTable, AnyTable, AnyTable, AnyTable];
/** Prisma's model delegate for a table (`AutorunRun` → `db.autorunRun`). */
function delegate(t: AnyTable) {
  const name = t.model[0]!.toLowerCase() + t.model.slice(1);
  return (
    db as unknown as Record<
      string,
      { create(a: unknown): Promise<Record<string, unknown>>; findUniqueOrThrow(a: unknown): Promise<Record<string, unknown>> }
    >
  )[name]!;
}

describe("the column maps are Prisma's", () => {
  test("schema.prisma, the generated client and the schema parse agree (else the checks below would compare stale data)", () => {
    expect(schemaProblems(db)).toEqual([]);
  });

  test.each(FAST_TABLES.map((t) => [t.model, loose(t)] as const))(
    "%s: fields, types, nullability and SQL names match the DMMF, schema.prisma and the migrated table",
    (_, t) => {
      const problems: string[] = [];
      const where = `the fast path's column map for ${t.model} (server/db/fast/columns.ts)`;
      const model = prismaDataModel(db)[t.model];
      if (!model) throw new Error(`${where}: Prisma has no model ${t.model}`);
      const dmmf = model.fields.filter((f) => f.kind !== "object");
      const mine = columnsOfTable(t);
      const missing = dmmf.filter((f) => !mine.some((c) => c.field === f.name)).map((f) => f.name);
      const extra = mine.filter((c) => !dmmf.some((f) => f.name === c.field)).map((c) => c.field);
      if (missing.length) problems.push(`${where} lacks Prisma field(s) ${missing.join(", ")}`);
      if (extra.length) problems.push(`${where} has field(s) ${extra.join(", ")} that Prisma's ${t.model} does not have`);
      for (const f of dmmf) {
        const c = mine.find((m) => m.field === f.name);
        if (c && c.type !== f.type) problems.push(`${where}: ${f.name} is ${c.type}, Prisma says ${f.type}`);
      }
      if (!missing.length && !extra.length && mine.map((c) => c.field).join() !== dmmf.map((f) => f.name).join()) {
        problems.push(`${where}: fields are not in schema order (${dmmf.map((f) => f.name).join(", ")})`);
      }
      if ((model.dbName ?? t.model) !== t.sql)
        problems.push(`${where}: table ${t.sql}, Prisma maps ${t.model} to ${model.dbName ?? t.model}`);

      const parsed = parsePrismaSchema(fs.readFileSync(SCHEMA_FILE, "utf8")).get(t.model);
      for (const f of parsed ? columnsOf(parsed) : []) {
        const c = mine.find((m) => m.field === f.name);
        if (!c) continue;
        if (c.nullable !== f.optional)
          problems.push(
            `${where}: ${f.name} is ${c.nullable ? "nullable" : "required"}, schema.prisma says ${f.optional ? "optional" : "required"}`,
          );
        if (c.sql !== f.sql) problems.push(`${where}: ${f.name} is column "${c.sql}", schema.prisma maps it to "${f.sql}"`);
        const autoincrement = f.default === "autoincrement()";
        if (Boolean(c.generated) !== autoincrement)
          problems.push(
            `${where}: ${f.name} ${c.generated ? "is marked generated" : "is not marked generated"}, schema.prisma ${autoincrement ? "has" : "has no"} @default(autoincrement())`,
          );
      }

      const table_ = sqliteColumns(raw, t.sql);
      for (const c of mine) {
        const col = table_.find((x) => x.name === c.sql);
        if (!col) problems.push(`${where}: the migrated table ${t.sql} has no column "${c.sql}"`);
        else if (col.notnull === c.nullable)
          problems.push(
            `${where}: ${c.field} is ${c.nullable ? "nullable" : "required"}, the migrated column is ${col.notnull ? "NOT NULL" : "nullable"}`,
          );
      }
      for (const col of table_)
        if (!mine.some((c) => c.sql === col.name))
          problems.push(`${where}: the migrated table ${t.sql} has column "${col.name}" that the map lacks`);
      expect(problems, problems.join("\n")).toEqual([]);
    },
  );
});

// ---- rows both ways ----------------------------------------------------------------------

const TEXT = `quote " and ' — backslash \\ — newline \n — é ✓ 😀 — {"json":[1,2.5,null,{"k":"v"}]}`;
let serial = 0;
/** A whole row from the map alone: `full` sets every nullable column and true; `empty` uses nulls, "", false, negatives. */
function rowFor(t: AnyTable, variant: "full" | "empty", parents: Record<string, string>): Record<string, unknown> {
  const n = ++serial;
  const row: Record<string, unknown> = {};
  for (const c of columnsOfTable(t)) {
    if (c.generated) continue;
    if (c.field in parents) row[c.field] = parents[c.field];
    else if (c.nullable && variant === "empty") row[c.field] = null;
    else if (c.field === "id") row[c.field] = `c${String(n).padStart(24, "0")}`;
    else if (c.type === "String") row[c.field] = variant === "full" ? `${c.field} ${n}: ${TEXT}` : "";
    else if (c.type === "Int") row[c.field] = variant === "full" ? 2_000_000_000 + n : -n;
    else if (c.type === "Float") row[c.field] = variant === "full" ? 0.1 + 0.2 + n : -1e-9 * n;
    else if (c.type === "Boolean") row[c.field] = variant === "full";
    else
      row[c.field] =
        variant === "full" ? new Date(Date.UTC(2026, 2, 4, 5, 6, 7, n % 1000)) : new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999));
  }
  return row;
}

/**
 * Prisma 6.19's query compiler rounds a Float parameter to about 16 significant digits before
 * SQLite sees it (0.1 + 0.2 is stored as 0.3); the fast path stores the double as it is. Both
 * read back through Prisma as stored, so Floats are compared to within that rounding.
 */
const sameFloat = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-15 * Math.max(Math.abs(a), Math.abs(b));

/** Field-by-field differences, named (a Date compared by instant, a Float within Prisma's rounding). */
function differences(t: AnyTable, expected: Record<string, unknown>, got: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const f of t.fields) {
    if (!(f in expected)) continue;
    const [a, b] = [expected[f], got[f]];
    const same =
      a instanceof Date && b instanceof Date
        ? a.getTime() === b.getTime()
        : t.columns[f]!.type === "Float" && typeof a === "number" && typeof b === "number"
          ? sameFloat(a, b)
          : Object.is(a, b);
    if (!same)
      out.push(
        `${t.model}.${f}: wrote ${JSON.stringify(a)} (${a instanceof Date ? "Date" : typeof a}), read ${JSON.stringify(b)} (${b instanceof Date ? "Date" : typeof b})`,
      );
  }
  return out;
}

/** How SQLite holds each column of a row: its storage class and raw value. */
function stored(t: AnyTable, id: unknown): Record<string, { type: string; value: unknown }> {
  const cols = columnsOfTable(t);
  const row = raw
    .prepare(
      `SELECT ${cols.map((c) => `typeof(${quote(c.sql)}) AS ${quote(`${c.field}:type`)}, ${quote(c.sql)} AS ${quote(c.field)}`).join(", ")} FROM ${quote(t.sql)} WHERE ${quote(t.columns.id!.sql)} = ?`,
    )
    .get(id) as Record<string, unknown>;
  return Object.fromEntries(cols.map((c) => [c.field, { type: row[`${c.field}:type`] as string, value: row[c.field] }]));
}

/**
 * Where two rows of a table are stored differently: storage class always; dates in the exact
 * text form (digits aside: the instants may differ); numbers by value (Floats within Prisma's
 * rounding); text only by class (values differ row to row). `ignore`: fields whose values differ on purpose.
 */
function storedDifferently(t: AnyTable, mineId: unknown, prismasId: unknown, ignore: string[] = ["id"]): string[] {
  const [mine, prismas] = [stored(t, mineId), stored(t, prismasId)];
  const out: string[] = [];
  for (const c of columnsOfTable(t)) {
    const [a, b] = [mine[c.field]!, prismas[c.field]!];
    const say = () =>
      out.push(
        `${t.model}.${c.field}: the fast path stored ${a.type} ${JSON.stringify(a.value)}, Prisma ${b.type} ${JSON.stringify(b.value)}`,
      );
    if (a.type !== b.type) say();
    else if (c.type === "DateTime" && a.type === "text") {
      if (String(a.value).replace(/\d/g, "9") !== String(b.value).replace(/\d/g, "9")) say();
    } else if (ignore.includes(c.field) || a.type === "text" || a.type === "null") continue;
    else if (c.type === "Float" ? !sameFloat(a.value as number, b.value as number) : a.value !== b.value) say();
  }
  return out;
}

describe("every mapped table round-trips both ways", () => {
  const parents: Record<string, Record<string, string>> = {};
  beforeAll(async () => {
    const group = await db.group.create({ data: { name: "g" } });
    const agent = await db.agent.create({ data: { name: "a", folder: dataDir, provider: "simulator" } });
    const tab = await db.tab.create({ data: { agentId: agent.id, name: "t" } });
    const turn = await db.turn.create({ data: { tabId: tab.id, agentId: agent.id, prompt: "p" } });
    const chat = await db.groupChat.create({ data: { name: "c", moderatorAgentId: agent.id } });
    // A participant row is unique per (chat, agent): each row of the walk gets a chat of its own.
    const chats = await Promise.all(
      Array.from({ length: 40 }, (_, n) => db.groupChat.create({ data: { name: `c${n}`, moderatorAgentId: agent.id } })),
    );
    let nextChat = 0;
    Object.defineProperty(parents, "GroupChatParticipant", {
      get: () => ({ chatId: chats[nextChat++ % chats.length]!.id, agentId: agent.id }),
      enumerable: true,
    });
    Object.assign(parents, {
      GroupChatRound: { chatId: chat.id },
      GroupChatMessage: { chatId: chat.id },
      GroupChatEvent: { chatId: chat.id },
      Agent: { groupId: group.id, parentId: agent.id },
      Tab: { agentId: agent.id },
      Turn: { tabId: tab.id, agentId: agent.id },
      Event: { turnId: turn.id },
    });
  });

  const cases = FAST_TABLES.flatMap((t) => (["full", "empty"] as const).map((v) => [t.model, v, loose(t)] as const));

  test.each(cases)("%s (%s row): written by the fast path, read by Prisma", async (_, variant, t) => {
    const row = rowFor(t, variant, variant === "empty" && t.model === "Agent" ? {} : (parents[t.model] ?? {}));
    const [id] = fast().insertRows(t, [row]);
    const key = t.columns.id?.generated ? { id } : { id: row.id };
    const read = await delegate(t).findUniqueOrThrow({ where: key });
    expect(differences(t, { ...row, ...key }, read)).toEqual([]);
    expect(Object.keys(read).sort()).toEqual([...t.fields].sort());
  });

  test.each(cases)("%s (%s row): written by Prisma, read by the fast path, stored in the same form", async (_, variant, t) => {
    const row = rowFor(t, variant, variant === "empty" && t.model === "Agent" ? {} : (parents[t.model] ?? {}));
    const created = await delegate(t).create({ data: row });
    const key = { id: created.id };
    const got = prepareGet(raw, t, t.fields, ["id"]).get(key)!;
    expect(differences(t, created, got)).toEqual([]);
    expect(differences(t, { ...row, ...key }, got)).toEqual([]);
    // The same values written by the fast path are stored as Prisma stored them.
    // A participant's twin needs a chat of its own (unique per chat and agent).
    const own: Record<string, string> = t.model === "GroupChatParticipant" ? parents[t.model]! : {};
    const twin = Object.fromEntries(
      Object.entries(row).map(([f, v]) => [
        f,
        f in own
          ? own[f]
          : f === "id"
            ? `t${String(v).slice(1)}`
            : typeof v === "string" && !(f in (parents[t.model] ?? {})) && v !== ""
              ? `${v} (twin)`
              : v,
      ]),
    );
    const [twinId] = fast().insertRows(t, [twin]);
    expect(storedDifferently(t, t.columns.id!.generated ? twinId : twin.id, created.id)).toEqual([]);
  });
});

// ---- the fast path's own writes and reads ------------------------------------------------

describe("each fast write reads back through Prisma as Prisma would have written it", () => {
  let agentId: string;
  let tabId: string;
  beforeAll(async () => {
    agentId = (await db.agent.create({ data: { name: "ops", folder: dataDir, provider: "simulator", settingsJson: '{"model":"m"}' } })).id;
    tabId = (await db.tab.create({ data: { agentId, name: "ops" } })).id;
  });

  test("turns.create: a running turn; its id sorts among Prisma's cuids by time", async () => {
    const before = await db.turn.create({ data: { tabId, agentId, prompt: "before" } });
    await new Promise((r) => setTimeout(r, 3));
    const id = fast().turns.create({ tabId, agentId, prompt: TEXT, clientId: "client-1" });
    await new Promise((r) => setTimeout(r, 3));
    const after = await db.turn.create({ data: { tabId, agentId, prompt: "after" } });
    expect(id).toMatch(/^c[0-9a-z]{24}$/);
    expect([after.id, id, before.id].sort()).toEqual([before.id, id, after.id]);

    const turn = await db.turn.findUniqueOrThrow({ where: { id } });
    const prismas = await db.turn.create({ data: { tabId, agentId, prompt: TEXT, status: "running", clientId: "client-2" } });
    expect({ ...turn, id: "", clientId: "", startedAt: null }).toEqual({ ...prismas, id: "", clientId: "", startedAt: null });
    expect(Math.abs(turn.startedAt.getTime() - Date.now())).toBeLessThan(5000);
    expect(turn.clientId).toBe("client-1");
    expect(storedDifferently(TurnTable_, id, prismas.id)).toEqual([]);
    // The unique (tab, clientId) is the database's, as with Prisma.
    expect(() => fast().turns.create({ tabId, agentId, prompt: "again", clientId: "client-1" })).toThrow(
      expect.objectContaining({ code: "SQLITE_CONSTRAINT_UNIQUE" }),
    );
  });

  test("turns.end: the turn's end and the tab's session, as Prisma's update would leave them", async () => {
    const id = fast().turns.create({ tabId, agentId, prompt: "end me" });
    const twin = fast().turns.create({ tabId, agentId, prompt: "end me" });
    const tabBefore = await db.tab.findUniqueOrThrow({ where: { id: tabId } });
    fast().turns.end({
      turnId: id,
      status: "error",
      durationMs: 1234,
      inputTokens: 5,
      outputTokens: 6,
      costUsd: 0.0123,
      errorKind: "crash",
      errorMessage: TEXT,
      tab: { id: tabId, providerSessionId: "sess", providerTotals: '{"sessionId":"sess","costUsd":1.5}' },
    });
    await db.turn.update({
      where: { id: twin },
      data: {
        status: "error",
        endedAt: new Date(),
        durationMs: 1234,
        inputTokens: 5,
        outputTokens: 6,
        costUsd: 0.0123,
        errorKind: "crash",
        errorMessage: TEXT,
      },
    });
    const [mine, prismas] = await Promise.all([
      db.turn.findUniqueOrThrow({ where: { id } }),
      db.turn.findUniqueOrThrow({ where: { id: twin } }),
    ]);
    expect({ ...mine, id: "", startedAt: null, endedAt: null }).toEqual({ ...prismas, id: "", startedAt: null, endedAt: null });
    expect(mine.endedAt!.getTime()).toBeGreaterThanOrEqual(mine.startedAt.getTime());
    expect(storedDifferently(TurnTable_, id, twin)).toEqual([]);
    const tab = await db.tab.findUniqueOrThrow({ where: { id: tabId } });
    expect(tab).toMatchObject({
      providerSessionId: "sess",
      providerTotals: '{"sessionId":"sess","costUsd":1.5}',
      name: "ops",
      starred: false,
    });
    expect(tab.updatedAt.getTime()).toBeGreaterThanOrEqual(tabBefore.updatedAt.getTime());
    // No tab: the tab is left alone.
    fast().turns.end({
      turnId: twin,
      status: "done",
      durationMs: 1,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      errorKind: null,
      errorMessage: null,
    });
    expect(await db.tab.findUniqueOrThrow({ where: { id: tabId } })).toEqual(tab);
    expect(await db.turn.findUniqueOrThrow({ where: { id: twin } })).toMatchObject({ status: "done", errorKind: null, errorMessage: null });
  });

  test("agents.setStatus: status, last activity and updatedAt", async () => {
    const before = await db.agent.findUniqueOrThrow({ where: { id: agentId } });
    fast().agents.setStatus(agentId, "busy");
    expect(await db.agent.findUniqueOrThrow({ where: { id: agentId } })).toMatchObject({
      ...before,
      status: "busy",
      updatedAt: expect.any(Date),
    });
    fast().agents.setStatus(agentId, "idle", TEXT);
    const after = await db.agent.findUniqueOrThrow({ where: { id: agentId } });
    expect(after).toMatchObject({ status: "idle", lastActivity: TEXT, bookmarked: false });
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
  });

  test("events.insert: ids in order, rows as Prisma reads them", async () => {
    const turnId = fast().turns.create({ tabId, agentId, prompt: "events" });
    const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    const rows = fast().events.insert([
      { turnId, type: "text", payload: JSON.stringify({ text: TEXT }), createdAt: at },
      { turnId, type: "tool_call", payload: "{}", createdAt: new Date(at.getTime() + 1) },
    ]);
    expect(rows[1]!.id).toBe(rows[0]!.id + 1);
    expect(await db.event.findMany({ where: { turnId }, orderBy: { id: "asc" } })).toEqual(rows);
    const prismas = await db.event.create({ data: { turnId, type: "text", payload: "{}", createdAt: at } });
    expect(prismas.id).toBe(rows[1]!.id + 1);
    expect(storedDifferently(EventTable_, rows[0]!.id, prismas.id)).toEqual([]);
  });

  test("autorun: beginTask, attachTurn, endTask (with its History entry) return and store what Prisma reads", async () => {
    const run = await db.autorunRun.create({ data: { agentId, tabId, name: "r", configJson: "{}", activeSince: new Date() } });
    const start = {
      runId: run.id,
      loop: 2,
      docIndex: 1,
      docPath: "/p/plan.md",
      taskText: TEXT,
      taskLine: 9,
      doneBefore: 3,
      totalBefore: 7,
    };
    const begun = fast().autorun.beginTask({ ...start, docStateJson: '[{"done":false}]' }, "current");
    expect(begun.run).toEqual(await db.autorunRun.findUniqueOrThrow({ where: { id: run.id } }));
    expect(begun.run).toMatchObject({ currentTask: "current", docStateJson: '[{"done":false}]' });
    const attempt = await db.autorunAttempt.findUniqueOrThrow({ where: { id: begun.attemptId } });
    const prismasAttempt = await db.autorunAttempt.create({ data: { ...start, startedAt: attempt.startedAt } });
    expect({ ...attempt, id: "" }).toEqual({ ...prismasAttempt, id: "" });
    expect(storedDifferently(AttemptTable_, attempt.id, prismasAttempt.id)).toEqual([]);

    const turnId = fast().turns.create({ tabId, agentId, prompt: "task" });
    const attached = fast().autorun.attachTurn(run.id, begun.attemptId, turnId);
    expect(attached).toEqual(await db.autorunRun.findUniqueOrThrow({ where: { id: run.id } }));
    expect(attached).toMatchObject({ currentTurnId: turnId });
    expect(await db.autorunAttempt.findUniqueOrThrow({ where: { id: begun.attemptId } })).toMatchObject({ turnId });

    const history = historyRow({
      kind: "autorun-task",
      agentId,
      agentName: "ops",
      tabId,
      turnId,
      runId: run.id,
      success: false,
      summary: TEXT,
      detail: "d",
      durationMs: 42,
      inputTokens: 1,
      outputTokens: 2,
      costUsd: 0.25,
    });
    const ended = fast().autorun.endTask({
      runId: run.id,
      attemptId: begun.attemptId,
      status: "failed",
      summary: "s",
      inputTokens: 1,
      outputTokens: 2,
      costUsd: 0.25,
      tasksDone: 0,
      tasksFailed: 1,
      docStateJson: "[]",
      history,
    });
    expect(ended).toEqual(await db.autorunRun.findUniqueOrThrow({ where: { id: run.id } }));
    expect(ended).toMatchObject({
      currentTask: null,
      currentTurnId: null,
      tasksFailed: 1,
      tasksDone: 0,
      inputTokens: 1,
      outputTokens: 2,
      costUsd: 0.25,
      docStateJson: "[]",
    });
    expect(await db.autorunAttempt.findUniqueOrThrow({ where: { id: begun.attemptId } })).toMatchObject({
      status: "failed",
      summary: "s",
      endedAt: expect.any(Date),
    });
    const [entry] = await db.historyEntry.findMany({ where: { runId: run.id } });
    expect(entry!.id).toMatch(/^c[0-9a-z]{24}$/);
    const prismasEntry = await db.historyEntry.create({ data: { ...history, createdAt: entry!.createdAt } });
    expect({ ...entry, id: "" }).toEqual({ ...prismasEntry, id: "" });
    expect(storedDifferently(HistoryTable_, entry!.id, prismasEntry.id)).toEqual([]);
  });
});

describe("each fast read answers as Prisma does for rows Prisma wrote", () => {
  test("tabs.forTurn, agents.forRun, autorun.run, events.afterInTab", async () => {
    const agent = await db.agent.create({
      data: { name: TEXT, folder: "/f", provider: "codex", settingsJson: '{"a":1}', bookmarked: true },
    });
    const tab = await db.tab.create({
      data: { agentId: agent.id, name: "r", providerSessionId: "s", providerTotals: "{}", permissionMode: "acceptEdits" },
    });
    expect(fast().tabs.forTurn(tab.id)).toEqual({
      id: tab.id,
      providerSessionId: "s",
      providerTotals: "{}",
      permissionMode: "acceptEdits",
      agent: { id: agent.id, name: TEXT, folder: "/f", provider: "codex", settingsJson: '{"a":1}' },
    });
    expect(fast().tabs.forTurn("nope")).toBeNull();
    expect(fast().agents.forRun(agent.id)).toEqual(
      await db.agent.findUniqueOrThrow({ where: { id: agent.id }, select: { id: true, name: true, folder: true, settingsJson: true } }),
    );
    expect(fast().agents.forRun("nope")).toBeNull();

    const run = await db.autorunRun.create({
      data: {
        agentId: agent.id,
        name: "r",
        configJson: "{}",
        resumeAt: new Date(Date.UTC(2027, 0, 1)),
        pauseKind: "rate_limit",
        status: "paused",
      },
    });
    expect(fast().autorun.run(run.id)).toEqual(run);
    expect(fast().autorun.run("nope")).toBeNull();

    const turn = await db.turn.create({ data: { tabId: tab.id, agentId: agent.id, prompt: "p" } });
    await db.event.createMany({
      data: [
        { turnId: turn.id, type: "text", payload: TEXT },
        { turnId: turn.id, type: "done", payload: "{}" },
      ],
    });
    expect(fast().events.afterInTab(tab.id, 0, 10)).toEqual(
      await db.event.findMany({ where: { turn: { tabId: tab.id } }, orderBy: { id: "asc" } }),
    );
  });
});
