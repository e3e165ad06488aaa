/**
 * The real-CLI conformance suites: `npx vitest run -c conformance/vitest.config.ts`.
 * Kept out of the unit run (the root vitest.config.ts excludes conformance/**): they need the
 * CLIs from the tool cache (node conformance/install-tools.mjs) and take tens of seconds.
 */
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "..");

export default defineConfig({
  root,
  resolve: { alias: { "@": root } },
  test: {
    include: ["conformance/**/*.conformance.test.ts"],
    exclude: ["node_modules/**"],
    testTimeout: 180_000,
    // Collection may install a missing CLI (~30 s each).
    hookTimeout: 600_000,
    pool: "forks",
  },
});
