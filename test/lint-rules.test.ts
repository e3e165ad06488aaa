import { ESLint } from "eslint";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * The layer rules of eslint.config.mjs, proven on fixtures: test/lint-fixtures/ mirrors the repo's
 * folders, and each fixture's first line says whether the config must REJECT it (for breaking a
 * layer rule) or ACCEPT it. The main lint run ignores the fixtures; this test lints them with the
 * same config, so a rule that stops biting (a glob typo, a regex that no longer matches) fails here.
 */
const root = path.resolve(import.meta.dirname, "..");
const fixturesDir = path.join(root, "test", "lint-fixtures");
const LAYER_RULE = "@typescript-eslint/no-restricted-imports";

function fixtures(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? fixtures(full) : [full];
  });
}

const files = fixtures(fixturesDir);
const expectation = (file: string) => (fs.readFileSync(file, "utf8").startsWith("// REJECT") ? "reject" : "accept");
let results: Map<string, ESLint.LintResult>;

beforeAll(async () => {
  // ignore: false lints the fixtures despite the config's global ignore of their folder.
  const eslint = new ESLint({ cwd: root, ignore: false });
  results = new Map((await eslint.lintFiles(files)).map((r) => [r.filePath, r]));
}, 180_000);

describe("layer rules", () => {
  it("has a fixture for every layer the config guards", () => {
    const rel = files.map((f) => path.relative(fixturesDir, f));
    for (const layer of ["lib/", "components/", "app/", "server/routers/", "cli/"]) {
      expect(
        rel.some((f) => f.startsWith(layer) && expectation(path.join(fixturesDir, f)) === "reject"),
        layer,
      ).toBe(true);
    }
  });

  it.each(files.map((f) => [path.relative(root, f), f]))("%s", (_name, file) => {
    const result = results.get(file);
    expect(result, "linted").toBeDefined();
    const layerErrors = result!.messages.filter((m) => m.ruleId === LAYER_RULE);
    if (expectation(file) === "reject") {
      expect(layerErrors.length, "the layer rule reports the import").toBeGreaterThan(0);
      expect(layerErrors.every((m) => m.severity === 2)).toBe(true);
    } else {
      expect(layerErrors).toEqual([]);
    }
    // A fixture must not fail for an unrelated reason (a parse error would hide the rule).
    expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  });
});
