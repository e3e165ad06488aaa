/**
 * What every conformance suite shares: find (or install) the pinned CLI, skip loudly when it is
 * missing, and run real turns through the production turn runner (createTestServices →
 * services.turns.send) with the CLI pointed at a scripted local model server through the agent
 * settings' `env`, exactly as a user's agent would run.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, test } from "vitest";
import { agentSettingsSchema, type AgentSettings } from "../lib/schemas/agent-settings";
import type { StoredEvent } from "../server/services/turns/event-writer";
import { createTestServices } from "../server/testing/harness";
import type { RecordedRequest, ScriptedServer } from "./servers/common";
import { ensureTool, type CliId } from "./tools";

/** A turn gets this long without output before the runner's watchdog kills the CLI. */
export const IDLE_TIMEOUT_MS = 90_000;
/** Per test: a CLI start-up plus a few model round trips, with a wide margin. */
export const TEST_TIMEOUT_MS = 180_000;

/**
 * `describe` for one CLI's suite: when the pinned CLI is not installed (and cannot be), prints
 * a loud `SKIPPED: <cli> conformance — <reason>` line and registers a skipped test carrying the
 * reason, so the run reports it instead of passing silently.
 */
export function describeCli(id: CliId, body: (binary: string) => void) {
  const tool = ensureTool(id);
  if (!tool.ok) {
    const line = `SKIPPED: ${id} conformance — ${tool.reason}`;
    const bar = "!".repeat(Math.min(line.length, 120));
    console.error(`\n${bar}\n${line}\n${bar}\n`);
    describe(`${id} conformance`, () => {
      test.skip(line, () => {});
    });
    return;
  }
  describe(`${id} conformance (${tool.pkg}@${tool.version})`, () => body(tool.path));
}

export interface TurnResult {
  turn: {
    id: string;
    status: string;
    errorKind: string | null;
    errorMessage: string | null;
    inputTokens: number;
    outputTokens: number;
    costUsd: number;
  };
  /** The turn's stored events as the UI receives them: `{type, ...data}`. */
  events: Record<string, unknown>[];
  stored: StoredEvent[];
  /** The model-server requests made during this turn. */
  requests: RecordedRequest[];
  ms: number;
}

export interface World {
  root: string;
  /** The throwaway HOME of this suite (the CLI's config and session store live under it). */
  home: string;
  /** The agent's project folder (real path). */
  project: string;
  services: ReturnType<typeof createTestServices>;
  server: ScriptedServer;
  /** An agent of this provider on the project folder, with these settings; its first tab. */
  newTab(settings: AgentSettings): Promise<{ agentId: string; tabId: string }>;
  runTurn(tabId: string, prompt: string): Promise<TurnResult>;
  /** Starts a turn without waiting (to answer its approvals); `finish` waits and reads it as runTurn does. */
  startTurn(tabId: string, prompt: string): Promise<{ turnId: string; finish(): Promise<TurnResult> }>;
}

/**
 * Sets up a suite: temp HOME + project, the scripted server, the service graph with a generous
 * watchdog. Everything is torn down after the suite. Fields are filled in beforeAll.
 */
export function useWorld(id: CliId, startServer: () => Promise<ScriptedServer>, prepareHome?: (w: World) => void): World {
  const w = {} as World;
  beforeAll(async () => {
    w.root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `maestro-conformance-${id}-`)));
    w.home = path.join(w.root, "home");
    w.project = path.join(w.root, "project");
    fs.mkdirSync(w.home, { recursive: true });
    fs.mkdirSync(w.project, { recursive: true });
    w.server = await startServer();
    w.services = createTestServices({ turns: { idleTimeoutMs: IDLE_TIMEOUT_MS, stopGraceMs: 1000 } });
    w.newTab = async (settings) => {
      const parsed = agentSettingsSchema.parse(settings);
      const agent = await w.services.agents.create({
        name: `${id}-${Math.random().toString(36).slice(2, 8)}`,
        folder: w.project,
        provider: id,
      });
      await w.services.db.agent.update({ where: { id: agent.id }, data: { settingsJson: JSON.stringify(parsed) } });
      const [tab] = await w.services.tabs.list(agent.id);
      return { agentId: agent.id, tabId: tab!.id };
    };
    w.runTurn = async (tabId, prompt) => (await w.startTurn(tabId, prompt)).finish();
    w.startTurn = async (tabId, prompt) => {
      const before = w.server.requests.length;
      const t0 = Date.now();
      const { turnId } = await w.services.turns.send({ tabId, prompt });
      return { turnId, finish: () => finishTurn(tabId, turnId, prompt, before, t0) };
    };
    const finishTurn = async (tabId: string, turnId: string, prompt: string, before: number, t0: number): Promise<TurnResult> => {
      await w.services.turns.settled(tabId);
      const ms = Date.now() - t0;
      const stored = (await w.services.turns.eventsAfter(tabId, 0)).filter((e) => e.turnId === turnId);
      const turn = await w.services.db.turn.findUniqueOrThrow({ where: { id: turnId } });
      const result: TurnResult = {
        turn,
        stored,
        events: stored.map((e) => ({ type: e.type, ...e.data })),
        requests: w.server.requests.slice(before),
        ms,
      };
      console.log(`${id}: turn "${prompt.slice(0, 40)}" → ${turn.status} in ${ms} ms, ${result.requests.length} model request(s)`);
      return result;
    };
    prepareHome?.(w);
  });
  // A test that failed mid-turn may leave steps behind: the next test starts from a clean script.
  beforeEach(() => {
    w.server?.clearScript();
  });
  afterAll(async () => {
    await w.services?.cleanup();
    await w.server?.close();
    if (w.root && !process.env.MAESTRO_CONFORMANCE_KEEP) fs.rmSync(w.root, { recursive: true, force: true });
  });
  return w;
}

/** XDG dirs inside the throwaway HOME, so no CLI reads or writes the real user's. */
export function xdgEnv(home: string): Record<string, string> {
  return {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_DATA_HOME: path.join(home, ".local", "share"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    XDG_STATE_HOME: path.join(home, ".local", "state"),
    NO_COLOR: "1",
  };
}

/** A readable dump of a turn for failure messages. */
export function describeTurn(r: TurnResult): string {
  return `status=${r.turn.status} error=${r.turn.errorKind ?? ""} ${r.turn.errorMessage ?? ""}\nevents:\n${r.events.map((e) => `  ${JSON.stringify(e).slice(0, 400)}`).join("\n")}`;
}
