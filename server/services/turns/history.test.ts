import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { createTestServices, tempDir } from "../../testing/harness";

let services: ReturnType<typeof createTestServices>;
let project: string;
const simHome = tempDir("maestro-simhome-");

beforeAll(() => {
  process.env.MAESTRO_SIM_HOME = simHome;
  services = createTestServices({ turns: { idleTimeoutMs: 5000, stopGraceMs: 300 } });
  project = tempDir("maestro-history-project-");
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(simHome, { recursive: true, force: true });
  delete process.env.MAESTRO_SIM_FAULT;
});

async function newTab() {
  const agent = await services.agents.create({
    name: `hist ${Math.random().toString(36).slice(2, 8)}`,
    folder: project,
    provider: "simulator",
  });
  const [tab] = await services.tabs.list(agent.id);
  return { agent, tab: tab! };
}

async function turn(tabId: string, prompt: string, options: { fault?: string; origin?: "user" | "autorun" | "mission" } = {}) {
  if (options.fault) process.env.MAESTRO_SIM_FAULT = options.fault;
  else delete process.env.MAESTRO_SIM_FAULT;
  const { turnId } = await services.turns.send({ tabId, prompt, origin: options.origin });
  await services.turns.settled(tabId);
  return services.db.turn.findUniqueOrThrow({ where: { id: turnId } });
}

const entriesOf = (agentId: string) => services.db.historyEntry.findMany({ where: { agentId }, orderBy: { createdAt: "asc" } });

describe("every user turn is recorded in History", () => {
  test("a simulator turn gives one entry with the reply's first paragraph, its numbers and a session link", async () => {
    const { agent, tab } = await newTab();
    const changed: (string | null)[] = [];
    const off = services.bus.subscribe("history.changed", (e) => changed.push(e.agentId));
    const t = await turn(tab.id, "Say hello to the team");
    off();
    expect(t.status).toBe("done");
    const entries = await entriesOf(agent.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      kind: "turn",
      agentId: agent.id,
      agentName: agent.name,
      tabId: tab.id,
      turnId: t.id,
      success: true,
      // The simulator's reply opens with a one-paragraph summary, then "Prompt: …" further down.
      summary: "Answered without changing any file in the folder. This is turn 1 of this session.",
      detail: "Say hello to the team",
      durationMs: t.durationMs,
      inputTokens: t.inputTokens,
      outputTokens: t.outputTokens,
      costUsd: t.costUsd,
    });
    expect(t.outputTokens).toBeGreaterThan(0);
    expect(changed).toContain(agent.id);
  });

  test("a failed turn is recorded as failed, with the error in its detail", async () => {
    const { agent, tab } = await newTab();
    const t = await turn(tab.id, "Break please", { fault: "auth" });
    expect(t.status).toBe("error");
    const [entry] = await entriesOf(agent.id);
    expect(entry).toMatchObject({ kind: "turn", success: false, turnId: t.id });
    expect(entry!.detail).toContain("Break please");
    expect(entry!.detail).toContain(`Error: ${t.errorMessage}`);
    expect(entry!.summary.length).toBeGreaterThan(0);
  });

  test("turns started by Auto Run or a mission are not recorded as user turns", async () => {
    for (const origin of ["autorun", "mission"] as const) {
      const { agent, tab } = await newTab();
      const t = await turn(tab.id, "A task", { origin });
      expect(t.status).toBe("done");
      expect(await entriesOf(agent.id)).toEqual([]);
    }
  });

  test("a turn whose History write fails still finishes normally", async () => {
    const { agent, tab } = await newTab();
    const spy = vi.spyOn(services.history, "record").mockRejectedValueOnce(new Error("disk full"));
    const logged = vi.spyOn(services.logger, "error");
    try {
      const t = await turn(tab.id, "Still fine?");
      expect(spy).toHaveBeenCalledOnce();
      expect(t.status).toBe("done");
      expect(services.turns.isBusy(tab.id)).toBe(false);
      expect((await services.agents.byId(agent.id)).status).toBe("idle");
      expect(await entriesOf(agent.id)).toEqual([]);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining("could not record History: disk full"));
    } finally {
      spy.mockRestore();
      logged.mockRestore();
    }
    // The next turn records again.
    await turn(tab.id, "And now?");
    expect(await entriesOf(agent.id)).toHaveLength(1);
  });
});
