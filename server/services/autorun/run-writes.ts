import type { Db } from "../../db";
import { cuid, fromSqlDate, openFastConnection, sqlDate } from "../../sqlite-fast";
import type { HistoryRecord } from "../history/service";
import { historyRow } from "../history/service";

type RunRow = NonNullable<Awaited<ReturnType<Db["autorunRun"]["findUnique"]>>>;

const RUN_DATES = ["resumeAt", "activeSince", "startedAt", "endedAt", "updatedAt"] as const;

function toRun(row: Record<string, unknown> | undefined): RunRow | null {
  if (!row) return null;
  const run = { ...row } as Record<string, unknown>;
  for (const k of RUN_DATES) run[k] = fromSqlDate(row[k]);
  return run as unknown as RunRow;
}

export interface TaskStart {
  runId: string;
  loop: number;
  docIndex: number;
  docPath: string;
  taskText: string;
  taskLine: number;
  doneBefore: number;
  totalBefore: number;
  docStateJson: string;
}

export interface TaskEnd {
  runId: string;
  attemptId: string;
  status: "done" | "no-progress" | "failed";
  summary: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  tasksDone: number;
  tasksFailed: number;
  docStateJson: string;
  /** The task's History entry, written in the same transaction. */
  history: HistoryRecord;
}

/**
 * The writes Auto Run makes for every task, as prepared statements on their own connection
 * (Prisma's query compiler would cost more CPU per task than the rest of the runner). Each
 * function is one transaction, so what a crash leaves behind is always one of the states the
 * restart reconciliation already handles. Everything that is not per task stays Prisma.
 */
export function createRunWrites(dbFile: string) {
  const db = openFastConnection(dbFile);
  const selectRun = db.prepare<[string], Record<string, unknown>>('SELECT * FROM "AutorunRun" WHERE "id" = ?');
  const selectAgent = db.prepare<[string], { id: string; name: string; folder: string; settingsJson: string }>(
    'SELECT "id", "name", "folder", "settingsJson" FROM "Agent" WHERE "id" = ?',
  );
  const insertAttempt = db.prepare(
    'INSERT INTO "AutorunAttempt" ("id", "runId", "loop", "docIndex", "docPath", "taskText", "taskLine", "doneBefore", "totalBefore", "status", "summary", "startedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, \'running\', \'\', ?)',
  );
  const setCurrentTask = db.prepare<[string, string, string, string], Record<string, unknown>>(
    'UPDATE "AutorunRun" SET "currentTask" = ?, "docStateJson" = ?, "updatedAt" = ? WHERE "id" = ? RETURNING *',
  );
  const setAttemptTurn = db.prepare<[string, string]>('UPDATE "AutorunAttempt" SET "turnId" = ? WHERE "id" = ?');
  const setCurrentTurn = db.prepare<[string, string, string], Record<string, unknown>>('UPDATE "AutorunRun" SET "currentTurnId" = ?, "updatedAt" = ? WHERE "id" = ? RETURNING *');
  const endAttempt = db.prepare<[string, string, string, string]>('UPDATE "AutorunAttempt" SET "status" = ?, "summary" = ?, "endedAt" = ? WHERE "id" = ?');
  const countTask = db.prepare<[number, number, number, number, number, number, string, string, string], Record<string, unknown>>(
    'UPDATE "AutorunRun" SET "inputTokens" = "inputTokens" + ?, "outputTokens" = "outputTokens" + ?, "costUsd" = "costUsd" + ?, "tasksDone" = "tasksDone" + ?, "loopTasksDone" = "loopTasksDone" + ?, "tasksFailed" = "tasksFailed" + ?, "currentTask" = NULL, "currentTurnId" = NULL, "docStateJson" = ?, "updatedAt" = ? WHERE "id" = ? RETURNING *',
  );
  const insertHistory = db.prepare(
    'INSERT INTO "HistoryEntry" ("id", "kind", "agentId", "agentName", "tabId", "turnId", "runId", "success", "summary", "detail", "durationMs", "inputTokens", "outputTokens", "costUsd", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );

  const beginTask = db.transaction((t: TaskStart, currentTask: string) => {
    const id = cuid();
    const now = sqlDate();
    insertAttempt.run(id, t.runId, t.loop, t.docIndex, t.docPath, t.taskText, t.taskLine, t.doneBefore, t.totalBefore, now);
    return { attemptId: id, run: toRun(setCurrentTask.get(currentTask, t.docStateJson, now, t.runId)) };
  });
  const attachTurn = db.transaction((runId: string, attemptId: string, turnId: string) => {
    setAttemptTurn.run(turnId, attemptId);
    return toRun(setCurrentTurn.get(turnId, sqlDate(), runId));
  });
  const endTask = db.transaction((t: TaskEnd) => {
    const now = sqlDate();
    endAttempt.run(t.status, t.summary, now, t.attemptId);
    const run = toRun(countTask.get(t.inputTokens, t.outputTokens, t.costUsd, t.tasksDone, t.tasksDone, t.tasksFailed, t.docStateJson, now, t.runId));
    const h = historyRow(t.history);
    const historyId = cuid();
    insertHistory.run(historyId, h.kind, h.agentId, h.agentName, h.tabId, h.turnId, h.runId, h.success ? 1 : 0, h.summary, h.detail, h.durationMs, h.inputTokens, h.outputTokens, h.costUsd, now);
    return run;
  });

  return {
    run: (runId: string) => toRun(selectRun.get(runId)),
    agent: (agentId: string) => selectAgent.get(agentId) ?? null,
    /** Stores the attempt (before its turn starts: a restart checks the file against it) and the run's current task. */
    beginTask: (t: TaskStart, currentTask: string) => beginTask(t, currentTask),
    /** The attempt's turn, and the run's current turn (what the UI follows). */
    attachTurn: (runId: string, attemptId: string, turnId: string) => attachTurn(runId, attemptId, turnId),
    /** The attempt's end, the run's counters and the task's History entry: all or nothing. */
    endTask: (t: TaskEnd) => endTask(t),
    close() {
      db.close();
    },
  };
}

export type RunWrites = ReturnType<typeof createRunWrites>;
