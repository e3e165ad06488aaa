import { cuid, openFastConnection, sqlDate } from "../../sqlite-fast";

export interface TabForTurn {
  id: string;
  providerSessionId: string | null;
  providerTotals: string | null;
  agent: { id: string; name: string; folder: string; provider: string; settingsJson: string };
}

export interface TurnEnd {
  turnId: string;
  status: string;
  durationMs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  errorKind: string | null;
  errorMessage: string | null;
  /** Set the tab's provider session (and its reported totals); undefined leaves the tab alone. */
  tab?: { id: string; providerSessionId: string | null; providerTotals: string | null };
}

/**
 * The writes every turn makes (its row, its end, the agent's busy/idle status, the tab's
 * session), as prepared statements — the per-turn path a long Auto Run repeats hundreds of
 * times. Same rows, same formats as Prisma writes them; everything else about turns stays Prisma.
 */
export function createTurnWrites(dbFile: string) {
  const db = openFastConnection(dbFile);
  const selectTab = db.prepare<[string], { id: string; providerSessionId: string | null; providerTotals: string | null; agentId: string; name: string; folder: string; provider: string; settingsJson: string }>(
    'SELECT t."id", t."providerSessionId", t."providerTotals", a."id" AS "agentId", a."name", a."folder", a."provider", a."settingsJson" FROM "Tab" t JOIN "Agent" a ON a."id" = t."agentId" WHERE t."id" = ?',
  );
  const insertTurn = db.prepare<[string, string, string, string, string | null, string]>(
    'INSERT INTO "Turn" ("id", "tabId", "agentId", "prompt", "clientId", "status", "inputTokens", "outputTokens", "costUsd", "startedAt") VALUES (?, ?, ?, ?, ?, \'running\', 0, 0, 0, ?)',
  );
  const updateStatus = db.prepare<[string, string, string]>('UPDATE "Agent" SET "status" = ?, "updatedAt" = ? WHERE "id" = ?');
  const updateStatusActivity = db.prepare<[string, string, string, string]>('UPDATE "Agent" SET "status" = ?, "lastActivity" = ?, "updatedAt" = ? WHERE "id" = ?');
  const updateTurn = db.prepare<[string, string, number, number, number, number, string | null, string | null, string]>(
    'UPDATE "Turn" SET "status" = ?, "endedAt" = ?, "durationMs" = ?, "inputTokens" = ?, "outputTokens" = ?, "costUsd" = ?, "errorKind" = ?, "errorMessage" = ? WHERE "id" = ?',
  );
  const updateTab = db.prepare<[string | null, string | null, string, string]>('UPDATE "Tab" SET "providerSessionId" = ?, "providerTotals" = ?, "updatedAt" = ? WHERE "id" = ?');
  const endTurn = db.transaction((end: TurnEnd) => {
    const now = sqlDate();
    updateTurn.run(end.status, now, end.durationMs, end.inputTokens, end.outputTokens, end.costUsd, end.errorKind, end.errorMessage, end.turnId);
    if (end.tab) updateTab.run(end.tab.providerSessionId, end.tab.providerTotals, now, end.tab.id);
  });

  return {
    tab(tabId: string): TabForTurn | null {
      const r = selectTab.get(tabId);
      if (!r) return null;
      return { id: r.id, providerSessionId: r.providerSessionId, providerTotals: r.providerTotals, agent: { id: r.agentId, name: r.name, folder: r.folder, provider: r.provider, settingsJson: r.settingsJson } };
    },
    /** A new running turn; returns its id. Throws SQLITE_CONSTRAINT_UNIQUE for a (tab, clientId) seen before. */
    createTurn(input: { tabId: string; agentId: string; prompt: string; clientId?: string | null }): string {
      const id = cuid();
      insertTurn.run(id, input.tabId, input.agentId, input.prompt, input.clientId ?? null, sqlDate());
      return id;
    },
    setAgentStatus(agentId: string, status: string, lastActivity?: string) {
      if (lastActivity === undefined) updateStatus.run(status, sqlDate(), agentId);
      else updateStatusActivity.run(status, lastActivity, sqlDate(), agentId);
    },
    /** The turn's end and the tab's session, in one transaction. */
    endTurn(end: TurnEnd) {
      endTurn(end);
    },
    close() {
      db.close();
    },
  };
}

export type TurnWrites = ReturnType<typeof createTurnWrites>;
