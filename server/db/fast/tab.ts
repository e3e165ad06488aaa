import type Database from "better-sqlite3";
import { AgentTable as A, TabTable as T } from "./columns";
import { col, prepareUpdate, selectList, tableName } from "./statements";

export interface TabForTurn {
  id: string;
  providerSessionId: string | null;
  providerTotals: string | null;
  /** This tab's override of the agent's permission mode (null: the agent's). */
  permissionMode: string | null;
  agent: { id: string; name: string; folder: string; provider: string; settingsJson: string };
}

/** Statements on "Tab": what starting a turn reads (with its agent), and the provider session a turn leaves. */
export function prepareTabs(db: Database.Database) {
  const forTurn = db.prepare<
    [string],
    {
      id: string;
      providerSessionId: string | null;
      providerTotals: string | null;
      permissionMode: string | null;
      agentId: string;
      name: string;
      folder: string;
      provider: string;
      settingsJson: string;
    }
  >(
    `SELECT ${selectList(T, ["id", "providerSessionId", "providerTotals", "permissionMode", "agentId"], "t")}, ${selectList(A, ["name", "folder", "provider", "settingsJson"], "a")} ` +
      `FROM ${tableName(T)} t JOIN ${tableName(A)} a ON ${col(A, "id", "a")} = ${col(T, "agentId", "t")} WHERE ${col(T, "id", "t")} = ?`,
  );
  const setSession = prepareUpdate(db, T, { set: ["providerSessionId", "providerTotals", "updatedAt"], where: ["id"] });

  return {
    forTurn: (tabId: string): TabForTurn | null => {
      const r = forTurn.get(tabId);
      if (!r) return null;
      return {
        id: r.id,
        providerSessionId: r.providerSessionId,
        providerTotals: r.providerTotals,
        permissionMode: r.permissionMode,
        agent: { id: r.agentId, name: r.name, folder: r.folder, provider: r.provider, settingsJson: r.settingsJson },
      };
    },
    setSession: (tab: { id: string; providerSessionId: string | null; providerTotals: string | null }, at: Date) => {
      setSession.run({ id: tab.id, providerSessionId: tab.providerSessionId, providerTotals: tab.providerTotals, updatedAt: at });
    },
  };
}
