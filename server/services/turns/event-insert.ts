import { openFastConnection, sqlDate } from "../../sqlite-fast";

export interface EventRow {
  turnId: string;
  type: string;
  payload: string;
  createdAt: Date;
}

/**
 * The one hot write path that skips Prisma: batches of stream events go through a prepared
 * better-sqlite3 statement on its own connection to the same database file (WAL). Prisma's
 * wasm query compiler costs a fraction of a millisecond of CPU per query, which twenty busy
 * agents turn into visible stream latency. The table is still Prisma's (schema, migrations,
 * reads); dates are written in the text form Prisma's SQLite adapter uses.
 */
export function createEventInserter(dbFile: string) {
  const db = openFastConnection(dbFile);
  const insert = db.prepare<[string, string, string, string], { id: number }>(
    'INSERT INTO "Event" ("turnId", "type", "payload", "createdAt") VALUES (?, ?, ?, ?) RETURNING "id"',
  );
  const insertAll = db.transaction((rows: EventRow[]) =>
    rows.map((row) => ({ ...row, id: insert.get(row.turnId, row.type, row.payload, sqlDate(row.createdAt))!.id })),
  );
  return {
    /** Inserts in one transaction; returns the rows with their ids, in order. */
    insert(rows: EventRow[]): (EventRow & { id: number })[] {
      return insertAll(rows);
    },
    close() {
      db.close();
    },
  };
}

export type EventInserter = ReturnType<typeof createEventInserter>;
