import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestServices, tempDir } from "../../testing/harness";
import { MAESTRO_CLI } from "./invocation";

/**
 * Agents can call `maestro`: every provider CLI a turn starts gets MAESTRO_HOME (this data dir),
 * MAESTRO_AGENT_ID and MAESTRO_CLI. Read from the real simulator child's /proc/<pid>/environ
 * while it runs (slowed down so it is still there).
 */
let services: ReturnType<typeof createTestServices>;
let project: string;
const simHome = tempDir("maestro-simhome-");

beforeAll(() => {
  process.env.MAESTRO_SIM_HOME = simHome;
  process.env.MAESTRO_SIM_FAULT = "slow";
  process.env.MAESTRO_SIM_DELAY_MS = "200";
  services = createTestServices({ turns: { idleTimeoutMs: 10_000, stopGraceMs: 300 } });
  project = tempDir("maestro-env-project-");
});
afterAll(async () => {
  delete process.env.MAESTRO_SIM_FAULT;
  delete process.env.MAESTRO_SIM_DELAY_MS;
  await services.cleanup();
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(simHome, { recursive: true, force: true });
});

/** The env of the live process whose env names this agent, and its command line. */
function childOf(agentId: string): { env: Map<string, string>; cmdline: string[] } | null {
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const raw = fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      if (!raw.includes(`MAESTRO_AGENT_ID=${agentId}`)) continue;
      const env = new Map(raw.filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
      return { env, cmdline: fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0") };
    } catch {
      /* gone, or not ours */
    }
  }
  return null;
}

async function runWhileWatching(settings: Record<string, unknown>) {
  const agent = await services.agents.create({ name: `env-${Math.random()}`, folder: project, provider: "simulator" });
  await services.db.agent.update({ where: { id: agent.id }, data: { settingsJson: JSON.stringify(settings) } });
  const [tab] = await services.tabs.list(agent.id);
  await services.turns.send({ tabId: tab!.id, prompt: "Say hello" });
  let seen: ReturnType<typeof childOf> = null;
  await expect.poll(() => (seen = childOf(agent.id)), { timeout: 10_000, interval: 20 }).not.toBeNull();
  await services.turns.settled(tab!.id);
  return { agent, child: seen! };
}

test("a turn's provider CLI gets MAESTRO_HOME, MAESTRO_AGENT_ID and MAESTRO_CLI, and that CLI runs", async () => {
  const { agent, child } = await runWhileWatching({});
  expect(child.cmdline.some((a) => a.endsWith("/bin/maestro-sim.mjs"))).toBe(true);
  expect(child.env.get("MAESTRO_HOME")).toBe(services.dataDir);
  expect(child.env.get("MAESTRO_AGENT_ID")).toBe(agent.id);
  expect(child.env.get("MAESTRO_CLI")).toBe(MAESTRO_CLI);
  const pkg = JSON.parse(fs.readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
  expect(execFileSync(process.execPath, [child.env.get("MAESTRO_CLI")!, "--version"], { encoding: "utf8" })).toBe(`${pkg.version}\n`);
});

test("the agent's own env settings win over them", async () => {
  const { child } = await runWhileWatching({ env: { MAESTRO_HOME: "/srv/other-maestro" } });
  expect(child.env.get("MAESTRO_HOME")).toBe("/srv/other-maestro");
});
