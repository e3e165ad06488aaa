import type Database from "better-sqlite3";
import type { GroupChat, GroupChatMessage, GroupChatParticipant, GroupChatRound } from "../../../generated/prisma/client.ts";
import {
  GroupChatEventTable,
  GroupChatMessageTable,
  GroupChatParticipantTable,
  GroupChatRoundTable,
  GroupChatTable,
  type Table,
} from "./columns";
import { paramEncoder, prepareInsert, quote, tableName } from "./statements";

interface ChatRows {
  chat: GroupChat;
  participant: GroupChatParticipant;
  round: GroupChatRound;
  message: GroupChatMessage;
}
type ChatTable = keyof ChatRows;

/** One row change of a group chat commit. `upsert` writes the whole row (new, or replacing it). */
export type ChatWrite =
  | { [T in ChatTable]: { table: T; upsert: ChatRows[T] } }[ChatTable]
  | { [T in ChatTable]: { table: T; update: { id: string; data: Partial<Omit<ChatRows[T], "id">> } } }[ChatTable]
  | { table: "participant"; delete: string };

export interface NewChatEvent {
  chatId: string;
  type: string;
  payload: string;
  createdAt: Date;
}

const TABLES: { [T in ChatTable]: Table<ChatRows[T]> } = {
  chat: GroupChatTable,
  participant: GroupChatParticipantTable,
  round: GroupChatRoundTable,
  message: GroupChatMessageTable,
};

type Prepared = { stmt: Database.Statement; encode: (values: Record<string, unknown>) => unknown[] };

/**
 * Group chat commits: row changes and the events that tell them in one synchronous transaction.
 * As Prisma batch transactions, these commits made a chat's turn starts fail with "database is
 * locked": a batch in flight (begun, not committed) when `turns.create` wrote here in another
 * promise's continuation, and that write blocked the thread for the whole busy timeout. Here
 * each commit is one synchronous transaction, holding no lock across an await. Statements are built from the column maps per shape
 * (table, kind, fields) and kept.
 */
export function prepareGroupChat(db: Database.Database) {
  const cache = new Map<string, Prepared>();
  const insertEvent = prepareInsert(db, GroupChatEventTable);

  function prepared(key: string, build: () => { sql: string; fields: string[]; table: Table<unknown> }): Prepared {
    let p = cache.get(key);
    if (!p) {
      const { sql, fields, table } = build();
      const encode = paramEncoder(table as Table<Record<string, unknown>>, fields);
      p = { stmt: db.prepare(sql), encode: (v) => encode(v) };
      cache.set(key, p);
    }
    return p;
  }

  function upsert(name: ChatTable, row: Record<string, unknown>) {
    const t = TABLES[name] as unknown as Table<Record<string, unknown>>;
    const p = prepared(`${name}:upsert`, () => {
      const cols = t.fields.map((f) => quote(t.columns[f]!.sql));
      const sets = t.fields.filter((f) => f !== "id").map((f) => `${quote(t.columns[f]!.sql)} = excluded.${quote(t.columns[f]!.sql)}`);
      return {
        sql: `INSERT INTO ${tableName(t)} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")}) ON CONFLICT("id") DO UPDATE SET ${sets.join(", ")}`,
        fields: [...t.fields],
        table: t as Table<unknown>,
      };
    });
    p.stmt.run(...p.encode(row));
  }

  function update(name: ChatTable, id: string, data: Record<string, unknown>) {
    const t = TABLES[name] as unknown as Table<Record<string, unknown>>;
    // GroupChat.updatedAt is Prisma's @updatedAt: set on every update, as Prisma would.
    const values = name === "chat" ? { ...data, updatedAt: new Date() } : data;
    const fields = Object.keys(values)
      .filter((f) => values[f] !== undefined && f in t.columns && f !== "id")
      .sort();
    if (fields.length === 0) return;
    const p = prepared(`${name}:update:${fields.join(",")}`, () => ({
      sql: `UPDATE ${tableName(t)} SET ${fields.map((f) => `${quote(t.columns[f]!.sql)} = ?`).join(", ")} WHERE "id" = ?`,
      fields: [...fields, "id"],
      table: t as Table<unknown>,
    }));
    p.stmt.run(...p.encode({ ...values, id }));
  }

  const removeParticipant = db.prepare(`DELETE FROM ${tableName(GroupChatParticipantTable)} WHERE "id" = ?`);

  const commit = db.transaction((writes: readonly ChatWrite[], events: readonly NewChatEvent[]): number[] => {
    for (const w of writes) {
      if ("upsert" in w) upsert(w.table, w.upsert);
      else if ("update" in w) update(w.table, w.update.id, w.update.data);
      else removeParticipant.run(w.delete);
    }
    return events.map((e) => insertEvent.run(e));
  });

  const agentExists = db.prepare(`SELECT 1 FROM "Agent" WHERE "id" = ?`).pluck();

  return {
    /** The writes, then the events (their ids returned, in order): all or nothing. */
    commit: (writes: readonly ChatWrite[], events: readonly NewChatEvent[]): number[] => commit(writes, events),
    /**
     * Whether an agent row exists. Asked on every "agents.changed" (each turn's start and end
     * publishes one), so it is a prepared statement, not a Prisma round trip.
     */
    agentExists: (agentId: string): boolean => agentExists.get(agentId) !== undefined,
  };
}
