import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../testing/harness";

let services: ReturnType<typeof createTestServices>;
let caller: ReturnType<typeof callerFor>;
const project = tempDir("maestro-composer-");
const simHome = tempDir("maestro-simhome-");

beforeAll(async () => {
  process.env.MAESTRO_SIM_HOME = simHome;
  services = createTestServices();
  caller = callerFor(services, (await pairedOwner(services)).principal);
  fs.writeFileSync(path.join(project, "notes.md"), "- [ ] a\n");
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(simHome, { recursive: true, force: true });
});

test("user commands expand with their arguments and agent variables before they are sent", async () => {
  const agent = await caller.agents.create({ name: "Docs", folder: project });
  const [tab] = await caller.tabs.list({ agentId: agent.id });
  await caller.composer.saveCommand({
    name: "explain",
    description: "Explain a file",
    template: "Explain {{ARGS}} in {{AGENT_NAME}} ({{AGENT_PATH}})",
  });
  await expect(caller.composer.saveCommand({ name: "new", template: "x" })).rejects.toMatchObject({ code: "CONFLICT" });
  await expect(caller.composer.saveCommand({ name: "bad name", template: "x" })).rejects.toMatchObject({ code: "BAD_REQUEST" });

  await caller.turns.send({ tabId: tab!.id, prompt: "/explain notes.md" });
  await services.turns.settled(tab!.id);
  const [turn] = await caller.turns.list({ tabId: tab!.id });
  expect(turn!.prompt).toBe(`Explain notes.md in Docs (${fs.realpathSync(project)})`);

  // The simulator (claude dialect) reported its own slash commands in the session event.
  const commands = await caller.composer.commands({ agentId: agent.id });
  expect(commands.filter((c) => c.source === "builtin").map((c) => c.name)).toEqual(["new", "stop", "clear"]);
  expect(commands.find((c) => c.name === "explain")).toMatchObject({ source: "user" });
  expect(commands.some((c) => c.source === "provider" && c.name === "compact")).toBe(true);

  expect(await caller.composer.mentions({ agentId: agent.id, query: "note" })).toEqual(["notes.md"]);
});
