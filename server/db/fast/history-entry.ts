import type Database from "better-sqlite3";
import type { HistoryEntry } from "../../../generated/prisma/client.ts";
import { HistoryEntryTable as H } from "./columns";
import { cuid } from "./connection";
import { prepareInsert } from "./statements";

/** A History entry as the history service shapes it (`historyRow`); the id and time are given here. */
export type NewHistoryEntry = Omit<HistoryEntry, "id" | "createdAt">;

/** Statements on "HistoryEntry": an Auto Run task's entry, written with the task's end. */
export function prepareHistoryEntries(db: Database.Database) {
  const insert = prepareInsert(db, H);
  return {
    /** Inserts the entry; returns its id. */
    insert(entry: NewHistoryEntry, at: Date): string {
      const id = cuid();
      insert.run({ ...entry, id, createdAt: at });
      return id;
    },
  };
}
