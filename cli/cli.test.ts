import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataDirFor, maestro, ROOT, startFakeBridge, type FakeBridge } from "./testing/fake-bridge";

let bridge: FakeBridge;
let home: string;
const dirs: string[] = [];

beforeAll(async () => {
  bridge = await startFakeBridge();
  home = dataDirFor(bridge);
  dirs.push(home);
});
afterAll(async () => {
  await bridge.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const withHome = (args: string[], env: Record<string, string> = {}) => maestro(["--data-dir", home, ...args], env);
const oneLine = (s: string) => s.trimEnd().split("\n");

describe("maestro (real bin, child process)", () => {
  it("--version prints package.json's version", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    const r = await maestro(["--version"]);
    expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
    expect((await maestro(["-V"])).stdout).toBe(`${pkg.version}\n`);
  });

  it.each([
    [["lst"], /^maestro: unknown command 'lst'/],
    [["list", "agents", "--bogus"], /^maestro: unknown option '--bogus'/],
    [["show", "agent"], /^maestro: missing required argument 'agent'/],
    [
      ["completions", "tcsh"],
      /^maestro: command-argument value 'tcsh' is invalid for argument 'shell'\. Allowed choices are bash, zsh, fish\./,
    ],
    [["--url", "http://127.0.0.1:1", "list", "agents"], /^maestro: --url needs --token/],
  ])("bad usage %j exits 2 with one line", async (args, line) => {
    const r = await maestro(args);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(line);
  });

  it("a bare group command prints its help and exits 2", async () => {
    const r = await maestro(["list"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Usage: maestro list");
  });

  it("no bridge for the data dir: exit 3, says how to start it", async () => {
    const empty = dataDirFor();
    dirs.push(empty);
    const r = await maestro(["--data-dir", empty, "status"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `maestro: Maestro is not running for ${empty}. Start it with \`npm start\` (or \`maestro start\`), or pass --url and --token.\n`,
    );
    const json = await maestro(["--data-dir", empty, "status", "--json"]);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ success: false, code: "UNREACHABLE" });
    expect(json.stderr).toBe("");
  });

  it("MAESTRO_HOME picks the data dir when there is no flag", async () => {
    const r = await maestro(["status", "--json"], { MAESTRO_HOME: home });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dataDir: home });
  });

  it("a stale bridge.json (dead pid) is exit 3", async () => {
    const stale = dataDirFor(bridge, { pid: 2 ** 22 + 7 });
    dirs.push(stale);
    expect((await maestro(["--data-dir", stale, "status"])).code).toBe(3);
  });

  it("a bridge.json naming another instance (pid reused) is exit 3", async () => {
    const other = dataDirFor(bridge);
    dirs.push(other);
    const file = path.join(other, "bridge.json");
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), instanceId: "someone-else" }));
    expect((await maestro(["--data-dir", other, "status"])).code).toBe(3);
  });

  it("a refused token is exit 5 with one clear line; --json puts it on stdout", async () => {
    const bad = dataDirFor(bridge, { token: "wrong" });
    dirs.push(bad);
    const r = await maestro(["--data-dir", bad, "list", "agents"]);
    expect(r.code).toBe(5);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toBe("maestro: Pair this device first. Restart the bridge (it rewrites the token file), or pass --url and --token.\n");
    const json = await maestro(["--data-dir", bad, "list", "agents", "--json"]);
    expect(json.code).toBe(5);
    expect(JSON.parse(json.stdout)).toMatchObject({ success: false, code: "AUTH" });
  });

  it("no cli-token file is exit 5", async () => {
    const none = dataDirFor(bridge, { token: null });
    dirs.push(none);
    const r = await maestro(["--data-dir", none, "list", "agents"]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`no CLI token in ${path.join(none, "cli-token")}`);
  });

  it("status --json reports the bridge", async () => {
    const r = await withHome(["status", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      running: true,
      mode: "bridge",
      url: bridge.url,
      version: "9.9.9-fake",
      dataDir: home,
      agents: 5,
    });
    const human = await withHome(["status"]);
    expect(human.stdout).toBe(`● Maestro 9.9.9-fake is running at ${bridge.url} for ${home} with 5 agents.\n`);
  });

  it("list agents --json: our fields and desktop's twins, Dates as ISO strings", async () => {
    const r = await withHome(["list", "agents", "--json"]);
    expect(r.code).toBe(0);
    const agents = JSON.parse(r.stdout);
    expect(agents.map((a: { name: string }) => a.name)).toEqual(["api", "Web", "docs", "twin", "TWIN"]);
    expect(agents[0]).toMatchObject({
      id: "cm4kapi000001",
      provider: "claude",
      toolType: "claude-code",
      folder: "/projects/api",
      cwd: "/projects/api",
      groupId: "g1",
      groupName: "Backend",
      bookmarked: true,
      createdAt: "2026-12-01T10:00:00.000Z",
    });
    expect(agents[2]).toMatchObject({ provider: "gemini", toolType: "gemini-cli", groupName: null });
    expect(r.stdout).toBe(`${JSON.stringify(agents, null, 2)}\n`);
  });

  it("list agents --group filters by group name, case-insensitive; an unknown group is exit 4", async () => {
    const r = await withHome(["list", "agents", "--group", "backend", "--json"]);
    expect(JSON.parse(r.stdout).map((a: { name: string }) => a.name)).toEqual(["api", "Web"]);
    const table = await withHome(["list", "agents", "-g", "g1"]);
    expect(oneLine(table.stdout)[0]).toMatch(/^ID\s+NAME\s+PROVIDER\s+STATUS\s+GROUP\s+FOLDER$/);
    expect(oneLine(table.stdout)).toHaveLength(3);
    expect((await withHome(["list", "agents", "--group", "nope"])).code).toBe(4);
    expect((await withHome(["list", "agents", "--group", "Empty"])).stdout).toBe("No agents in Empty.\n");
  });

  it("list groups counts agents", async () => {
    const r = await withHome(["list", "groups", "--json"]);
    expect(JSON.parse(r.stdout)).toEqual([
      { id: "g1", name: "Backend", collapsed: false, agents: 2 },
      { id: "g2", name: "Empty", collapsed: true, agents: 0 },
    ]);
  });

  it("show agent resolves id, name (any case) and a unique id prefix", async () => {
    for (const ref of ["cm4kapi000001", "API", "cm4ka"]) {
      const r = await withHome(["show", "agent", ref, "--json"]);
      expect(r.code, ref).toBe(0);
      expect(JSON.parse(r.stdout).id, ref).toBe("cm4kapi000001");
    }
    const human = await withHome(["show", "agent", "web"]);
    expect(human.stdout).toContain("  folder        /projects/web");
    expect(human.stdout).toContain("  history       none yet\n");
  });

  it("show agent carries its History: totals and newest entries, with desktop's field names too", async () => {
    const r = await withHome(["show", "agent", "api", "--json"]);
    const shown = JSON.parse(r.stdout);
    expect(shown.stats).toEqual({
      historyEntries: 2,
      successCount: 1,
      failureCount: 1,
      totalInputTokens: 105,
      totalOutputTokens: 57,
      totalCost: 1.75,
    });
    expect(shown.recentHistory.map((e: { id: string }) => e.id)).toEqual(["h2", "h1"]);
    expect(shown.recentHistory[1]).toEqual({
      id: "h1",
      kind: "turn",
      type: "turn",
      createdAt: "2026-12-07T03:00:00.000Z",
      timestamp: "2026-12-07T03:00:00.000Z",
      summary: "Added the login page",
      success: true,
      durationMs: 1200,
      elapsedTimeMs: 1200,
      costUsd: 1.5,
      cost: 1.5,
    });
    const human = (await withHome(["show", "agent", "api"])).stdout;
    expect(human).toContain("  history       2 entries, 1 succeeded, $1.75, 162 tokens\n");
    expect(human).toContain("  ✗ 2026-12-07T04:00:00.000Z  autorun  Task 2 failed\n");
  });

  it("an ambiguous agent is exit 2 listing the candidates; an unknown one is exit 4", async () => {
    const twin = await withHome(["show", "agent", "twin"]);
    expect(twin.code).toBe(2);
    expect(twin.stderr).toBe('maestro: "twin" names 2 agents: twin (cm4xtwin00004), TWIN (cm4xtwin00005). Use the id.\n');
    const prefix = await withHome(["show", "agent", "cm4x"]);
    expect(prefix.code).toBe(2);
    const none = await withHome(["show", "agent", "ghost", "--json"]);
    expect(none.code).toBe(4);
    expect(JSON.parse(none.stdout)).toMatchObject({ success: false, code: "NOT_FOUND" });
  });

  it("--url + --token reach a remote bridge, no data dir needed; a dead --url is exit 3", async () => {
    const r = await maestro(["--url", bridge.url, "--token", bridge.token, "list", "groups", "--json"], { MAESTRO_HOME: "/nonexistent" });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
    const env = await maestro(["status", "--json"], { MAESTRO_URL: bridge.url, MAESTRO_TOKEN: bridge.token });
    expect(JSON.parse(env.stdout)).toMatchObject({ mode: "remote", dataDir: null });
    const bad = await maestro(["--url", bridge.url, "--token", "nope", "list", "groups"]);
    expect(bad.code).toBe(5);
    const dead = await maestro(["--url", "http://127.0.0.1:1", "--token", "x", "status"]);
    expect(dead.code).toBe(3);
  });

  it("--verbose says which bridge it uses, on stderr", async () => {
    const r = await withHome(["--verbose", "list", "groups", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`maestro: bridge for ${home} at ${bridge.url} (version 9.9.9-fake)\n`);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
  });

  it("--quiet silences incidental output only: a command's primary output and --json still print", async () => {
    expect((await withHome(["-q", "status"])).stdout).toBe((await withHome(["status"])).stdout);
    expect(oneLine((await withHome(["-q", "list", "agents"])).stdout)).toHaveLength(6);
    expect((await withHome(["-q", "show", "agent", "api"])).stdout).toContain("  folder        /projects/api\n");
    expect((await maestro(["-q", "completions", "bash"])).stdout).toContain("complete -F _maestro maestro");
    expect(JSON.parse((await withHome(["-q", "status", "--json"])).stdout)).toMatchObject({ agents: 5 });
    // Quiet also drops warnings (the diagnostics that are not errors).
    expect((await withHome(["-q", "status"], { MAESTRO_TOKEN: "for-a-remote-bridge" })).stderr).toBe("");
  });

  it("MAESTRO_TOKEN without a URL is ignored (it belongs to MAESTRO_URL), and the CLI says so", async () => {
    const r = await withHome(["status", "--json"], { MAESTRO_TOKEN: "for-a-remote-bridge" });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`maestro: MAESTRO_TOKEN is ignored without --url or MAESTRO_URL; using ${path.join(home, "cli-token")}.\n`);
  });

  it("pair runs `npm run pair`'s script for the CLI's data dir", async () => {
    const fresh = dataDirFor();
    dirs.push(fresh);
    const r = await maestro(["--data-dir", fresh, "pair", "--no-qr"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`not running with data dir ${fresh}`);
    expect(r.stdout).toMatch(/\/pair#token=[A-Za-z0-9_-]{43}\n/);
    expect(fs.existsSync(path.join(fresh, "maestro.db"))).toBe(true);
  });
});
