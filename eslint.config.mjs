// ESLint flat config. `npm run lint` runs it with --max-warnings=0, and `npm test` runs that, so a
// warning fails CI like an error does. The layer rules at the bottom encode docs/ARCHITECTURE.md;
// test/lint-fixtures/ mirrors the repo's folders with one file per rule that each must reject
// (test/lint-rules.test.ts proves it).
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import { builtinModules } from "node:module";
import tseslint from "typescript-eslint";

/** A layer's own files and its mirror in the fixtures tree. */
const layer = (...dirs) => dirs.flatMap((d) => [`${d}/**/*.{ts,tsx,mts}`, `test/lint-fixtures/${d}/**/*.{ts,tsx,mts}`]);
const tests = [
  "**/*.test.{ts,tsx,mts}",
  "**/*.testkit.{ts,tsx}",
  "**/testing/**",
  "simulator/harness.ts",
  "e2e/**",
  "conformance/**",
  "bench/**",
];

const NODE_BUILTINS = {
  regex: `^(node:|(${builtinModules.join("|")})(/|$))`,
  message: "lib/ is pure: no Node built-ins (do the I/O in server/ and pass the data in).",
};
const SERVER = (allowTypeImports, message) => ({ regex: "^(@/|(\\.\\./)+)server(/|$)", allowTypeImports, message });
const COMPONENTS = { regex: "^(@/|(\\.\\./)+)components(/|$)", message: "lib/ is shared by client and server: it imports no components." };
const FAST_PATH = {
  regex: "(^|/)(sqlite-fast|db/fast)(/|$)|(^|/)generated/prisma(/|$)",
  message: "Routers call services; only services reach the database (Prisma or the fast path).",
};

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      "generated/**",
      ".tmp/**",
      "test-results/**",
      "playwright-report/**",
      "public/**",
      "next-env.d.ts",
      // Linted only by test/lint-rules.test.ts, which expects each fixture to fail.
      "test/lint-fixtures/**",
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["*.mjs", "scripts/*.mjs", "bin/*.mjs", "bench/*.mjs", "conformance/*.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // Fire-and-forget is deliberate in places (a push, a refetch); each such call says `void`.
      "@typescript-eslint/no-floating-promises": ["error", { ignoreVoid: true }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      // A failed best-effort step (a cleanup, a probe) is ignored on purpose in `catch {}`.
      "no-empty": ["error", { allowEmptyCatch: true }],
      // We strip ANSI from terminal output and refuse control characters in paths: on purpose.
      "no-control-regex": "off",
    },
  },
  { files: ["**/*.{js,mjs}"], ...tseslint.configs.disableTypeChecked },
  {
    // Tests poke at parsed JSON from CLIs, servers and reports on purpose; typing every probe
    // would only restate the assertions next to it.
    files: tests,
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/unbound-method": "off",
      // Stand-ins are async to match the real function's signature, awaited or not.
      "@typescript-eslint/require-await": "off",
    },
  },
  // Playwright's fixtures take `{}` when they need no other fixture.
  { files: ["e2e/**"], rules: { "no-empty-pattern": "off" } },
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      // These three say what the React Compiler needs to memoize a component. We do not compile
      // with it, and the idioms they flag are deliberate here: a ref that holds the latest
      // callback or value (read by effects and handlers, written during render), a state reset
      // in an effect when its source changes, and TanStack Virtual's non-memoizable API.
      "react-hooks/refs": "off",
      "react-hooks/set-state-in-effect": "off",
      "react-hooks/incompatible-library": "off",
    },
    settings: { next: { rootDir: import.meta.dirname } },
  },

  // ── The layers ────────────────────────────────────────────────────────────────────────────
  {
    files: layer("lib"),
    ignores: tests,
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            NODE_BUILTINS,
            COMPONENTS,
            // The one exception: the tRPC client needs the router's type (types vanish at build).
            SERVER(true, "lib/ imports nothing from server/ (types only, for the tRPC client)."),
          ],
        },
      ],
    },
  },
  {
    files: layer("components", "app"),
    ignores: tests,
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [SERVER(true, "The UI reaches the bridge through tRPC: import server/ only as types (`import type`).")] },
      ],
    },
  },
  {
    // The CLI's start path is plain node (bench/cli.ts budgets it): it reaches the bridge over
    // HTTP and never loads the server, Prisma, Next, tsx, zod or tRPC.
    files: ["cli/**/*.mjs", "bin/maestro.mjs", "test/lint-fixtures/cli/**/*.mjs"],
    // Headless mode is the one way in: it registers tsx and loads server/headless.ts, lazily.
    ignores: ["cli/**/*.test.*", "cli/headless.mjs", "test/lint-fixtures/cli/headless.mjs"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/|(\\.\\./)+)(server|generated)(/|$)|^(@prisma/|@trpc/)|^(next|tsx|zod)(/|$)",
              message:
                "cli/ stays off the server: talk to the bridge over HTTP (cli/trpc-http.mjs), no server/, generated/, Prisma, Next, tsx, zod or tRPC.",
            },
          ],
        },
      ],
    },
  },
  {
    files: layer("server/routers"),
    ignores: tests,
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [FAST_PATH] }] },
  },
);
