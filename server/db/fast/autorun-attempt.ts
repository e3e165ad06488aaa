import type Database from "better-sqlite3";
import { AutorunAttemptTable as A } from "./columns";
import { cuid } from "./connection";
import { prepareInsert, prepareUpdate } from "./statements";

export interface TaskStart {
  runId: string;
  loop: number;
  docIndex: number;
  docPath: string;
  taskText: string;
  taskLine: number;
  doneBefore: number;
  totalBefore: number;
}

/** Statements on "AutorunAttempt": one provider turn spent on one task, from its start to its end. */
export function prepareAutorunAttempts(db: Database.Database) {
  const insert = prepareInsert(db, A);
  const setTurn = prepareUpdate(db, A, { set: ["turnId"], where: ["id"] });
  const end = prepareUpdate(db, A, { set: ["status", "summary", "endedAt"], where: ["id"] });

  return {
    /** A running attempt; returns its id. */
    begin(t: TaskStart, at: Date): string {
      const id = cuid();
      insert.run({ id, ...t, turnId: null, status: "running", summary: "", startedAt: at, endedAt: null });
      return id;
    },
    setTurn: (attemptId: string, turnId: string) => setTurn.run({ id: attemptId, turnId }),
    end: (attemptId: string, status: string, summary: string, at: Date) => end.run({ id: attemptId, status, summary, endedAt: at }),
  };
}
