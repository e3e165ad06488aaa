import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import path from "node:path";
import { PrismaClient } from "../generated/prisma/client.ts";
import { applyMigrations } from "./migrate";

export type Db = PrismaClient;
export type { Prisma } from "../generated/prisma/client.ts";

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, "maestro.db");
}

/** Brings the database in `dataDir` up to date and opens the one Prisma client. */
export function openDatabase(dataDir: string): Db {
  const file = databaseFile(dataDir);
  applyMigrations(file);
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}` }) });
}
