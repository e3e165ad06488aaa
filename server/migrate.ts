import Database from "better-sqlite3";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../prisma/migrations");

export interface MigrationResult {
  applied: string[];
}

/**
 * Applies committed Prisma migrations (`prisma/migrations/<stamp>_<name>/migration.sql`) that the
 * database has not seen, in order, each in its own transaction, with Prisma's own bookkeeping
 * table. Same semantics as `prisma migrate deploy`, without a CLI child process at start-up
 * (the wasm engine takes seconds to boot). A migration whose checksum changed after it was
 * applied is refused, as Prisma does.
 */
export function applyMigrations(dbFile: string, migrationsDir = MIGRATIONS_DIR): MigrationResult {
  const db = new Database(dbFile);
  try {
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "checksum" TEXT NOT NULL,
      "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL,
      "logs" TEXT,
      "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
    )`);
    const done = new Map<string, { checksum: string; finished: boolean }>();
    for (const row of db
      .prepare(`SELECT migration_name, checksum, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL`)
      .all() as { migration_name: string; checksum: string; finished_at: unknown }[]) {
      done.set(row.migration_name, { checksum: row.checksum, finished: row.finished_at != null });
    }
    const names = fs
      .readdirSync(migrationsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(migrationsDir, d.name, "migration.sql")))
      .map((d) => d.name)
      .sort();
    const applied: string[] = [];
    for (const name of names) {
      const sql = fs.readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      const seen = done.get(name);
      if (seen) {
        if (!seen.finished) throw new Error(`migration ${name} failed earlier; fix the database, then start again`);
        if (seen.checksum !== checksum) throw new Error(`migration ${name} was changed after it was applied`);
        continue;
      }
      const now = new Date().toISOString();
      db.transaction(() => {
        db.exec(sql);
        db.prepare(
          `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
        ).run(randomUUID(), checksum, now, name, now);
      })();
      applied.push(name);
    }
    return { applied };
  } finally {
    db.close();
  }
}
