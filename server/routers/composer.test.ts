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
  expect(commands.filter((c) => c.source === "builtin").map((c) => c.name)).toEqual(["new", "stop", "clear", "spec"]);
  expect(commands.find((c) => c.name === "explain")).toMatchObject({ source: "user" });
  expect(commands.some((c) => c.source === "provider" && c.name === "compact")).toBe(true);

  expect(await caller.composer.mentions({ agentId: agent.id, query: "note" })).toEqual(["notes.md"]);
});

test("/spec <goal> asks the agent to write the checklist into its Auto Run folder, at a name not taken yet", async () => {
  const agent = await caller.agents.create({ name: "Planner", folder: project });
  const [tab] = await caller.tabs.list({ agentId: agent.id });
  const folder = path.join(fs.realpathSync(project), ".maestro", "playbooks");
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "tiny-static-site.md"), "- [ ] taken\n");

  await caller.turns.send({ tabId: tab!.id, prompt: "/spec Tiny static site!" });
  await services.turns.settled(tab!.id);
  const [turn] = await caller.turns.list({ tabId: tab!.id });
  expect(turn!.prompt).toBe(
    `Write a markdown checklist for: Tiny static site. Save it as ${folder}/tiny-static-site-2.md using GitHub task-list syntax (\`- [ ] task\`), one task per line.`,
  );
  // The document that was there is untouched.
  expect(fs.readFileSync(path.join(folder, "tiny-static-site.md"), "utf8")).toBe("- [ ] taken\n");
  // /spec is Maestro's: listed as a builtin, and no user command may take its name.
  expect(await caller.composer.commands({ agentId: agent.id })).toContainEqual(
    expect.objectContaining({ name: "spec", source: "builtin" }),
  );
  await expect(caller.composer.saveCommand({ name: "spec", template: "x" })).rejects.toMatchObject({ code: "CONFLICT" });
});
