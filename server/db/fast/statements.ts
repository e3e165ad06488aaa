import type Database from "better-sqlite3";
import type { Column, Table } from "./columns";
import { fromSqlDate, sqlDate } from "./connection";

/**
 * Statement builders over the column maps: SQL text, parameter encoding (dates in Prisma's
 * stored text form, booleans as 0/1) and row decoding (back to Date and boolean, as Prisma
 * returns them) all come from one map per table.
 */

export const quote = (id: string) => `"${id.replace(/"/g, '""')}"`;

type Encode = (v: unknown) => unknown;
type Decode = (v: unknown) => unknown;

const asIs = (v: unknown) => v;

function encoderOf(c: Column): Encode {
  if (c.type === "DateTime") return (v) => (v instanceof Date ? sqlDate(v) : v);
  if (c.type === "Boolean") return (v) => (typeof v === "boolean" ? (v ? 1 : 0) : v);
  return asIs;
}

function decoderOf(c: Column): Decode {
  if (c.type === "DateTime") return fromSqlDate;
  if (c.type === "Boolean") return (v) => (v === null || v === undefined ? v : Boolean(v));
  return asIs;
}

/** `"alias"."column" AS "field"` for each field: rows come back keyed by Prisma field names. */
export function selectList<M>(t: Table<M>, fields: readonly (keyof M & string)[] = t.fields, alias?: string): string {
  const prefix = alias ? `${quote(alias)}.` : "";
  return fields.map((f) => `${prefix}${quote(t.columns[f].sql)} AS ${quote(f)}`).join(", ");
}

/** One column, for hand-built WHERE / ORDER BY / aggregate clauses: `"alias"."column"`. */
export function col<M>(t: Table<M>, field: keyof M & string, alias?: string): string {
  return `${alias ? `${quote(alias)}.` : ""}${quote(t.columns[field].sql)}`;
}

/** The SQL table name, quoted. */
export const tableName = <M>(t: Table<M>) => quote(t.sql);

/** Turns a raw row (keyed by field, as `selectList` names them) into what Prisma would return. */
export function rowDecoder<M, K extends keyof M & string>(t: Table<M>, fields: readonly K[] = t.fields as readonly K[]) {
  const decoders = fields.map((f) => [f, decoderOf(t.columns[f])] as const).filter(([, d]) => d !== asIs);
  return (raw: Record<string, unknown>): Pick<M, K> => {
    for (const [f, d] of decoders) raw[f] = d(raw[f]);
    return raw as Pick<M, K>;
  };
}

/** Encodes values of the given fields, in order, into positional parameters. */
export function paramEncoder<M, K extends keyof M & string>(t: Table<M>, fields: readonly K[]) {
  const encoders = fields.map((f) => encoderOf(t.columns[f]));
  const n = fields.length;
  // A plain loop: this runs for every streamed event.
  return (values: Pick<M, K>): unknown[] => {
    const params = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const v = values[fields[i]!];
      const encode = encoders[i]!;
      params[i] = encode === asIs ? v : encode(v);
    }
    return params;
  };
}

/** The fields an insert writes: every one but an autoincrement id. */
export type InsertRow<M> = Omit<M, { [K in keyof M]: K extends "id" ? (M[K] extends number ? K : never) : never }[keyof M]>;

/**
 * A full-row INSERT: every column of the map is written explicitly (nothing relies on a SQL
 * default matching Prisma's), returning the generated id when the table has one.
 */
export function prepareInsert<M>(db: Database.Database, t: Table<M>) {
  const fields = t.fields.filter((f) => !t.columns[f].generated);
  const generated = t.fields.find((f) => t.columns[f].generated);
  const sql =
    `INSERT INTO ${tableName(t)} (${fields.map((f) => quote(t.columns[f].sql)).join(", ")}) VALUES (${fields.map(() => "?").join(", ")})` +
    (generated ? ` RETURNING ${quote(t.columns[generated].sql)} AS "id"` : "");
  const stmt = db.prepare(sql);
  const encode = paramEncoder(t, fields);
  return {
    sql,
    /** Inserts the row; returns the generated id (the rowid for tables without one). */
    run(row: InsertRow<M>): number {
      const params = encode(row as unknown as Pick<M, keyof M & string>);
      if (generated) return (stmt.get(...params) as { id: number }).id;
      return Number(stmt.run(...params).lastInsertRowid);
    },
  };
}

/**
 * `UPDATE … SET a = ?, b = b + ? … WHERE k = ? [RETURNING every field]`. Parameters are passed
 * as one object: the `set` and `add` values, then the `where` values.
 */
export function prepareUpdate<
  M,
  S extends keyof M & string,
  W extends keyof M & string,
  R extends boolean = false,
  A extends keyof M & string = never,
>(db: Database.Database, t: Table<M>, parts: { set: readonly S[]; add?: readonly A[]; where: readonly W[]; returning?: R }) {
  const add = parts.add ?? [];
  const assignments = [
    ...parts.set.map((f) => `${quote(t.columns[f].sql)} = ?`),
    ...add.map((f) => `${quote(t.columns[f].sql)} = ${quote(t.columns[f].sql)} + ?`),
  ];
  const sql =
    `UPDATE ${tableName(t)} SET ${assignments.join(", ")} WHERE ${parts.where.map((f) => `${quote(t.columns[f].sql)} = ?`).join(" AND ")}` +
    (parts.returning ? ` RETURNING ${selectList(t)}` : "");
  const stmt = db.prepare(sql);
  const encode = paramEncoder(t, [...parts.set, ...add, ...parts.where] as (keyof M & string)[]);
  const decode = rowDecoder(t);
  type Values = Pick<M, S | W> & { [K in A]: number };
  return {
    sql,
    /** Runs the update; returns the changed row (when `returning`) or the number of rows changed. */
    run(values: Values): R extends true ? M | null : number {
      const params = encode(values as unknown as Pick<M, keyof M & string>);
      if (parts.returning) {
        const row = stmt.get(...params) as Record<string, unknown> | undefined;
        return (row ? (decode(row) as M) : null) as R extends true ? M | null : number;
      }
      return stmt.run(...params).changes as R extends true ? M | null : number;
    },
  };
}

/** `SELECT <fields> FROM t WHERE k = ? …` returning at most one decoded row. */
export function prepareGet<M, K extends keyof M & string, W extends keyof M & string>(
  db: Database.Database,
  t: Table<M>,
  fields: readonly K[],
  where: readonly W[],
) {
  const sql = `SELECT ${selectList(t, fields)} FROM ${tableName(t)} WHERE ${where.map((f) => `${quote(t.columns[f].sql)} = ?`).join(" AND ")}`;
  const stmt = db.prepare(sql);
  const encode = paramEncoder(t, where);
  const decode = rowDecoder(t, fields);
  return {
    sql,
    get(values: Pick<M, W>): Pick<M, K> | null {
      const row = stmt.get(...encode(values)) as Record<string, unknown> | undefined;
      return row ? decode(row) : null;
    },
  };
}
