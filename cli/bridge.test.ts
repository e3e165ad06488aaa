import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge } from "../e2e/bridge-process";
import { buildApp, needsBuild } from "../server/next-build";
import { callProcedure } from "./trpc-http.mjs";
import { dataDirFor, maestro, ROOT } from "./testing/fake-bridge";

/**
 * The real bin against the real bridge (`server/main.ts` on a temp data dir): discovery through
 * bridge.json + /api/health, the CLI token the bridge writes, tRPC over HTTP with Bearer, and
 * the exit codes when the token is wrong or the bridge has stopped.
 */
let home: string;
let child: ChildProcess;
let url: string;
let token: string;
const folders: string[] = [];

beforeAll(async () => {
  if (needsBuild()) buildApp();
  home = dataDirFor();
  const bridge = await startBridge(home);
  child = bridge.child;
  url = bridge.url.replace(/\/+$/, "");
  token = JSON.parse(fs.readFileSync(path.join(home, "cli-token"), "utf8")).token;
  const target = { url, token };
  const group = await callProcedure(target, "mutation", "groups.create", { name: "Backend" });
  for (const [name, groupId] of [
    ["api", group.id],
    ["Web", null],
  ]) {
    const folder = fs.mkdtempSync(path.join(home, "project-"));
    folders.push(folder);
    await callProcedure(target, "mutation", "agents.create", { name, folder, provider: "simulator", groupId });
  }
}, 300_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
  fs.rmSync(home, { recursive: true, force: true });
});

const withHome = (args: string[]) => maestro(["--data-dir", home, ...args]);

describe("maestro against a real bridge", () => {
  it("the token file is the user's alone", () => {
    expect(fs.statSync(path.join(home, "cli-token")).mode & 0o777).toBe(0o600);
  });

  it("status --json finds the bridge through the data dir", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    const r = await withHome(["status", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ running: true, mode: "bridge", url, version: pkg.version, dataDir: home, agents: 2 });
  });

  it("list agents --json, --group, list groups, show agent", async () => {
    const agents = JSON.parse((await withHome(["list", "agents", "--json"])).stdout);
    expect(agents.map((a: any) => [a.name, a.provider, a.toolType, a.groupName])).toEqual([
      ["api", "simulator", "simulator", "Backend"],
      ["Web", "simulator", "simulator", null],
    ]);
    expect(agents[0].folder).toBe(fs.realpathSync(folders[0]!));
    expect(agents[0].cwd).toBe(agents[0].folder);
    expect(agents[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const inGroup = JSON.parse((await withHome(["list", "agents", "--group", "backend", "--json"])).stdout);
    expect(inGroup.map((a: any) => a.name)).toEqual(["api"]);
    expect(JSON.parse((await withHome(["list", "groups", "--json"])).stdout)).toEqual([
      expect.objectContaining({ name: "Backend", agents: 1 }),
    ]);
    const shown = await withHome(["show", "agent", "WEB", "--json"]);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      name: "Web",
      id: agents[1].id,
      stats: { historyEntries: 0, successCount: 0, failureCount: 0 },
      recentHistory: [],
    });
  });

  it("an unknown agent is exit 4", async () => {
    const r = await withHome(["show", "agent", "ghost"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('maestro: no agent "ghost". `maestro list agents` shows them.\n');
  });

  it("--url + --token reach it as a remote bridge; a bad token is exit 5, one line", async () => {
    const r = await maestro(["--url", url, "--token", token, "list", "agents", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
    const bad = await withHome(["--token", "not-the-token", "list", "agents"]);
    expect(bad.code).toBe(5);
    expect(bad.stderr.trimEnd().split("\n")).toHaveLength(1);
    // The bridge's own message once, then one hint.
    expect(bad.stderr).toBe(
      "maestro: The bridge refused this CLI token (revoked, or from another data dir). Restart the bridge (it rewrites the token file), or pass --url and --token.\n",
    );
  });

  it("a stopped bridge is exit 3 and says how to start it", async () => {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    const r = await withHome(["status"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `maestro: Maestro is not running for ${home}. Start it with \`npm start\` (or \`maestro start\`), or pass --url and --token.\n`,
    );
    // A data command goes headless instead: the same database, so the same agents.
    const listed = await withHome(["list", "agents", "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).length).toBeGreaterThan(0);
  });
});
