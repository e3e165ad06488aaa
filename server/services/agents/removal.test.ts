import fs from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestServices, tempDir } from "../../testing/harness";

let services: ReturnType<typeof createTestServices>;
const project = tempDir("maestro-removal-");

beforeAll(() => {
  services = createTestServices();
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(project, { recursive: true, force: true });
});

async function agentWithPlaybook(name: string) {
  const agent = await services.agents.create({ name, folder: project });
  await services.playbooks.create({ agentId: agent.id, name: "nightly", config: { documents: [{ filename: "plan.md" }] } });
  const [tab] = await services.tabs.list(agent.id);
  await services.db.approval.create({
    data: { turnId: "t1", tabId: tab!.id, agentId: agent.id, provider: "claude", requestId: "r1", toolName: "Bash", expiresAt: new Date() },
  });
  return agent;
}

test("removing an agent takes its tabs and playbooks with it, and says so after the commit", async () => {
  const agent = await agentWithPlaybook("gone");
  const seen: (string | null)[] = [];
  const off = services.bus.subscribe("agents.changed", (e) => seen.push(e.agentId));
  await services.agents.remove(agent.id);
  off();
  expect(await services.db.agent.count({ where: { id: agent.id } })).toBe(0);
  expect(await services.db.tab.count({ where: { agentId: agent.id } })).toBe(0);
  expect(await services.db.playbook.count({ where: { agentId: agent.id } })).toBe(0);
  expect(await services.db.approval.count({ where: { agentId: agent.id } })).toBe(0);
  expect(seen).toEqual([agent.id]);
});

test("a failure midway leaves nothing half-removed and announces nothing", async () => {
  const agent = await agentWithPlaybook("kept");
  // The agent's own delete fails inside the transaction, after its playbooks were deleted in it.
  await services.db.$executeRawUnsafe(
    `CREATE TRIGGER refuse_agent_delete BEFORE DELETE ON "Agent" BEGIN SELECT RAISE(ABORT, 'disk says no'); END`,
  );
  const seen: (string | null)[] = [];
  const off = services.bus.subscribe("agents.changed", (e) => seen.push(e.agentId));
  try {
    // (Prisma reports the trigger's abort as a constraint violation; without the trigger the same removal succeeds, above.)
    await expect(services.agents.remove(agent.id)).rejects.toThrow();
  } finally {
    off();
    await services.db.$executeRawUnsafe("DROP TRIGGER refuse_agent_delete");
  }
  expect(await services.db.agent.count({ where: { id: agent.id } })).toBe(1);
  expect(await services.db.tab.count({ where: { agentId: agent.id } })).toBe(1);
  expect(await services.db.playbook.count({ where: { agentId: agent.id } })).toBe(1);
  expect(await services.db.approval.count({ where: { agentId: agent.id } })).toBe(1);
  expect(seen).toEqual([]);
});

test("an agent that is already gone is NOT_FOUND", async () => {
  await expect(services.agents.remove("no-such-agent")).rejects.toMatchObject({ code: "NOT_FOUND" });
});

test("a removed agent's settings are our NOT_FOUND for the services that ask (documents, terminals), not Prisma's error", async () => {
  const agent = await services.agents.create({ name: "asked after", folder: project });
  await services.agents.remove(agent.id);
  await expect(services.agents.settings(agent.id)).rejects.toMatchObject({ code: "NOT_FOUND", message: "That agent no longer exists." });
});
