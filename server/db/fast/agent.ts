import type Database from "better-sqlite3";
import type { Agent } from "../../../generated/prisma/client.ts";
import { AgentTable as A } from "./columns";
import { prepareGet, prepareUpdate } from "./statements";

export type RunAgent = Pick<Agent, "id" | "name" | "folder" | "settingsJson">;

/** Statements on "Agent": its busy/idle status (every turn), and what an Auto Run task needs of it. */
export function prepareAgents(db: Database.Database) {
  const setStatus = prepareUpdate(db, A, { set: ["status", "updatedAt"], where: ["id"] });
  const setStatusActivity = prepareUpdate(db, A, { set: ["status", "lastActivity", "updatedAt"], where: ["id"] });
  const forRun = prepareGet(db, A, ["id", "name", "folder", "settingsJson"], ["id"]);

  return {
    setStatus: (agentId: string, status: string, lastActivity?: string) => {
      if (lastActivity === undefined) setStatus.run({ id: agentId, status, updatedAt: new Date() });
      else setStatusActivity.run({ id: agentId, status, lastActivity, updatedAt: new Date() });
    },
    forRun: (agentId: string): RunAgent | null => {
      return forRun.get({ id: agentId });
    },
  };
}
