import { fromSqlDate, openFastConnection } from "../../sqlite-fast";
import { toStored, type StoredEvent } from "./event-writer";

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

/**
 * The reads behind opening a tab (its newest events, where the newest turns start, how many
 * turns there are), as prepared statements: they run on every tap on an agent, where Prisma's
 * per-call query compile and row mapping cost tens of milliseconds on a 10,000-event tab.
 * They return exactly what the Prisma versions return (a test holds them side by side).
 */
export function createTurnReads(dbFile: string) {
  const db = openFastConnection(dbFile);
  type EventRow = { id: number; turnId: string; type: string; payload: string; createdAt: string };
  const eventsAfter = db.prepare<[string, number, number], EventRow>(
    'SELECT e."id", e."turnId", e."type", e."payload", e."createdAt" FROM "Event" e JOIN "Turn" t ON t."id" = e."turnId" WHERE t."tabId" = ? AND e."id" > ? ORDER BY e."id" LIMIT ?',
  );
  const newestEvents = db.prepare<[string, number], { id: number; turnId: string }>(
    'SELECT e."id", e."turnId" FROM "Event" e JOIN "Turn" t ON t."id" = e."turnId" WHERE t."tabId" = ? ORDER BY e."id" DESC LIMIT ?',
  );
  const firstEventOfTurn = db.prepare<[string], { id: number }>('SELECT "id" FROM "Event" WHERE "turnId" = ? ORDER BY "id" LIMIT 1');
  const counts = db.prepare<[string], { count: number; running: number; inputTokens: number; outputTokens: number; costUsd: number }>(
    'SELECT COUNT(*) AS "count", COALESCE(MAX("status" = \'running\'), 0) AS "running", ' +
      'COALESCE(SUM("inputTokens"), 0) AS "inputTokens", COALESCE(SUM("outputTokens"), 0) AS "outputTokens", COALESCE(SUM("costUsd"), 0) AS "costUsd" ' +
      'FROM "Turn" WHERE "tabId" = ?',
  );
  const newestTurn = db.prepare<[string], { id: string }>('SELECT "id" FROM "Turn" WHERE "tabId" = ? ORDER BY "startedAt" DESC, "id" DESC LIMIT 1');

  return {
    eventsAfter(tabId: string, afterId: number, limit: number): StoredEvent[] {
      return eventsAfter.all(tabId, afterId, limit).map((r) => toStored({ ...r, createdAt: fromSqlDate(r.createdAt) ?? new Date(0) }));
    },
    /** The id before the first event of the turn holding the `tail`-th newest event; 0 when the tab is shorter. */
    tailStart(tabId: string, tail: number): number {
      const newest = newestEvents.all(tabId, tail);
      if (newest.length < tail) return 0;
      return (firstEventOfTurn.get(newest[newest.length - 1]!.turnId)?.id ?? 1) - 1;
    },
    overview(tabId: string): TabOverview {
      const c = counts.get(tabId)!;
      return {
        count: c.count,
        running: c.running === 1,
        newestTurnId: newestTurn.get(tabId)?.id ?? null,
        totals: { inputTokens: c.inputTokens, outputTokens: c.outputTokens, costUsd: c.costUsd },
      };
    },
    close() {
      db.close();
    },
  };
}

export type TurnReads = ReturnType<typeof createTurnReads>;
