import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    // Component tests (*.test.tsx) run in happy-dom: each says so with `// @vitest-environment happy-dom`.
    include: ["**/*.test.ts", "**/*.test.mts", "**/*.test.tsx"],
    exclude: ["node_modules/**", ".next/**", "e2e/**", "generated/**", "conformance/**"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    globalSetup: ["server/testing/vitest-global-setup.ts"],
  },
});
