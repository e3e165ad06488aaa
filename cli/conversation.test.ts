import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HISTORY_KINDS } from "../lib/history/kinds";
import { tempDir } from "../server/testing/harness";
import { HISTORY_KINDS as CLI_KINDS } from "./commands/history.mjs";
import { BIN, maestro } from "./testing/fake-bridge";
import { startRealBridge, type RealBridge } from "./testing/real-bridge";

/**
 * The conversation commands (`send`, `session list|show`, `list sessions`, `history`) through the
 * real bin against one real bridge with simulator agents.
 */
let bridge: RealBridge;
let project: string;
let sim: { id: string; name: string };
let other: { id: string; name: string };

beforeAll(async () => {
  bridge = await startRealBridge();
  project = tempDir("maestro-cli-conv-");
  sim = await bridge.services.agents.create({ name: "Sim", folder: project, provider: "simulator" });
  other = await bridge.services.agents.create({ name: "other", folder: project, provider: "simulator" });
});
afterAll(async () => {
  await bridge.close();
  fs.rmSync(project, { recursive: true, force: true });
});

const json = (s: string) => JSON.parse(s);
const DESKTOP_KEYS = ["agentId", "agentName", "response", "sessionId", "success", "usage"];
const USAGE_KEYS = [
  "cacheCreationInputTokens",
  "cacheReadInputTokens",
  "contextUsagePercent",
  "contextWindow",
  "inputTokens",
  "outputTokens",
  "totalCostUsd",
];

