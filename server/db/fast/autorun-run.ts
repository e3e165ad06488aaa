import type Database from "better-sqlite3";
import type { AutorunRun } from "../../../generated/prisma/client.ts";
import { AutorunRunTable as R } from "./columns";
import { prepareGet, prepareUpdate } from "./statements";

/** Statements on "AutorunRun": the run row a driver reads each step, and its per-task changes (each returns the whole row). */
export function prepareAutorunRuns(db: Database.Database) {
  const get = prepareGet(db, R, R.fields, ["id"]);
  const setCurrentTask = prepareUpdate(db, R, { set: ["currentTask", "docStateJson", "updatedAt"], where: ["id"], returning: true });
  const setCurrentTurn = prepareUpdate(db, R, { set: ["currentTurnId", "updatedAt"], where: ["id"], returning: true });
  const countTask = prepareUpdate(db, R, {
    set: ["currentTask", "currentTurnId", "docStateJson", "updatedAt"],
    add: ["inputTokens", "outputTokens", "costUsd", "tasksDone", "loopTasksDone", "tasksFailed"],
    where: ["id"],
    returning: true,
  });

  return {
    get: (runId: string): AutorunRun | null => get.get({ id: runId }),
    setCurrentTask: (runId: string, currentTask: string, docStateJson: string, at: Date) =>
      setCurrentTask.run({ id: runId, currentTask, docStateJson, updatedAt: at }),
    setCurrentTurn: (runId: string, turnId: string, at: Date) => setCurrentTurn.run({ id: runId, currentTurnId: turnId, updatedAt: at }),
    /** Adds a task's tokens, cost and counts; clears the current task and turn. */
    countTask: (
      runId: string,
      add: { inputTokens: number; outputTokens: number; costUsd: number; tasksDone: number; tasksFailed: number },
      docStateJson: string,
      at: Date,
    ) =>
      countTask.run({
        id: runId,
        ...add,
        loopTasksDone: add.tasksDone,
        currentTask: null,
        currentTurnId: null,
        docStateJson,
        updatedAt: at,
      }),
  };
}
