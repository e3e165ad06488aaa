import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// Used by the Prisma CLI only (generate, migrate dev). The bridge applies committed
// migrations itself at start-up (server/db/migrate.ts) so starting needs no CLI child process.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  adapter: () => Promise.resolve(new PrismaBetterSQLite3({ url: process.env.DATABASE_URL ?? "file:./prisma/dev.db" })),
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
