import Database from "better-sqlite3";
import fs from "node:fs";
import { afterAll, expect, test } from "vitest";
import { databaseFile, openDatabase } from "./db";
import {
  columnsOf,
  parsePrismaSchema,
  SCHEMA_FILE,
  schemaProblems,
  sqliteColumns,
  sqliteIndexes,
  type SchemaField,
} from "./testing/prisma-model";
import { tempDir } from "./testing/harness";

/**
 * The committed migrations (applied by our own migrator, as the bridge does at start-up) must
 * build exactly the database schema.prisma describes: every model a table, every scalar field a
 * column of the right type, nullability, default and key, every @@index/@unique an index. A
 * schema change without its migration (or a migration the schema does not know) fails here,
 * before Prisma (or the fast path) reads a column that is not there.
 */
const dataDir = tempDir("maestro-migrate-");
const db = openDatabase(dataDir);
const conn = new Database(databaseFile(dataDir), { readonly: true });
afterAll(async () => {
  conn.close();
  await db.$disconnect();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The SQLite column type Prisma's migrations give each scalar type. */
const SQL_TYPE: Record<string, string> = {
  String: "TEXT",
  Int: "INTEGER",
  Float: "REAL",
  Boolean: "BOOLEAN",
  DateTime: "DATETIME",
  BigInt: "BIGINT",
  Decimal: "DECIMAL",
  Bytes: "BLOB",
  Json: "JSONB",
};

/** The DEFAULT clause Prisma writes for a field's @default (none for ids and times Prisma generates itself). */
function sqlDefault(f: SchemaField): string | null {
  const d = f.default;
  if (d === null || /^(cuid|uuid|nanoid|ulid|autoincrement)\(.*\)$/.test(d)) return null;
  if (d === "now()") return "CURRENT_TIMESTAMP";
  if (d.startsWith('"')) return `'${(JSON.parse(d) as string).replace(/'/g, "''")}'`;
  return d;
}

test("the generated client and the schema parse agree with schema.prisma", () => {
  expect(schemaProblems(db)).toEqual([]);
});

test("the migrations build the database schema.prisma describes", () => {
  const models = parsePrismaSchema(fs.readFileSync(SCHEMA_FILE, "utf8"));
  const problems: string[] = [];
  const tables = (
    conn
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`)
      .all() as { name: string }[]
  ).map((t) => t.name);
  for (const t of tables)
    if (![...models.values()].some((m) => m.sql === t)) problems.push(`table ${t} is in the migrations but no model in schema.prisma`);
  for (const model of models.values()) {
    if (!tables.includes(model.sql)) {
      problems.push(`model ${model.name}: no table ${model.sql} after the migrations`);
      continue;
    }
    const have = new Map(sqliteColumns(conn, model.sql).map((c) => [c.name, c]));
    const fields = columnsOf(model);
    for (const f of fields) {
      const c = have.get(f.sql);
      const where = `${model.name}.${f.name}`;
      if (!c) {
        problems.push(`${where}: no column "${f.sql}" in table ${model.sql} after the migrations (add a migration)`);
        continue;
      }
      if (c.type !== SQL_TYPE[f.type])
        problems.push(`${where}: the column is ${c.type}, schema.prisma says ${f.type} (${SQL_TYPE[f.type]})`);
      if (c.notnull === f.optional)
        problems.push(
          `${where}: the column is ${c.notnull ? "NOT NULL" : "nullable"}, schema.prisma says ${f.optional ? "optional" : "required"}`,
        );
      if (c.dflt !== sqlDefault(f))
        problems.push(`${where}: the column's DEFAULT is ${c.dflt ?? "none"}, schema.prisma's @default gives ${sqlDefault(f) ?? "none"}`);
      const pk = model.id.indexOf(f.name) + 1;
      if (c.pk !== pk) problems.push(`${where}: primary key position ${c.pk} in the database, ${pk} in schema.prisma`);
    }
    for (const name of have.keys())
      if (!fields.some((f) => f.sql === name)) problems.push(`${model.name}: column "${name}" is in the database but not in schema.prisma`);

    const sqlOf = (field: string) => model.fields.find((f) => f.name === field)?.sql ?? field;
    const key = (unique: boolean, columns: string[]) => `${unique ? "unique " : ""}(${columns.join(", ")})`;
    const wantIdx = model.indexes.map((i) => key(i.unique, i.fields.map(sqlOf))).sort();
    const haveIdx = sqliteIndexes(conn, model.sql)
      .map((i) => key(i.unique, i.columns))
      .sort();
    if (wantIdx.join("; ") !== haveIdx.join("; "))
      problems.push(`${model.name}: indexes in the database [${haveIdx.join("; ")}], in schema.prisma [${wantIdx.join("; ")}]`);
  }
  expect(problems).toEqual([]);
});
