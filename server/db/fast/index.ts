import type { AutorunRun } from "../../../generated/prisma/client.ts";
import { prepareAgents } from "./agent";
import { prepareAutorunAttempts, type TaskStart } from "./autorun-attempt";
import { prepareAutorunRuns } from "./autorun-run";
import type { Table } from "./columns";
import { openConnection } from "./connection";
import { prepareEvents } from "./event";
import { prepareGroupChat } from "./groupchat";
import { prepareHistoryEntries, type NewHistoryEntry } from "./history-entry";
import { prepareInsert, type InsertRow } from "./statements";
import { prepareTabs } from "./tab";
import { prepareTurns, type TurnEnd } from "./turn";

export * from "./columns";
export { cuid, fromSqlDate, sqlDate } from "./connection";
export type { NewEvent } from "./event";
export type { ChatWrite, NewChatEvent } from "./groupchat";
export type { NewHistoryEntry } from "./history-entry";
export type { RunAgent } from "./agent";
export type { TaskStart } from "./autorun-attempt";
export type { TabForTurn } from "./tab";
export type { TabOverview, TurnEnd } from "./turn";

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
  /** The task's History entry (as `historyRow` shapes it), written in the same transaction. */
  history: NewHistoryEntry;
}

/**
 * The fast path, behind one boundary: one better-sqlite3 connection to Prisma's database file
 * (WAL) and every hand-written statement, for the paths where Prisma's per-call query compile
 * costs more than the work (turn events while streaming, the per-turn and per-task writes, the
 * reads behind opening a tab). Opened once per service graph (`createServices`), closed on its
 * shutdown. Services call these typed functions; no SQL lives outside this folder. Each
 * function that writes more than one row is one transaction.
 *
 * Rows must read back through Prisma exactly as if Prisma had written them: the column maps
 * (columns.ts) and contract.test.ts hold that against schema.prisma and the migrations.
 */
export function openFastDb(dbFile: string) {
  const db = openConnection(dbFile);
  const events = prepareEvents(db);
  const turns = prepareTurns(db);
  const tabs = prepareTabs(db);
  const agents = prepareAgents(db);
  const runs = prepareAutorunRuns(db);
  const attempts = prepareAutorunAttempts(db);
  const history = prepareHistoryEntries(db);
  const groupchat = prepareGroupChat(db);

  const endTurn = db.transaction((end: TurnEnd) => {
    const at = new Date();
    turns.end(end, at);
    if (end.tab) tabs.setSession(end.tab, at);
  });
  const beginTask = db.transaction((t: TaskStart, currentTask: string, docStateJson: string) => {
    const at = new Date();
    const attemptId = attempts.begin(t, at);
    return { attemptId, run: runs.setCurrentTask(t.runId, currentTask, docStateJson, at) };
  });
  const attachTurn = db.transaction((runId: string, attemptId: string, turnId: string) => {
    attempts.setTurn(attemptId, turnId);
    return runs.setCurrentTurn(runId, turnId, new Date());
  });
  const endTask = db.transaction((t: TaskEnd) => {
    const at = new Date();
    attempts.end(t.attemptId, t.status, t.summary, at);
    const run = runs.countTask(t.runId, t, t.docStateJson, at);
    history.insert(t.history, at);
    return run;
  });

  const inserts = new Map<string, unknown>();
  function insertInto<M>(t: Table<M>) {
    if (!inserts.has(t.model)) inserts.set(t.model, prepareInsert(db, t));
    return inserts.get(t.model) as ReturnType<typeof prepareInsert<M>>;
  }
  const inTransaction = db.transaction((work: () => number[]) => work());

  let open = true;
  return {
    /** "Event": the turn stream's batched inserts, and a tab's events for a (re)connecting client. */
    events: { insert: events.insert, afterInTab: events.afterInTab, tailStart: events.tailStart },
    turns: {
      create: turns.create,
      /** The turn's end and the tab's provider session, in one transaction. */
      end: (end: TurnEnd) => endTurn(end),
      overview: turns.overview,
    },
    tabs: { forTurn: tabs.forTurn },
    /** Group chat rows and their stream events, committed together (server/services/groupchat). */
    groupchat: { commit: groupchat.commit, agentExists: groupchat.agentExists },
    agents: { setStatus: agents.setStatus, forRun: agents.forRun },
    autorun: {
      run: runs.get,
      /** Stores the attempt (before its turn starts: a restart checks the file against it) and the run's current task. */
      beginTask: (t: TaskStart & { docStateJson: string }, currentTask: string): { attemptId: string; run: AutorunRun | null } => {
        const { docStateJson, ...start } = t;
        return beginTask(start, currentTask, docStateJson);
      },
      /** The attempt's turn, and the run's current turn (what the UI follows). */
      attachTurn: (runId: string, attemptId: string, turnId: string): AutorunRun | null => attachTurn(runId, attemptId, turnId),
      /** The attempt's end, the run's counters and the task's History entry: all or nothing. */
      endTask: (t: TaskEnd): AutorunRun | null => endTask(t),
    },
    /**
     * Whole rows into any mapped table, in one transaction (tests and e2e seeds: history as weeks
     * of use would have left it). Every column is given; returns the rowids (or generated ids).
     */
    insertRows<M>(t: Table<M>, rows: InsertRow<M>[]): number[] {
      const insert = insertInto(t);
      return inTransaction(() => rows.map((row) => insert.run(row)));
    },
    close() {
      if (!open) return;
      open = false;
      db.close();
    },
  };
}

export type FastDb = ReturnType<typeof openFastDb>;
