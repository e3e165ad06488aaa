import type Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../db";
import { PROJECT_ROOT } from "../version";

/**
 * What Prisma believes the database looks like, for tests that hold hand-written SQL (the fast
 * path) and hand-applied migrations (server/migrate.ts) against it:
 * - `prismaDataModel(db)`: the data model the generated client runs on (models, scalar fields
 *   and their types, in schema order), the runtime form of Prisma's DMMF;
 * - `parsePrismaSchema(text)`: what that runtime form leaves out (optional `?`, `@map`,
 *   `@default`, `@id`, `@unique`, `@@index`), read from schema.prisma and cross-checked against
 *   the data model by `schemaProblems`, so the two cannot silently disagree;
 * - `sqliteTable(db, name)`: what the migrated database really has.
 */

export const SCHEMA_FILE = path.join(PROJECT_ROOT, "prisma", "schema.prisma");

export interface DataModelField {
  name: string;
  kind: "scalar" | "object" | "enum";
  type: string;
}

/** The generated client's runtime data model: every model with its fields, as the client maps rows. */
export function prismaDataModel(db: Db): Record<string, { dbName: string | null; fields: DataModelField[] }> {
  const model = (db as unknown as { _runtimeDataModel?: { models: Record<string, { dbName: string | null; fields: DataModelField[] }> } })
    ._runtimeDataModel;
  if (!model?.models)
    throw new Error("the Prisma client exposes no _runtimeDataModel: Prisma changed its internals; update server/testing/prisma-model.ts");
  return model.models;
}

/** The schema text the generated client was generated from. */
export function generatedSchemaText(db: Db): string {
  const text = (db as unknown as { _engineConfig?: { inlineSchema?: string } })._engineConfig?.inlineSchema;
  if (typeof text !== "string")
    throw new Error("the Prisma client exposes no _engineConfig.inlineSchema: update server/testing/prisma-model.ts");
  return text;
}

export const SCALARS = new Set(["String", "Int", "Float", "Boolean", "DateTime", "BigInt", "Decimal", "Json", "Bytes"]);

export interface SchemaField {
  name: string;
  type: string;
  optional: boolean;
  list: boolean;
  /** The SQL column (`@map`, else the field name). */
  sql: string;
  /** The text inside `@default(…)`, if any. */
  default: string | null;
  updatedAt: boolean;
  id: boolean;
  unique: boolean;
}

export interface SchemaModel {
  name: string;
  /** The SQL table (`@@map`, else the model name). */
  sql: string;
  fields: SchemaField[];
  /** Primary key fields (`@id` or `@@id`). */
  id: string[];
  /** `@@index`, `@@unique` and `@unique`, by field names. */
  indexes: { unique: boolean; fields: string[] }[];
}

/** Drops a `//` comment that is not inside a string. */
function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === "\\" && inString) i++;
    else if (ch === '"') inString = !inString;
    else if (!inString && ch === "/" && line[i + 1] === "/") return line.slice(0, i);
  }
  return line;
}

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim().replace(/\(.*\)$/, ""))
    .filter(Boolean);

