import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lockFile } from "../server/data-lock";
import { parseLines, processesIn, THREE, tmp } from "./testing/autorun-fixtures";
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
});
