import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { databaseFile, openDatabase, type Db } from "../../db";
import { historyRow } from "../../services/history/service";
import { tempDir } from "../../testing/harness";
import { openFastDb, type FastDb } from ".";

/** The per-task writes against a real migrated database, read back through Prisma. */
const dataDir = tempDir("maestro-fast-autorun-");
let db: Db;
let fast: FastDb;
let writes: FastDb["autorun"];
let runId: string;
let agentId: string;

beforeAll(async () => {
  db = openDatabase(dataDir);
  fast = openFastDb(databaseFile(dataDir));
  writes = fast.autorun;
  const agent = await db.agent.create({ data: { name: "w", folder: dataDir, provider: "simulator" } });
  agentId = agent.id;
  const run = await db.autorunRun.create({ data: { agentId, name: "r", configJson: "{}", activeSince: new Date() } });
  runId = run.id;
});
afterAll(async () => {
  fast.close();
  await db.$disconnect();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const start = { loop: 1, docIndex: 0, docPath: path.join(dataDir, "plan.md"), taskText: "one", taskLine: 3, doneBefore: 0, totalBefore: 2 };
const end = (attemptId: string) => ({
  runId,
  attemptId,
  status: "done" as const,
  summary: "Did one.",
  inputTokens: 10,
  outputTokens: 20,
  costUsd: 0.5,
  tasksDone: 1,
  tasksFailed: 0,
  docStateJson: "[{}]",
  history: historyRow({
    kind: "autorun-task",
    agentId,
    agentName: "w",
    runId,
    success: true,
    summary: "Did one.",
    detail: "one",
    durationMs: 7,
    inputTokens: 10,
    outputTokens: 20,
    costUsd: 0.5,
  }),
});

test("a task's writes read back through Prisma as Prisma would have written them", async () => {
  const begun = writes.beginTask({ runId, ...start, docStateJson: "[]" }, "one");
  expect(begun.run).toMatchObject({ id: runId, currentTask: "one" });
  expect(begun.run!.updatedAt).toBeInstanceOf(Date);
  const turn = await db.turn.create({ data: { tabId: (await db.tab.create({ data: { agentId, name: "t" } })).id, agentId, prompt: "p" } });
  expect(writes.attachTurn(runId, begun.attemptId, turn.id)).toMatchObject({ currentTask: "one", currentTurnId: turn.id });

  const run = writes.endTask(end(begun.attemptId))!;
  expect(run).toMatchObject({
    tasksDone: 1,
    loopTasksDone: 1,
    inputTokens: 10,
    outputTokens: 20,
    costUsd: 0.5,
    currentTask: null,
    currentTurnId: null,
    docStateJson: "[{}]",
  });
  expect(await db.autorunRun.findUniqueOrThrow({ where: { id: runId } })).toEqual(run);

  const attempt = await db.autorunAttempt.findUniqueOrThrow({ where: { id: begun.attemptId } });
  expect(attempt).toMatchObject({ ...start, runId, turnId: turn.id, status: "done", summary: "Did one." });
  expect(attempt.startedAt).toBeInstanceOf(Date);
  expect(attempt.endedAt!.getTime()).toBeGreaterThanOrEqual(attempt.startedAt.getTime());
  const [entry] = await db.historyEntry.findMany({ where: { runId } });
  expect(entry).toMatchObject({
    kind: "autorun-task",
    agentId,
    success: true,
    summary: "Did one.",
    detail: "one",
    durationMs: 7,
    costUsd: 0.5,
    tabId: null,
    turnId: null,
  });
  expect(entry!.id).toMatch(/^c[0-9a-z]{24}$/);
  expect(entry!.createdAt).toBeInstanceOf(Date);
});

test("a task's end is all or nothing: when one write fails, the attempt stays running and nothing is counted", async () => {
  const before = await db.autorunRun.findUniqueOrThrow({ where: { id: runId } });
  const begun = writes.beginTask({ runId, ...start, taskText: "two", docStateJson: "[]" }, "two");
  const entries = await db.historyEntry.count();
  // A real failure inside the transaction (after the attempt and run rows were written).
  const raw = new Database(databaseFile(dataDir));
  raw.exec(`CREATE TRIGGER fail_history BEFORE INSERT ON "HistoryEntry" BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
  try {
    expect(() => writes.endTask(end(begun.attemptId))).toThrow(/disk says no/);
  } finally {
    raw.exec("DROP TRIGGER fail_history");
    raw.close();
  }
  expect(await db.autorunAttempt.findUniqueOrThrow({ where: { id: begun.attemptId } })).toMatchObject({ status: "running", endedAt: null });
  expect(await db.autorunRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
    tasksDone: before.tasksDone,
    inputTokens: before.inputTokens,
    currentTask: "two",
  });
  expect(await db.historyEntry.count()).toBe(entries);
});
