import Database from "better-sqlite3";
import crypto from "node:crypto";

/**
 * The fast path's connection: better-sqlite3 on the same database file as Prisma (WAL), for the
 * few hot paths that skip Prisma (its wasm query compiler costs 1–3 ms of CPU per call, paid on
 * the main thread). The tables stay Prisma's (schema, migrations, every other read and write),
 * so what is written here must look exactly as Prisma writes it: `contract.test.ts` holds that.
 * Only `openFastDb` (index.ts) opens one, once per service graph.
 */
export function openConnection(dbFile: string): Database.Database {
  const db = new Database(dbFile);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  return db;
}

/** A date in the text form Prisma's SQLite adapter stores (`…+00:00`, which Prisma reads back). */
export const sqlDate = (d: Date = new Date()) => d.toISOString().replace("Z", "+00:00");

/** A date column as Prisma returns it: better-sqlite3 (no safeIntegers) reads it as text, or as a number of milliseconds. */
export const fromSqlDate = (v: unknown): Date | null =>
  v === null || v === undefined ? null : new Date(typeof v === "number" ? v : (v as string));

const FINGERPRINT = crypto.randomBytes(3).readUIntBE(0, 3).toString(36).padStart(4, "0").slice(-4);
let counter = crypto.randomBytes(2).readUInt16BE(0);

/**
 * An id in the shape of Prisma's `cuid()` (c + time + counter + host + random, 25 chars), so rows
 * written here sort by id among Prisma's own as they would have (timelines break ties by id).
 */
export function cuid(): string {
  counter = (counter + 1) % 36 ** 4;
  const random = crypto.randomBytes(6).readUIntBE(0, 6).toString(36).padStart(8, "0").slice(-8);
  return `c${Date.now().toString(36).padStart(8, "0")}${counter.toString(36).padStart(4, "0")}${FINGERPRINT}${random}`;
}
