import type Database from "better-sqlite3";
import type { Event } from "../../../generated/prisma/client.ts";
import { EventTable as E, TurnTable as T } from "./columns";
import { col, prepareInsert, rowDecoder, selectList, tableName } from "./statements";

/** A stream event to store; the database gives it its durable id. */
export type NewEvent = Omit<Event, "id">;

/** Statements on "Event": the turn stream's hot write path and the reads behind opening a tab. */
export function prepareEvents(db: Database.Database) {
  const insert = prepareInsert(db, E);
  const insertAll = db.transaction((rows: NewEvent[]) => rows.map((row) => ({ ...row, id: insert.run(row) })));
  const ofTab = `FROM ${tableName(E)} e JOIN ${tableName(T)} t ON ${col(T, "id", "t")} = ${col(E, "turnId", "e")} WHERE ${col(T, "tabId", "t")} = ?`;
  const after = db.prepare<[string, number, number], Record<string, unknown>>(
    `SELECT ${selectList(E, E.fields, "e")} ${ofTab} AND ${col(E, "id", "e")} > ? ORDER BY ${col(E, "id", "e")} LIMIT ?`,
  );
  const decode = rowDecoder(E);
  const newest = db.prepare<[string, number], { id: number; turnId: string }>(
    `SELECT ${selectList(E, ["id", "turnId"], "e")} ${ofTab} ORDER BY ${col(E, "id", "e")} DESC LIMIT ?`,
  );
  const firstOfTurn = db.prepare<[string], { id: number }>(
    `SELECT ${selectList(E, ["id"])} FROM ${tableName(E)} WHERE ${col(E, "turnId")} = ? ORDER BY ${col(E, "id")} LIMIT 1`,
  );

  return {
    /** Inserts in one transaction; returns the rows with their ids, in order. */
    insert: (rows: NewEvent[]): Event[] => {
      return insertAll(rows);
    },
    /** A tab's events after an id, in id order, as Prisma's `event.findMany` returns them. */
    afterInTab: (tabId: string, afterId: number, limit: number): Event[] => {
      return after.all(tabId, afterId, limit).map((r) => decode(r) as Event);
    },
    /** The id before the first event of the turn holding the `tail`-th newest event; 0 when the tab is shorter. */
    tailStart: (tabId: string, tail: number): number => {
      const rows = newest.all(tabId, tail);
      if (rows.length < tail) return 0;
      return (firstOfTurn.get(rows[rows.length - 1]!.turnId)?.id ?? 1) - 1;
    },
  };
}