describe("maestro send", () => {
  let first: { sessionId: string; providerSessionId: string };

  it("waits for the reply and prints desktop's shape: text, usage, our tab id and the provider's session", async () => {
    const r = await bridge.cli(["send", "sim", "Say hello", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = json(r.stdout);
    for (const k of DESKTOP_KEYS) expect(out).toHaveProperty(k);
    expect(out).toMatchObject({ agentId: sim.id, agentName: "Sim", success: true });
    expect(out.response.length).toBeGreaterThan(0);
    expect(Object.keys(out.usage).sort()).toEqual(USAGE_KEYS);
    expect(out.usage.inputTokens).toBeGreaterThan(0);
    expect(out.usage.outputTokens).toBeGreaterThan(0);
    expect(out.usage.totalCostUsd).toBeGreaterThanOrEqual(0);
    expect(out.usage.contextUsagePercent === null || typeof out.usage.contextUsagePercent === "number").toBe(true);
    // A new tab of that agent (the default), holding the turn's provider session.
    const tab = await bridge.services.tabs.byId(out.sessionId);
    expect(tab.agentId).toBe(sim.id);
    expect(tab.name).toBe("CLI: Say hello");
    expect(out.providerSessionId).toBe(tab.providerSessionId);
    // What the bridge stored agrees with what was printed.
    const turn = await bridge.services.db.turn.findUniqueOrThrow({ where: { id: out.turnId } });
    expect([turn.status, turn.inputTokens, turn.outputTokens]).toEqual(["done", out.usage.inputTokens, out.usage.outputTokens]);
    first = out;
  });

  it("--tab continues that tab (the provider session is resumed); without it each send gets a new tab", async () => {
    const again = json((await bridge.cli(["send", "sim", "Again please", "--tab", first.sessionId, "--json"])).stdout);
    expect(again.sessionId).toBe(first.sessionId);
    expect(again.providerSessionId).toBe(first.providerSessionId);
    const fresh = json((await bridge.cli(["send", "sim", "Hello again", "--json"])).stdout);
    expect(fresh.sessionId).not.toBe(first.sessionId);
    expect(fresh.providerSessionId).not.toBe(first.providerSessionId);
  });

  it("without --json prints the reply's text; a message starting with - goes after --", async () => {
    const r = await bridge.cli(["send", "sim", "--", "-v says hi"]);
    expect(r.code, r.stderr).toBe(0);
    const turn = await bridge.services.db.turn.findFirstOrThrow({ where: { prompt: "-v says hi" } });
    const result = await bridge.services.turns.result(turn.id);
    expect(r.stdout).toBe(`${result.response}\n`);
    expect(r.stderr).toBe("");
    const quiet = await bridge.cli(["-q", "send", "sim", "quietly"]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout.length).toBeGreaterThan(1);
  });

  it("on a terminal the reply streams as it arrives, then a footer with tokens, cost and the tab", async () => {
    // `script` gives the CLI a pty (stdout and stderr both a TTY, merged here). Spawned without
    // blocking: the bridge answering it lives in this process.
    const cmd = [process.execPath, BIN, "--data-dir", bridge.home, "send", "sim", "Say hello on a terminal"].map((a) => `'${a}'`).join(" ");
    const child = spawn("script", ["-q", "-e", "-c", cmd, "/dev/null"], { env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code, out).toBe(0);
    out = out.replace(/\r/g, "");
    const turn = await bridge.services.db.turn.findFirstOrThrow({ where: { prompt: "Say hello on a terminal" } });
    const result = await bridge.services.turns.result(turn.id);
    expect(out.startsWith(result.response!)).toBe(true);
    expect(out).toMatch(new RegExp(`\\d+ in / \\d+ out · \\$\\d+\\.\\d{4}.* · tab ${result.sessionId}\n$`));
  });

  it("Ctrl-C while waiting stops the turn (exit 130, success false)", async () => {
    process.env.MAESTRO_SIM_FAULT = "slow";
    process.env.MAESTRO_SIM_DELAY_MS = "400";
    try {
      const child = spawn(process.execPath, [BIN, "--data-dir", bridge.home, "--verbose", "send", "sim", "Count slowly", "--json"], {
        env: { ...process.env, MAESTRO_HOME: "" },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      // Interrupt once the CLI says the turn started: it is following it from that moment on.
      const following = new Promise<void>((resolve) =>
        child.stderr.on("data", (c: Buffer) => {
          stderr += c.toString();
          if (/turn \S+ started in tab/.test(stderr)) resolve();
        }),
      );
      const closed = new Promise((resolve) => child.on("close", resolve));
      await following;
      child.kill("SIGINT");
      expect(await closed, stderr).toBe(130);
      expect(stderr).toContain("stopping the turn");
      const out = json(stdout);
      expect(out).toMatchObject({ success: false, response: null });
      const turn = await bridge.services.db.turn.findUniqueOrThrow({ where: { id: out.turnId } });
      expect(turn.status).toBe("stopped");
    } finally {
      delete process.env.MAESTRO_SIM_FAULT;
      delete process.env.MAESTRO_SIM_DELAY_MS;
    }
  });

  it("--no-wait returns once the turn has started, with response null", async () => {
    const r = await bridge.cli(["send", "other", "Take your time", "--no-wait", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = json(r.stdout);
    expect(out).toMatchObject({ agentId: other.id, response: null, success: true, usage: null, providerSessionId: null });
    const stored = await bridge.services.db.turn.findUniqueOrThrow({ where: { id: out.turnId } });
    expect(stored.tabId).toBe(out.sessionId);
    expect((await bridge.services.turns.result(out.turnId)).success).toBe(true);
  });

  it("--read-only runs the turn in the provider's plan mode: the write is refused", async () => {
    const r = await bridge.cli(["send", "sim", "--read-only", "write a file named ro.txt containing hi", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(project, "ro.txt"))).toBe(false);
    const w = await bridge.cli(["send", "sim", "write a file named rw.txt containing hi", "--json"]);
    expect(w.code, w.stderr).toBe(0);
    expect(fs.existsSync(path.join(project, "rw.txt"))).toBe(true);
  });

  it("an unknown agent is exit 4 (desktop's AGENT_NOT_FOUND with --json); an unknown tab too", async () => {
    const r = await bridge.cli(["send", "ghost", "hi"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('maestro: no agent "ghost". `maestro list agents` shows them.\n');
    const j = await bridge.cli(["send", "ghost", "hi", "--json"]);
    expect(j.code).toBe(4);
    expect(json(j.stdout)).toMatchObject({ success: false, code: "AGENT_NOT_FOUND" });
    const t = await bridge.cli(["send", "sim", "hi", "--tab", "no-such-tab"]);
    expect(t.code).toBe(4);
    expect(t.stderr).toMatch(/^maestro: Sim has no tab "no-such-tab"/);
  });

  it("--tab with --new-tab, or an empty message, is a usage error (exit 2) and starts nothing", async () => {
    const before = await bridge.services.db.turn.count();
    expect((await bridge.cli(["send", "sim", "hi", "--tab", "x", "--new-tab"])).code).toBe(2);
    expect((await bridge.cli(["send", "sim", "  "])).code).toBe(2);
    expect((await bridge.cli(["send", "sim"])).code).toBe(2);
    expect(await bridge.services.db.turn.count()).toBe(before);
  });

  it("a failed turn is exit 1 with success false and the error", async () => {
    // The simulator is the bridge's child: the fault goes in the bridge's environment.
    process.env.MAESTRO_SIM_FAULT = "crash";
    try {
      const f = await bridge.cli(["send", "sim", "hello", "--json"]);
      expect(f.code).toBe(1);
      expect(json(f.stdout)).toMatchObject({ success: false, response: null });
      expect(json(f.stdout).error).toMatch(/crashed/);
    } finally {
      delete process.env.MAESTRO_SIM_FAULT;
    }
  });
});

describe("maestro session", () => {
  it("session list -a shows the agent's tabs with provider session, turns and state", async () => {
    const r = await bridge.cli(["session", "list", "-a", "sim", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const tabs = json(r.stdout);
    const stored = await bridge.services.tabs.list(sim.id);
    expect(tabs.map((t: { tabId: string }) => t.tabId)).toEqual(stored.map((t) => t.id));
    const hello = tabs.find((t: { name: string }) => t.name === "CLI: Say hello");
    expect(hello).toMatchObject({ agentId: sim.id, agentName: "Sim", turns: 2, state: "idle" });
    expect(hello.providerSessionId).toBeTruthy();
    const text = await bridge.cli(["session", "list", "-a", "sim"]);
    expect(text.stdout.split("\n")[0]).toMatch(/^TAB\s+AGENT\s+TITLE\s+PROVIDER SESSION\s+TURNS\s+STATE\s+LAST ACTIVITY$/);
  });

  it("session show prints the conversation in order; --tail and --since narrow it", async () => {
    const tabId = (await bridge.services.db.tab.findFirstOrThrow({ where: { name: "CLI: Say hello" } })).id;
    const r = await bridge.cli(["session", "show", tabId, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const messages = json(r.stdout);
    const said = messages.filter((m: { role: string }) => m.role === "user" || m.role === "assistant");
    expect(said.map((m: { role: string }) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(said[0].content).toBe("Say hello");
    expect(said[2].content).toBe("Again please");
    for (const m of messages) expect(Object.keys(m)).toEqual(expect.arrayContaining(["id", "role", "source", "content", "timestamp"]));
    const last = json((await bridge.cli(["session", "show", tabId, "--tail", "1", "--json"])).stdout);
    expect(last).toEqual([messages.at(-1)]);
    expect(json((await bridge.cli(["session", "show", tabId, "--since", "2999-01-01T00:00:00Z", "--json"])).stdout)).toEqual([]);
    const prefix = await bridge.cli(["session", "show", tabId.slice(0, 10)]);
    expect(prefix.code, prefix.stderr).toBe(0);
    expect(prefix.stdout).toContain("you: Say hello");
    const missing = await bridge.cli(["session", "show", "nope-nope"]);
    expect(missing.code).toBe(4);
  });

  it("list sessions shows the provider sessions, with the tab holding each", async () => {
    const r = await bridge.cli(["list", "sessions", "-a", "sim", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const sessions = json(r.stdout);
    const tabs = await bridge.services.tabs.list(sim.id);
    const held = tabs.filter((t) => t.providerSessionId).map((t) => t.providerSessionId);
    expect(held.length).toBeGreaterThan(0);
    for (const s of held) expect(sessions.map((x: { sessionId: string }) => x.sessionId)).toContain(s);
    expect(sessions.every((s: { agentId: string }) => s.agentId === sim.id)).toBe(true);
    const searched = json((await bridge.cli(["list", "sessions", "-a", "sim", "--search", "Again please", "--json"])).stdout);
    const tab = await bridge.services.db.tab.findFirstOrThrow({ where: { name: "CLI: Say hello" } });
    expect(searched.map((x: { sessionId: string }) => x.sessionId)).toEqual([tab.providerSessionId]);
  });
});

describe("maestro history", () => {
  it("has the bridge's kinds", () => {
    expect(CLI_KINDS).toEqual([...HISTORY_KINDS]);
  });

  it("--agent, --kind and --since filter the timeline", async () => {
    const old = await bridge.services.db.historyEntry.create({
      data: {
        kind: "autorun-task",
        agentId: other.id,
        agentName: other.name,
        summary: "an old task",
        createdAt: new Date(Date.now() - 3 * 86_400_000),
      },
    });
    const all = json((await bridge.cli(["history", "--json"])).stdout);
    expect(all.length).toBeGreaterThan(3);
    const turns = json((await bridge.cli(["history", "--kind", "turn", "--json"])).stdout);
    expect(turns.length).toBe(all.length - 1);
    expect(turns.every((e: { kind: string; type: string }) => e.kind === "turn" && e.type === "turn")).toBe(true);
    const simOnly = json((await bridge.cli(["history", "--agent", "SIM", "--json"])).stdout);
    expect(simOnly.length).toBeGreaterThan(0);
    expect(simOnly.every((e: { agentId: string }) => e.agentId === sim.id)).toBe(true);
    const tasks = json((await bridge.cli(["history", "--kind", "autorun-task", "--json"])).stdout);
    expect(tasks.map((e: { id: string }) => e.id)).toEqual([old.id]);
    const recent = json((await bridge.cli(["history", "--since", "2d", "--json"])).stdout);
    expect(recent.map((e: { id: string }) => e.id)).not.toContain(old.id);
    expect(recent.length).toBe(all.length - 1);
    const iso = new Date(Date.now() - 4 * 86_400_000).toISOString();
    expect(json((await bridge.cli(["history", "--since", iso, "--json"])).stdout).map((e: { id: string }) => e.id)).toContain(old.id);
    expect(json((await bridge.cli(["history", "--limit", "2", "--json"])).stdout)).toHaveLength(2);
    const text = await bridge.cli(["history", "--kind", "autorun-task"]);
    expect(text.stdout).toMatch(/autorun-task\s+other\s+✓\s+-\s+an old task/);
  });

  it("a bad --kind or --since is a usage error (exit 2)", async () => {
    const k = await bridge.cli(["history", "--kind", "bogus"]);
    expect(k.code).toBe(2);
    expect(k.stderr).toMatch(/--kind "bogus" is not one of turn, autorun-task/);
    const s = await bridge.cli(["history", "--since", "yesterday-ish"]);
    expect(s.code).toBe(2);
  });
});

describe("the start path of these commands (as cli/load-guard.test.ts holds it for list)", () => {
  const FORBIDDEN = /\/(server|generated)\/|\/node_modules\/(tsx|@prisma|prisma|next|zod|@trpc|superjson)\//;
  it.each([
    ["send", ["send", "sim", "hi", "--json"], "/cli/commands/send.mjs"],
    ["history", ["history", "--since", "1h", "--json"], "/cli/commands/history.mjs"],
    ["session list", ["session", "list", "--json"], "/cli/commands/session.mjs"],
  ])("%s loads cli/ and commander, never the server, Prisma, tsx, zod or tRPC", async (_name, args, module) => {
    const file = path.join(project, `loads-${args[0]}.txt`);
    const r = await maestro(["--data-dir", bridge.home, ...args], { RECORD_LOADS: file }, [
      "--import",
      path.join(import.meta.dirname, "testing", "record-loads.mjs"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const modules = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
    expect(modules.some((m) => m.endsWith(module))).toBe(true);
    expect(modules.filter((m) => FORBIDDEN.test(m))).toEqual([]);
  });
});
