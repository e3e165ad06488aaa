import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { tempDir } from "../../testing/harness";
import { resolveInside } from "./confine";
import { createFilesService } from "./service";

let root: string;
let outside: string;
beforeAll(() => {
  root = tempDir("maestro-files-");
  outside = tempDir("maestro-outside-");
  fs.mkdirSync(path.join(root, "src"));
  fs.writeFileSync(path.join(root, "src", "main.ts"), "");
  fs.writeFileSync(path.join(root, "secret.log"), "");
  fs.writeFileSync(path.join(root, ".gitignore"), "*.log\n");
  fs.symlinkSync(outside, path.join(root, "escape"));
  execFileSync("git", ["init", "-q"], { cwd: root });
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe("resolveInside", () => {
  test("a plain relative path resolves under the root, existing or not", async () => {
    expect(await resolveInside(root, "src/main.ts")).toBe(path.join(fs.realpathSync(root), "src/main.ts"));
    expect(await resolveInside(root, "src/new/file.md")).toBe(path.join(fs.realpathSync(root), "src/new/file.md"));
  });
  test.each([
    ["../etc/passwd", /leaves the agent's folder/],
    ["src/../../x", /leaves the agent's folder/],
    ["/etc/passwd", /relative to the agent's folder/],
    ["escape/x.md", /through a link/],
    ["a\0b", /NUL/],
  ])("%j is refused", async (p, message) => {
    await expect(resolveInside(root, p)).rejects.toThrow(message);
  });
});

test("mention search honours .gitignore and ranks by name", async () => {
  const files = createFilesService();
  expect(await files.search(root, "main")).toEqual(["src/main.ts"]);
  expect(await files.search(root, "secret")).toEqual([]);
  expect(await files.search(root, "")).toContain(".gitignore");
});
