import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["**/*.test.ts", "**/*.test.mts"],
    exclude: ["node_modules/**", ".next/**", "e2e/**", "generated/**", "conformance/**"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    globalSetup: ["server/testing/vitest-global-setup.ts"],
  },
});