/** The models of a Prisma schema, as far as columns, keys and indexes go (no relations, no enums). */
export function parsePrismaSchema(text: string): Map<string, SchemaModel> {
  const models = new Map<string, SchemaModel>();
  let current: SchemaModel | null = null;
  for (const raw of text.split("\n")) {
    const line = stripComment(raw).trim();
    if (!line) continue;
    const open = /^model\s+(\w+)\s*\{$/.exec(line);
    if (open) {
      current = { name: open[1]!, sql: open[1]!, fields: [], id: [], indexes: [] };
      models.set(current.name, current);
      continue;
    }
    if (!current) continue;
    if (line === "}") {
      current = null;
      continue;
    }
    if (line.startsWith("@@")) {
      const map = /^@@map\("([^"]+)"\)/.exec(line);
      if (map) current.sql = map[1]!;
      const block = /^@@(id|unique|index)\(\s*(?:fields:\s*)?\[([^\]]*)\]/.exec(line);
      if (block) {
        if (block[1] === "id") current.id = list(block[2]!);
        else current.indexes.push({ unique: block[1] === "unique", fields: list(block[2]!) });
      }
      continue;
    }
    const field = /^(\w+)\s+(\w+)(\?|\[\])?(.*)$/.exec(line);
    if (!field) throw new Error(`schema.prisma: cannot read the line "${raw.trim()}" in model ${current.name}`);
    const attrs = field[4] ?? "";
    const def = /@default\(((?:[^()"]|"(?:[^"\\]|\\.)*"|\([^()]*\))*)\)/.exec(attrs);
    const f: SchemaField = {
      name: field[1]!,
      type: field[2]!,
      optional: field[3] === "?",
      list: field[3] === "[]",
      sql: /@map\("([^"]+)"\)/.exec(attrs)?.[1] ?? field[1]!,
      default: def ? def[1]!.trim() : null,
      updatedAt: /@updatedAt\b/.test(attrs),
      id: /@id\b/.test(attrs),
      unique: /@unique\b/.test(attrs),
    };
    current.fields.push(f);
    if (f.id) current.id = [f.name];
    if (f.unique) current.indexes.push({ unique: true, fields: [f.name] });
  }
  return models;
}

/** The scalar (column) fields of a parsed model. */
export const columnsOf = (m: SchemaModel) => m.fields.filter((f) => SCALARS.has(f.type) && !f.list);

/**
 * Where schema.prisma, the parse above and the generated client disagree. Empty when the client
 * was generated from this very schema and the parse read every model and field as Prisma did.
 */
export function schemaProblems(db: Db, schemaText = fs.readFileSync(SCHEMA_FILE, "utf8")): string[] {
  const problems: string[] = [];
  // The client holds the schema as `prisma generate` formatted it: compare all but the spacing.
  const normalize = (t: string) =>
    t
      .split("\n")
      .map((l) => l.trim().replace(/\s+/g, " "))
      .filter(Boolean)
      .join("\n");
  if (normalize(generatedSchemaText(db)) !== normalize(schemaText))
    problems.push("generated/prisma was not generated from prisma/schema.prisma as it is now: run `npx prisma generate`");
  const parsed = parsePrismaSchema(schemaText);
  const runtime = prismaDataModel(db);
  const names = (xs: Iterable<string>) => [...xs].sort().join(", ");
  if (names(parsed.keys()) !== names(Object.keys(runtime)))
    problems.push(`models: schema.prisma has [${names(parsed.keys())}], the client has [${names(Object.keys(runtime))}]`);
  for (const [name, model] of Object.entries(runtime)) {
    const p = parsed.get(name);
    if (!p) continue;
    const want = model.fields.filter((f) => f.kind !== "object").map((f) => `${f.name}: ${f.type}`);
    const got = columnsOf(p).map((f) => `${f.name}: ${f.type}`);
    if (want.join(", ") !== got.join(", "))
      problems.push(`${name}: the client's fields [${want.join(", ")}] differ from those read from schema.prisma [${got.join(", ")}]`);
    if ((model.dbName ?? name) !== p.sql)
      problems.push(`${name}: the client maps it to table ${model.dbName ?? name}, schema.prisma to ${p.sql}`);
  }
  return problems;
}

export interface SqliteColumn {
  name: string;
  type: string;
  notnull: boolean;
  dflt: string | null;
  pk: number;
}

/** A table's columns as the database has them (`PRAGMA table_info`), in order. */
export function sqliteColumns(conn: Database.Database, table: string): SqliteColumn[] {
  return (
    conn.pragma(`table_info(${JSON.stringify(table)})`) as {
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
    }[]
  ).map((c) => ({
    name: c.name,
    type: c.type,
    notnull: c.notnull === 1,
    dflt: c.dflt_value,
    pk: c.pk,
  }));
}

/** A table's indexes made by CREATE INDEX (not the primary key's): unique or not, and their columns in order. */
export function sqliteIndexes(conn: Database.Database, table: string): { name: string; unique: boolean; columns: string[] }[] {
  const list = conn.pragma(`index_list(${JSON.stringify(table)})`) as { name: string; unique: number; origin: string }[];
  return list
    .filter((i) => i.origin === "c")
    .map((i) => ({
      name: i.name,
      unique: i.unique === 1,
      columns: (conn.pragma(`index_info(${JSON.stringify(i.name)})`) as { seqno: number; name: string }[])
        .sort((a, b) => a.seqno - b.seqno)
        .map((c) => c.name),
    }));
}
