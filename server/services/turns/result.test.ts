import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestServices, tempDir } from "../../testing/harness";

/**
 * `turns.result` (what `maestro send` prints) read back from the database after a real
 * simulator turn, and `readOnly` on a single send (the provider's plan / read-only mode).
 */
let services: ReturnType<typeof createTestServices>;
let project: string;
const simHome = tempDir("maestro-simhome-");

beforeAll(() => {
  process.env.MAESTRO_SIM_HOME = simHome;
  services = createTestServices({ turns: { idleTimeoutMs: 5000, stopGraceMs: 300 } });
  project = tempDir("maestro-result-project-");
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(simHome, { recursive: true, force: true });
  delete process.env.MAESTRO_SIM_FAULT;
});

async function newTab(dialect: string) {
  const agent = await services.agents.create({ name: `r-${dialect}`, folder: project, provider: "simulator" });
  await services.agents.updateSettings(agent.id, { simulatorDialect: dialect as "claude" });
  const [tab] = await services.tabs.list(agent.id);
  return { agent, tab: tab! };
}

describe("turns.result", () => {
  test.each(["claude", "codex"])("a finished %s-dialect turn: reply, usage and both session ids", async (dialect) => {
    const { agent, tab } = await newTab(dialect);
    delete process.env.MAESTRO_SIM_FAULT;
    const { turnId } = await services.turns.send({ tabId: tab.id, prompt: "Say hello" });
    // Asked while the turn still runs: it waits for the stored end instead of answering early.
    const r = await services.turns.result(turnId);
    const turn = await services.db.turn.findUniqueOrThrow({ where: { id: turnId } });
    const stored = await services.tabs.byId(tab.id);
    expect(r).toMatchObject({ agentId: agent.id, agentName: agent.name, sessionId: tab.id, turnId, success: true });
    expect(r.providerSessionId).toBe(stored.providerSessionId);
    expect(r.providerSessionId).toBeTruthy();
    expect(r.response && r.response.length).toBeGreaterThan(0);
    expect(r.error).toBeUndefined();
    expect(r.usage).not.toBeNull();
    expect(r.usage!.inputTokens).toBe(turn.inputTokens);
    expect(r.usage!.outputTokens).toBe(turn.outputTokens);
    expect(r.usage!.totalCostUsd).toBeCloseTo(turn.costUsd, 10);
    expect(r.usage!.contextWindow).toBeGreaterThan(0);
    expect(Object.keys(r.usage!).sort()).toEqual(
      [
        "cacheCreationInputTokens",
        "cacheReadInputTokens",
        "contextUsagePercent",
        "contextWindow",
        "inputTokens",
        "outputTokens",
        "totalCostUsd",
      ].sort(),
    );
  });

  test("a failed turn: success false, the error, no response", async () => {
    const { tab } = await newTab("claude");
    process.env.MAESTRO_SIM_FAULT = "crash";
    const { turnId } = await services.turns.send({ tabId: tab.id, prompt: "hello" });
    const r = await services.turns.result(turnId);
    delete process.env.MAESTRO_SIM_FAULT;
    expect(r.success).toBe(false);
    expect(r.response).toBeNull();
    expect(r.error).toMatch(/crashed/);
  });

  test("an unknown turn is NOT_FOUND", async () => {
    await expect(services.turns.result("no-such-turn")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("readOnly on one send", () => {
  test.each(["claude", "codex", "opencode", "gemini"])("%s dialect: the write is refused, the next plain send writes", async (dialect) => {
    const { tab } = await newTab(dialect);
    const file = path.join(project, `ro-${dialect}.txt`);
    const prompt = `write a file named ro-${dialect}.txt containing hi`;
    await services.turns.result((await services.turns.send({ tabId: tab.id, prompt, readOnly: true })).turnId);
    expect(fs.existsSync(file)).toBe(false);
    await services.turns.result((await services.turns.send({ tabId: tab.id, prompt })).turnId);
    expect(fs.readFileSync(file, "utf8")).toContain("hi");
  });
});
