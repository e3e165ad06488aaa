import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { tempDir } from "../../testing/harness";
import { detectProviders } from "./detect";

let bin: string;
function script(name: string, body: string) {
  const file = path.join(bin, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

beforeAll(() => {
  bin = tempDir("maestro-bin-");
  script("claude", 'echo "2.1.330 (Claude Code)"');
  script("codex", "sleep 30");
  fs.writeFileSync(path.join(bin, "gemini"), "not executable", { mode: 0o644 });
  script("my-opencode", 'echo "1.18.33"');
});
afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

test("finds CLIs on PATH with versions, honours configured paths, survives broken ones", async () => {
  const found = await detectProviders({
    envPath: bin,
    configuredPaths: { opencode: path.join(bin, "my-opencode") },
    isRoot: true,
    timeoutMs: 500,
  });
  const byId = Object.fromEntries(found.map((p) => [p.id, p]));
  expect(byId.simulator).toMatchObject({ installed: true, source: "bundled" });
  expect(byId.claude).toMatchObject({ installed: true, version: "2.1.330", path: path.join(bin, "claude"), source: "PATH" });
  expect(byId.claude!.notes.join(" ")).toMatch(/root.*IS_SANDBOX=1/);
  expect(byId.codex).toMatchObject({ installed: true, version: null });
  expect(byId.codex!.notes[0]).toMatch(/did not answer with a version \(timed out\)/);
  expect(byId.opencode).toMatchObject({ installed: true, version: "1.18.33", source: "configured" });
  expect(byId.gemini).toMatchObject({ installed: false, path: null });
  expect(byId.gemini!.notes[0]).toMatch(/npm i -g @google\/gemini-cli/);
});

test("a configured path that is not executable says so", async () => {
  const found = await detectProviders({ envPath: bin, configuredPaths: { claude: "/nonexistent/claude" }, isRoot: false, timeoutMs: 500 });
  const claude = found.find((p) => p.id === "claude")!;
  expect(claude.installed).toBe(false);
  expect(claude.notes).toEqual(["The configured path /nonexistent/claude is not an executable file."]);
});
