import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockFile } from "../server/data-lock";
import { maestro } from "./testing/fake-bridge";
import { liveMaestro, makeAgent, parseLines, startRealBridge, THREE, tmp } from "./testing/autorun-fixtures";

/**
 * The waits of `maestro run-doc` against a real bridge: a rate limit that lifts by itself (the
 * stream goes on), an agent busy with another run (--wait), and a bridge that holds the data dir
 * but is still starting (the CLI waits for it instead of going headless beside it).
 */
const simHome = tmp("maestro-cli-sim-");
const dirs: string[] = [simHome];
const env = { MAESTRO_SIM_HOME: simHome, NO_COLOR: "1" };

beforeAll(() => {
  process.env.MAESTRO_SIM_HOME = simHome;
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("run-doc waits", () => {
  let home: string;
  let bridge: Awaited<ReturnType<typeof startRealBridge>>;
  let made: Awaited<ReturnType<typeof makeAgent>>;

  beforeAll(async () => {
    home = tmp("maestro-cli-wait-");
    dirs.push(home);
    made = await makeAgent(home, "waiter", { "plan.md": THREE, "slow.md": "- [ ] wait\n" });
    dirs.push(made.project);
    bridge = await startRealBridge(home);
  }, 60_000);
  afterAll(async () => {
    await bridge.close();
  });

  it("a rate limit with a known end: a paused line, resumed, and the run goes on to complete (exit 0)", async () => {
    await bridge.services.agents.updateSettings(made.agent.id, { env: { MAESTRO_SIM_FAULT: "ratelimit", MAESTRO_SIM_RESET_SEC: "1" } });
    const live = liveMaestro(["--data-dir", home, "run-doc", "plan.md", "-a", "waiter", "--json"], env);
    await live.until((l) => l.includes('"type":"paused"'));
    // The limit lifts: the turns after the automatic resume run without the fault.
    await bridge.services.agents.updateSettings(made.agent.id, { env: {} });
    expect(await live.exited).toBe(0);
    const lines = parseLines(live.lines.join("\n"));
    const types = lines.map((l) => l.type);
    expect(types.slice(0, 5)).toEqual(["start", "document_start", "task_start", "task_complete", "paused"]);
    expect(types.slice(5, 6)).toEqual(["resumed"]);
    expect(types.at(-1)).toBe("complete");
    expect(lines[4]).toMatchObject({ pauseKind: "rate_limit", document: "plan" });
    expect(typeof lines[4]!.resumeAt).toBe("number");
    expect(lines.at(-1)).toMatchObject({ success: true, totalTasksCompleted: 3 });
  }, 60_000);

  it("--wait on a busy agent: wait_complete once the other run ends, then the whole run", async () => {
    fs.writeFileSync(`${made.folder}/plan.md`, THREE);
    await bridge.services.agents.updateSettings(made.agent.id, { env: { MAESTRO_SIM_FAULT: "hang" } });
    const busy = await bridge.services.autorun.start({ agentId: made.agent.id, config: { documents: [{ filename: "slow.md" }] } });
    const live = liveMaestro(["--data-dir", home, "run-doc", "plan.md", "-a", "waiter", "--json", "--wait"], env);
    await new Promise((r) => setTimeout(r, 2500));
    expect(live.lines).toEqual([]);
    await bridge.services.agents.updateSettings(made.agent.id, { env: {} });
    await bridge.services.autorun.abort(busy.id);
    expect(await live.exited).toBe(0);
    const lines = parseLines(live.lines.join("\n"));
    expect(lines[0]).toMatchObject({ type: "wait_complete" });
    expect(lines[0]!.waitDurationMs).toBeGreaterThanOrEqual(2000);
    expect(lines.slice(1).map((l) => l.type)).toEqual([
      "start",
      "document_start",
      "task_start",
      "task_complete",
      "task_start",
      "task_complete",
      "task_start",
      "task_complete",
      "document_complete",
      "complete",
    ]);
  }, 60_000);
});

it("a bridge that holds the data dir but has not answered yet is waited for, never run beside", async () => {
  const home = tmp("maestro-cli-starting-");
  dirs.push(home);
  const made = await makeAgent(home, "early", { "plan.md": THREE });
  dirs.push(made.project);
  // The bridge's lock, as server/main.ts takes it before migrations; bridge.json comes once it listens.
  fs.writeFileSync(lockFile(home), JSON.stringify({ pid: process.pid, kind: "bridge", startedAt: new Date().toISOString(), nonce: "n" }));
  const cli = maestro(["--data-dir", home, "list", "runs", "--json", "--verbose"], env);
  await new Promise((r) => setTimeout(r, 1500));
  const bridge = await startRealBridge(home, { lock: false });
  try {
    const r = await cli;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.stderr).toMatch(/is up at http:\/\/127\.0\.0\.1:\d+/);
  } finally {
    await bridge.close();
  }
}, 60_000);
