import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestServices, tempDir } from "../../testing/harness";

/**
 * The bad-output corpus: a fake `claude` (a real child process) prints hostile output. Each case
 * must end as a visible error (or a recorded raw line) on the turn, and the bridge must go on
 * serving: a normal turn right after still works.
 */
let services: ReturnType<typeof createTestServices>;
const bin = tempDir("maestro-badbin-");
const project = tempDir("maestro-bad-project-");
const simHome = tempDir("maestro-simhome-");

const init = JSON.stringify({
  type: "system",
  subtype: "init",
  session_id: "11111111-1111-4111-8111-111111111111",
  model: "m",
  slash_commands: [],
});
const result = JSON.stringify({
  type: "result",
  subtype: "success",
  is_error: false,
  result: "fine",
  session_id: "11111111-1111-4111-8111-111111111111",
  total_cost_usd: 0.01,
  usage: { input_tokens: 1, output_tokens: 1 },
});

/** A fake CLI: a node script whose stdout/stderr/exit we control. */
function fakeCli(name: string, body: string): string {
  const file = path.join(bin, name);
  fs.writeFileSync(file, `#!${process.execPath}\n${body}\n`, { mode: 0o755 });
  return file;
}

const CASES: [string, string, { status: string; expect: (events: { type: string; data: Record<string, unknown> }[]) => void }][] = [
  [
    "malformed JSON between good lines",
    `console.log(${JSON.stringify(init)}); console.log('{"type":"assistant", oops'); console.log(${JSON.stringify(result)});`,
    { status: "done", expect: (ev) => expect(ev.find((e) => e.type === "raw")?.data.line).toBe('{"type":"assistant", oops') },
  ],
  [
    "a 10 MB line",
    `console.log(${JSON.stringify(init)}); process.stdout.write("x".repeat(10 * 1024 * 1024) + "\\n"); console.log(${JSON.stringify(result)});`,
    { status: "done", expect: (ev) => expect(ev.find((e) => e.type === "error")?.data.message).toMatch(/over 1 MiB/) },
  ],
  [
    "binary bytes",
    `console.log(${JSON.stringify(init)}); process.stdout.write(Buffer.from([0, 255, 254, 10])); console.log(${JSON.stringify(result)});`,
    { status: "done", expect: (ev) => expect(ev.some((e) => e.type === "raw")).toBe(true) },
  ],
  [
    "unknown event types",
    `console.log(${JSON.stringify(init)}); console.log(JSON.stringify({ type: "from_the_future", x: 1 })); console.log(${JSON.stringify(result)});`,
    { status: "done", expect: (ev) => expect(ev.map((e) => e.type)).not.toContain("raw") },
  ],
  [
    "a truncated last line",
    `console.log(${JSON.stringify(init)}); process.stdout.write('{"type":"result","subtype":"succ');`,
    { status: "error", expect: (ev) => expect(ev.some((e) => e.type === "raw")).toBe(true) },
  ],
  [
    "exit 1 with stderr",
    `console.log(${JSON.stringify(init)}); console.error("Error: something broke inside the CLI"); process.exit(1);`,
    {
      status: "error",
      expect: (ev) =>
        expect(ev.find((e) => e.type === "error")?.data.message).toMatch(/crashed \(exit 1\): Error: something broke inside the CLI/),
    },
  ],
];

beforeAll(() => {
  process.env.MAESTRO_SIM_HOME = simHome;
  services = createTestServices({ turns: { idleTimeoutMs: 5000 } });
});
afterAll(async () => {
  await services.cleanup();
  for (const d of [bin, project, simHome]) fs.rmSync(d, { recursive: true, force: true });
});

test.each(CASES)("%s: a visible outcome on the turn, state consistent, bridge keeps serving", async (name, body, outcome) => {
  const cli = fakeCli(name.replace(/\W+/g, "-"), body);
  const agent = await services.agents.create({ name, folder: project, provider: "claude" });
  await services.db.agent.update({ where: { id: agent.id }, data: { settingsJson: JSON.stringify({ binaryPath: cli }) } });
  const [tab] = await services.tabs.list(agent.id);
  await services.turns.send({ tabId: tab!.id, prompt: "go" });
  await services.turns.settled(tab!.id);
  const [turn] = await services.turns.listTurns(tab!.id);
  expect(turn!.status).toBe(outcome.status);
  const events = await services.turns.eventsAfter(tab!.id, 0);
  outcome.expect(events);
  expect(events.at(-1)).toMatchObject({ type: "turn_end", data: { status: outcome.status } });
  // No event row is larger than a few KiB, whatever the CLI printed.
  expect(Math.max(...events.map((e) => JSON.stringify(e.data).length))).toBeLessThan(70 * 1024);
  expect(services.turns.isBusy(tab!.id)).toBe(false);
  expect((await services.agents.byId(agent.id)).status).toBe(outcome.status === "done" ? "idle" : "error");

  // The bridge still serves a normal turn.
  const sim = await services.agents.create({ name: `${name} after`, folder: project });
  const [simTab] = await services.tabs.list(sim.id);
  await services.turns.send({ tabId: simTab!.id, prompt: "hello" });
  await services.turns.settled(simTab!.id);
  expect((await services.turns.listTurns(simTab!.id))[0]!.status).toBe("done");
});
