import type Database from "better-sqlite3";
import { TurnTable as T } from "./columns";
import { cuid } from "./connection";
import { col, prepareInsert, prepareUpdate, tableName } from "./statements";

export interface TurnEnd {
  turnId: string;
  status: string;
  durationMs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  errorKind: string | null;
  errorMessage: string | null;
  /** The working-tree snapshots around the turn (see services/turns/git-snapshot.ts); absent: not recorded. */
  git?: { before: string; after: string; changed: number } | null;
  /** Set the tab's provider session (and its reported totals); undefined leaves the tab alone. */
  tab?: { id: string; providerSessionId: string | null; providerTotals: string | null };
}

export interface TabOverview {
  /** Turns in the tab. */
  count: number;
  /** The newest turn's id (null for an empty tab). */
  newestTurnId: string | null;
  /** Whether a turn is running in the tab right now. */
  running: boolean;
  /** Tokens and cost of the tab's turns as recorded when each ended (a running turn counts 0). */
  totals: { inputTokens: number; outputTokens: number; costUsd: number };
}

/** Statements on "Turn": a turn's row and its end (the per-turn path), and a tab's turn overview. */
export function prepareTurns(db: Database.Database) {
  const insert = prepareInsert(db, T);
  const end = prepareUpdate(db, T, {
    set: [
      "status",
      "endedAt",
      "durationMs",
      "inputTokens",
      "outputTokens",
      "costUsd",
      "errorKind",
      "errorMessage",
      "gitBefore",
      "gitAfter",
      "gitChanged",
    ],
    where: ["id"],
  });
  const counts = db.prepare<[string], { count: number; running: number; inputTokens: number; outputTokens: number; costUsd: number }>(
    `SELECT COUNT(*) AS "count", COALESCE(MAX(${col(T, "status")} = 'running'), 0) AS "running", ` +
      `COALESCE(SUM(${col(T, "inputTokens")}), 0) AS "inputTokens", COALESCE(SUM(${col(T, "outputTokens")}), 0) AS "outputTokens", COALESCE(SUM(${col(T, "costUsd")}), 0) AS "costUsd" ` +
      `FROM ${tableName(T)} WHERE ${col(T, "tabId")} = ?`,
  );
  const newest = db.prepare<[string], { id: string }>(
    `SELECT ${col(T, "id")} AS "id" FROM ${tableName(T)} WHERE ${col(T, "tabId")} = ? ORDER BY ${col(T, "startedAt")} DESC, ${col(T, "id")} DESC LIMIT 1`,
  );

  return {
    /** A new running turn; returns its id. Throws SQLITE_CONSTRAINT_UNIQUE for a (tab, clientId) seen before. */
    create: (input: { tabId: string; agentId: string; prompt: string; clientId?: string | null }): string => {
      const id = cuid();
      insert.run({
        id,
        tabId: input.tabId,
        agentId: input.agentId,
        prompt: input.prompt,
        status: "running",
        errorKind: null,
        errorMessage: null,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        startedAt: new Date(),
        endedAt: null,
        durationMs: null,
        clientId: input.clientId ?? null,
        gitBefore: null,
        gitAfter: null,
        gitChanged: null,
      });
      return id;
    },
    /** The turn's own end (the tab's session is the tabs' statement; index.ts joins them in one transaction). */
    end: (e: TurnEnd, at: Date) => {
      end.run({
        id: e.turnId,
        status: e.status,
        endedAt: at,
        durationMs: e.durationMs,
        inputTokens: e.inputTokens,
        outputTokens: e.outputTokens,
        costUsd: e.costUsd,
        errorKind: e.errorKind,
        errorMessage: e.errorMessage,
        gitBefore: e.git?.before ?? null,
        gitAfter: e.git?.after ?? null,
        gitChanged: e.git?.changed ?? null,
      });
    },
    /** How many turns a tab has, their totals, its newest, whether one runs: what opening a tab needs. */
    overview: (tabId: string): TabOverview => {
      const c = counts.get(tabId)!;
      return {
        count: c.count,
        running: c.running === 1,
        newestTurnId: newest.get(tabId)?.id ?? null,
        totals: { inputTokens: c.inputTokens, outputTokens: c.outputTokens, costUsd: c.costUsd },
      };
    },
  };
}
