import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lockFile } from "../server/data-lock";
import { liveMaestro, makeAgent, parseLines, processesIn, THREE, tmp } from "./testing/autorun-fixtures";
import { maestro } from "./testing/fake-bridge";

/**
 * The CI recipe with nothing but the CLI: a fresh data dir, no bridge, every step headless
 * (create-agent, send, run-doc, list, history), the lock gone after each command.
 */
const simHome = tmp("maestro-cli-hl-sim-");
const home = tmp("maestro-cli-hl-");
const project = fs.realpathSync(tmp("maestro-cli-hl-project-"));
const run = (args: string[]) => maestro(["--data-dir", home, ...args], { MAESTRO_SIM_HOME: simHome, NO_COLOR: "1" });

afterAll(() => {
  for (const d of [simHome, home, project]) fs.rmSync(d, { recursive: true, force: true });
});

describe("headless from a fresh data dir", () => {
  it("create-agent, send (text + usage), run-doc --json, list and history: all without a bridge", async () => {
    const made = await run(["create-agent", "ci", "--path", project, "--provider", "simulator", "--json"]);
    expect(made.code, made.stderr).toBe(0);
    const agent = JSON.parse(made.stdout);
    expect(agent).toMatchObject({ name: "ci", provider: "simulator", folder: project });
    expect(fs.existsSync(lockFile(home))).toBe(false);

    const sent = await run(["send", "ci", "say hello", "--json"]);
    expect(sent.code, sent.stderr).toBe(0);
    const reply = JSON.parse(sent.stdout);
    expect(reply).toMatchObject({ agentId: agent.agentId, agentName: "ci", success: true });
    expect(reply.response).toContain('Prompt: "say hello"');
    expect(reply.usage.outputTokens).toBeGreaterThan(0);
    expect(reply.usage.totalCostUsd).toBeGreaterThan(0);
    // The tab round-trips: a second send continues the same provider session.
    const again = await run(["send", "ci", "and again", "--tab", reply.sessionId, "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ sessionId: reply.sessionId, providerSessionId: reply.providerSessionId });

    const folder = path.join(project, ".maestro", "playbooks");
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "plan.md"), THREE);
    const ran = await run(["run-doc", "plan.md", "-a", "ci", "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    const lines = parseLines(ran.stdout);
    expect(lines[0]?.type).toBe("start");
    expect(lines.at(-1)).toMatchObject({ type: "complete", success: true, totalTasksCompleted: 3 });

    const listed = await run(["list", "agents", "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: agent.agentId, name: "ci" })]);
    const history = await run(["history", "--agent", "ci", "--kind", "turn", "--json"]);
    expect(history.code, history.stderr).toBe(0);
    expect(JSON.parse(history.stdout)).toHaveLength(2);

    // Bridge-only commands say how to start it (exit 3).
    const tunnel = await run(["tunnel", "status"]);
    expect(tunnel.code).toBe(3);
    expect(tunnel.stderr).toMatch(/Maestro is not running for .*Start it with `npm start`/);
    expect(fs.existsSync(lockFile(home))).toBe(false);
    expect(processesIn(project)).toEqual([]);
  }, 90_000);

  it("send --no-wait is refused headless before any turn starts (the turn would end with the command)", async () => {
    const r = await run(["send", "ci", "later", "--no-wait", "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ success: false, code: "NEEDS_BRIDGE" });
    const history = JSON.parse((await run(["history", "--agent", "ci", "--kind", "turn", "--json"])).stdout);
    expect(history).toHaveLength(2); // the two sends of the test above, nothing more
  }, 60_000);

  it("a rate limit headless: the stream goes on past paused (the process stays up)", async () => {
    const rl = tmp("maestro-cli-hl-rl-");
    const made = await makeAgent(rl, "rl", { "plan.md": THREE }, { MAESTRO_SIM_FAULT: "ratelimit", MAESTRO_SIM_RESET_SEC: "1" });
    try {
      const live = liveMaestro(["--data-dir", rl, "run-doc", "plan.md", "-a", "rl", "--json"], { MAESTRO_SIM_HOME: simHome });
      // The limit never lifts here (the fault is in the agent's settings): paused, resumed by
      // itself a second later, paused again; without a live handle node would have quit at the
      // first pause with an unsettled await (exit 13).
      await live.until((l) => l.includes('"type":"resumed"'), 30_000);
      await live.until(() => parseLines(live.lines.join("\n")).filter((x) => x.type === "paused").length >= 2, 30_000);
      live.child.kill("SIGINT");
      expect(await live.exited).toBe(130);
      const [paused] = JSON.parse((await maestro(["--data-dir", rl, "list", "runs", "--json"], { MAESTRO_SIM_HOME: simHome })).stdout);
      expect(paused).toMatchObject({ status: "paused" });
      expect(fs.existsSync(lockFile(rl))).toBe(false);
      expect(processesIn(made.project)).toEqual([]);
    } finally {
      fs.rmSync(rl, { recursive: true, force: true });
      fs.rmSync(made.project, { recursive: true, force: true });
    }
  }, 90_000);
});
