import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { SIMULATOR_BIN } from "../services/providers/detect";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../testing/harness";

let services: ReturnType<typeof createTestServices>;
let caller: ReturnType<typeof callerFor>;
const home = tempDir("maestro-home-");
const simHome = tempDir("maestro-simhome-");
let project: string;
const saved = { HOME: process.env.HOME, CODEX_HOME: process.env.CODEX_HOME };

beforeAll(async () => {
  process.env.HOME = home;
  process.env.CODEX_HOME = path.join(home, ".codex");
  process.env.MAESTRO_SIM_HOME = simHome;
  project = fs.realpathSync(tempDir("maestro-sessions-project-"));
  services = createTestServices();
  caller = callerFor(services, (await pairedOwner(services)).principal);
});
afterAll(async () => {
  Object.assign(process.env, saved);
  await services.cleanup();
  for (const d of [home, simHome, project]) fs.rmSync(d, { recursive: true, force: true });
});

test("claude: sessions from ~/.claude/projects are listed, searchable, renamable, resumable", async () => {
  const dir = path.join(home, ".claude", "projects", project.replace(/[^A-Za-z0-9]/g, "-"));
  fs.mkdirSync(dir, { recursive: true });
  const id = "0b7e5d4e-2f55-4c9e-9a57-0d8a3c3c1f00";
  fs.writeFileSync(
    path.join(dir, `${id}.jsonl`),
    [
      { type: "user", cwd: project, sessionId: id, message: { role: "user", content: "Refactor the billing module" } },
      {
        type: "assistant",
        cwd: project,
        sessionId: id,
        message: { role: "assistant", content: [{ type: "text", text: "Moved invoices into a service." }] },
      },
    ]
      .map((l) => JSON.stringify(l))
      .join("\n"),
  );
  // A transcript of another folder that happens to encode the same way is not listed.
  fs.writeFileSync(path.join(dir, "other.jsonl"), JSON.stringify({ type: "user", cwd: "/elsewhere", message: { content: "x" } }));

  const agent = await caller.agents.create({ name: "Billing", folder: project, provider: "claude" });
  const list = await caller.sessions.list({ agentId: agent.id });
  expect(list).toHaveLength(1);
  expect(list[0]).toMatchObject({ sessionId: id, title: "Refactor the billing module", inStore: true, inMaestro: false });
  expect(await caller.sessions.list({ agentId: agent.id, query: "invoices" })).toHaveLength(1);
  expect(await caller.sessions.list({ agentId: agent.id, query: "nothing-like-this" })).toHaveLength(0);

  await caller.sessions.rename({ agentId: agent.id, sessionId: id, name: "Billing refactor" });
  await caller.sessions.star({ agentId: agent.id, sessionId: id, starred: true });
  expect((await caller.sessions.list({ agentId: agent.id }))[0]).toMatchObject({ name: "Billing refactor", starred: true });

  const tab = await caller.sessions.resume({ agentId: agent.id, sessionId: id });
  expect(tab.providerSessionId).toBe(id);
  expect((await caller.sessions.resume({ agentId: agent.id, sessionId: id })).id).toBe(tab.id);
  expect((await caller.sessions.list({ agentId: agent.id }))[0]).toMatchObject({ inMaestro: true, inStore: true, tabId: tab.id });
});

test("a simulator session started outside Maestro can be resumed in a tab", async () => {
  const r = spawnSync(
    process.execPath,
    [SIMULATOR_BIN, "--dialect", "claude", "-p", "--verbose", "--output-format", "stream-json", "--", "Outside hello"],
    {
      cwd: project,
      env: { ...process.env, MAESTRO_SIM_HOME: simHome },
      encoding: "utf8",
    },
  );
  const sessionId = JSON.parse(r.stdout.split("\n")[0]!).session_id as string;
  const agent = await caller.agents.create({ name: "Sim", folder: project });
  const list = await caller.sessions.list({ agentId: agent.id });
  expect(list.find((s) => s.sessionId === sessionId)).toMatchObject({ title: "Outside hello", inStore: true });

  const tab = await caller.sessions.resume({ agentId: agent.id, sessionId });
  await caller.turns.send({ tabId: tab.id, prompt: "continue" });
  await services.turns.settled(tab.id);
  const events = await services.turns.eventsAfter(tab.id, 0);
  expect(events.find((e) => e.type === "session")?.data.sessionId).toBe(sessionId);
  expect(
    events
      .filter((e) => e.type === "text")
      .map((e) => e.data.text)
      .join(""),
  ).toMatch(/turn 2/);
});

test("codex: rollouts of this folder are found by their session_meta", async () => {
  const day = path.join(home, ".codex", "sessions", "2026", "11", "23");
  fs.mkdirSync(day, { recursive: true });
  const id = "019a0000-0000-7000-8000-000000000001";
  fs.writeFileSync(
    path.join(day, `rollout-2026-11-23T10-00-00-${id}.jsonl`),
    [
      { type: "session_meta", payload: { id, cwd: project } },
      {
        type: "response_item",
        payload: { type: "message", role: "user", content: [{ type: "input_text", text: "Add a health endpoint" }] },
      },
    ]
      .map((l) => JSON.stringify(l))
      .join("\n"),
  );
  const agent = await caller.agents.create({ name: "Api", folder: project, provider: "codex" });
  expect(await caller.sessions.list({ agentId: agent.id })).toEqual([
    expect.objectContaining({ sessionId: id, title: "Add a health endpoint" }),
  ]);
});

test("a store with more sessions than are read lists the newest ones, whatever order the folder gives", async () => {
  const dir = path.join(simHome, "sessions");
  fs.mkdirSync(dir, { recursive: true });
  const elsewhere = tempDir("maestro-sessions-elsewhere-");
  const old = new Date("2026-01-01T00:00:00Z");
  for (let i = 0; i < 600; i++) {
    const id = `old-${String(i).padStart(4, "0")}`;
    const file = path.join(dir, `${id}.json`);
    fs.writeFileSync(file, JSON.stringify({ id, cwd: elsewhere, updated: old.toISOString(), turns: [{ prompt: `old ${i}` }] }));
    fs.utimesSync(file, old, old);
  }
  // The newest session is the file the directory lists last: a reader that takes the first
  // files it is given would never see it.
  const last = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .at(-1)!;
  const id = last.slice(0, -".json".length);
  fs.writeFileSync(
    path.join(dir, last),
    JSON.stringify({ id, cwd: project, updated: new Date().toISOString(), turns: [{ prompt: "The newest conversation" }] }),
  );

  const agent = await caller.agents.create({ name: "Busy store", folder: project, provider: "simulator" });
  const list = await caller.sessions.list({ agentId: agent.id, query: "newest conversation" });
  expect(list.map((s) => s.sessionId)).toEqual([id]);
  fs.rmSync(elsewhere, { recursive: true, force: true });
});
