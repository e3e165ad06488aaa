import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { StoredEvent } from "./event-writer";
import { createTestServices, tempDir } from "../../testing/harness";
import { replyOf } from "../autorun/reply";

let services: ReturnType<typeof createTestServices>;
let project: string;
const simHome = tempDir("maestro-simhome-");

beforeAll(() => {
  process.env.MAESTRO_SIM_HOME = simHome;
  services = createTestServices({ turns: { idleTimeoutMs: 3000, stopGraceMs: 300 } });
  project = tempDir("maestro-turn-project-");
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(simHome, { recursive: true, force: true });
  delete process.env.MAESTRO_SIM_FAULT;
});

async function newTab(settings: Record<string, unknown> = {}, provider = "simulator") {
  const agent = await services.agents.create({ name: `a${Math.random()}`, folder: project, provider: provider as "simulator" });
  if (Object.keys(settings).length)
    await services.db.agent.update({ where: { id: agent.id }, data: { settingsJson: JSON.stringify(settings) } });
  const [tab] = await services.tabs.list(agent.id);
  return { agent, tab: tab! };
}

/** Runs a turn to its end and returns the events as stored. */
async function runTurn(tabId: string, prompt: string, fault?: string) {
  if (fault) process.env.MAESTRO_SIM_FAULT = fault;
  else delete process.env.MAESTRO_SIM_FAULT;
  const published: StoredEvent[] = [];
  const off = services.bus.subscribe("turn.events", (e) => e.tabId === tabId && published.push(...e.events));
  const { turnId } = await services.turns.send({ tabId, prompt });
  await services.turns.settled(tabId);
  off();
  const stored = (await services.turns.eventsAfter(tabId, 0)).filter((e) => e.turnId === turnId);
  const turn = await services.db.turn.findUniqueOrThrow({ where: { id: turnId } });
  return { turn, stored, published: published.filter((e) => e.turnId === turnId) };
}

describe.each(["claude", "codex", "opencode", "gemini"] as const)("a simulator turn in the %s dialect", (dialect) => {
  test("streams, stores, publishes after commit, and resumes the session next time", async () => {
    const { tab, agent } = await newTab({ simulatorDialect: dialect });
    const first = await runTurn(tab.id, "Say hello");
    expect(first.turn.status).toBe("done");
    expect(first.stored.map((e) => e.type)[0]).toBe("prompt");
    expect(first.stored.at(-1)?.type).toBe("turn_end");
    expect(first.stored.some((e) => e.type === "text")).toBe(true);
    // Everything published is stored, in the same order, each exactly once.
    expect(first.published.map((e) => e.id)).toEqual(first.stored.map((e) => e.id));
    expect(first.turn.outputTokens).toBeGreaterThan(0);
    const session = first.stored.find((e) => e.type === "session")!.data.sessionId as string;
    expect((await services.tabs.byId(tab.id)).providerSessionId).toBe(session);
    expect((await services.agents.byId(agent.id)).status).toBe("idle");

    const second = await runTurn(tab.id, "Again");
    expect(second.turn.status).toBe("done");
    expect(second.stored.find((e) => e.type === "session")?.data.sessionId).toBe(session);

    // CLIs report session-cumulative cost/usage on resume; each turn must count only itself, so
    // the turns add up to what the CLI reports for the whole session.
    const reported = JSON.parse((await services.db.tab.findUniqueOrThrow({ where: { id: tab.id } })).providerTotals ?? "{}");
    if (dialect === "claude") expect(first.turn.costUsd + second.turn.costUsd).toBeCloseTo(reported.costUsd, 10);
    if (dialect === "codex") expect(first.turn.outputTokens + second.turn.outputTokens).toBe(reported.outputTokens);
  });
});

describe("failures become visible errors and leave state consistent", () => {
  test.each([
    ["crash", "crash", /crashed \(exit 1\)/],
    ["ratelimit", "rate_limit", /limit/i],
    ["auth", "auth", /./],
  ])("%s", async (fault, kind, message) => {
    const { tab, agent } = await newTab();
    const r = await runTurn(tab.id, "hello", fault);
    expect(r.turn.status).toBe("error");
    expect(r.turn.errorKind).toBe(kind);
    expect(r.turn.errorMessage).toMatch(message);
    expect(r.stored.at(-1)).toMatchObject({ type: "turn_end", data: { status: "error" } });
    expect((await services.agents.byId(agent.id)).status).toBe("error");
    expect(services.turns.isBusy(tab.id)).toBe(false);
  });

  test("a malformed line is kept as raw and the turn still completes", async () => {
    const { tab } = await newTab();
    const r = await runTurn(tab.id, "hello", "malformed");
    expect(r.turn.status).toBe("done");
    expect(r.stored.some((e) => e.type === "raw")).toBe(true);
  });

  test("a hanging CLI is killed by the watchdog", async () => {
    const { tab } = await newTab();
    const r = await runTurn(tab.id, "hello", "hang");
    expect(r.turn.status).toBe("error");
    expect(r.turn.errorKind).toBe("timeout");
  });

  test("Stop ends a slow turn as stopped", async () => {
    const { tab } = await newTab();
    process.env.MAESTRO_SIM_FAULT = "slow";
    await services.turns.send({ tabId: tab.id, prompt: "slowly" });
    await expect(services.turns.send({ tabId: tab.id, prompt: "second" })).rejects.toMatchObject({ code: "CONFLICT" });
    await new Promise((r) => setTimeout(r, 400));
    expect(await services.turns.stop(tab.id)).toBe(true);
    await services.turns.settled(tab.id);
    const [turn] = await services.turns.listTurns(tab.id);
    expect(turn!.status).toBe("stopped");
    delete process.env.MAESTRO_SIM_FAULT;
  });

  test("a provider that is not installed says how to install it", async () => {
    const { tab } = await newTab({ binaryPath: "/nonexistent/claude" }, "claude");
    const r = await runTurn(tab.id, "hello");
    expect(r.turn.status).toBe("error");
    expect(r.turn.errorKind).toBe("not_installed");
    expect(r.turn.errorMessage).toMatch(/npm i -g @anthropic-ai\/claude-code/);
  });

  test("shell metacharacters reach the provider verbatim", async () => {
    const { tab } = await newTab();
    const prompt = "$(touch pwned) `touch pwned2` ; rm -rf / | cat && echo \"quoted\" 'single' \\n";
    const r = await runTurn(tab.id, prompt);
    expect(r.turn.status).toBe("done");
    expect(fs.existsSync(path.join(project, "pwned"))).toBe(false);
    expect(fs.existsSync(path.join(project, "pwned2"))).toBe(false);
    expect(r.stored[0]!.data.prompt).toBe(prompt);
  });
});

test("long transcripts: the tail starts at a whole turn, and earlier pages widen to whole turns", async () => {
  delete process.env.MAESTRO_SIM_FAULT;
  const { tab } = await newTab();
  for (const p of ["one", "two", "three"]) await runTurn(tab.id, p);
  const all = await services.turns.eventsAfter(tab.id, 0);
  const starts = all.filter((e) => e.type === "prompt").map((e) => e.id);
  expect(starts).toHaveLength(3);
  // Asking for the newest 2 events starts right before the last turn's prompt.
  expect(await services.turns.tailStart(tab.id, 2)).toBe(starts[2]! - 1);
  expect(await services.turns.tailStart(tab.id, 100_000)).toBe(0);
  // One event before the last turn widens to the whole second turn.
  const earlier = await services.turns.eventsBefore(tab.id, starts[2]!, 1);
  expect(earlier[0]!.id).toBe(starts[1]);
  expect(earlier.at(-1)!.id).toBe(starts[2]! - 1);
  expect(await services.turns.eventsBefore(tab.id, starts[0]!, 10)).toEqual([]);
});

describe("resending a message with its client id", () => {
  test("returns the first send's turn, while it runs and after it ended; the prompt runs once", async () => {
    const { tab } = await newTab();
    process.env.MAESTRO_SIM_FAULT = "slow";
    const first = await services.turns.send({ tabId: tab.id, prompt: "only once", clientId: "q-0001-abcdef" });
    // The answer was lost and the client sends again while the turn still runs: no CONFLICT, no second turn.
    await expect(services.turns.send({ tabId: tab.id, prompt: "only once", clientId: "q-0001-abcdef" })).resolves.toEqual({
      turnId: first.turnId,
      duplicate: true,
    });
    await services.turns.stop(tab.id);
    await services.turns.settled(tab.id);
    delete process.env.MAESTRO_SIM_FAULT;
    await expect(services.turns.send({ tabId: tab.id, prompt: "only once", clientId: "q-0001-abcdef" })).resolves.toEqual({
      turnId: first.turnId,
      duplicate: true,
    });
    expect((await services.turns.listTurns(tab.id)).map((t) => t.id)).toEqual([first.turnId]);
    // A different id is a new message; no id at all keeps the old behaviour.
    const second = await services.turns.send({ tabId: tab.id, prompt: "next", clientId: "q-0002-abcdef" });
    await services.turns.settled(tab.id);
    const third = await services.turns.send({ tabId: tab.id, prompt: "no id" });
    await services.turns.settled(tab.id);
    expect((await services.turns.listTurns(tab.id)).map((t) => t.id)).toEqual([first.turnId, second.turnId, third.turnId]);
  });

  test("two sends of the same message at the same moment start one turn", async () => {
    const { tab } = await newTab();
    const results = await Promise.allSettled([
      services.turns.send({ tabId: tab.id, prompt: "racing", clientId: "q-race-123456" }),
      services.turns.send({ tabId: tab.id, prompt: "racing", clientId: "q-race-123456" }),
    ]);
    await services.turns.settled(tab.id);
    const ok = results.filter((r): r is PromiseFulfilledResult<{ turnId: string }> => r.status === "fulfilled").map((r) => r.value.turnId);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok).size).toBe(1);
    expect(await services.turns.listTurns(tab.id)).toHaveLength(1);
  });

  test("the same client id in another tab is another message", async () => {
    const a = await newTab();
    const b = await newTab();
    const ta = await services.turns.send({ tabId: a.tab.id, prompt: "x", clientId: "q-shared-1234" });
    const tb = await services.turns.send({ tabId: b.tab.id, prompt: "x", clientId: "q-shared-1234" });
    await Promise.all([services.turns.settled(a.tab.id), services.turns.settled(b.tab.id)]);
    expect(tb.turnId).not.toBe(ta.turnId);
  });
});

describe("start: the outcome a waiting caller gets is what was stored", () => {
  test.each([undefined, "ratelimit", "crash"])("fault %s: outcome = stored turn + reply of the stored events", async (fault) => {
    const { tab } = await newTab();
    if (fault) process.env.MAESTRO_SIM_FAULT = fault;
    else delete process.env.MAESTRO_SIM_FAULT;
    const { turnId, outcome } = await services.turns.start({ tabId: tab.id, prompt: "Say hello" });
    const got = await outcome;
    delete process.env.MAESTRO_SIM_FAULT;
    const turn = await services.db.turn.findUniqueOrThrow({ where: { id: turnId } });
    const session = await services.db.event.findFirst({ where: { turnId, type: "session" } });
    expect(got).toEqual({
      turnId,
      status: turn.status,
      errorKind: turn.errorKind,
      errorMessage: turn.errorMessage,
      inputTokens: turn.inputTokens,
      outputTokens: turn.outputTokens,
      costUsd: turn.costUsd,
      cacheReadTokens: expect.any(Number),
      cacheWriteTokens: expect.any(Number),
      contextWindow: expect.any(Number),
      providerSessionId: session ? (JSON.parse(session.payload) as { sessionId: string }).sessionId : null,
      durationMs: turn.durationMs,
      reply: await replyOf(services.db, turnId),
    });
    if (!fault) expect(got.reply.text.length).toBeGreaterThan(0);
    else expect(got.reply.error).toBe(turn.errorMessage);
    // The stored turn reads back through Prisma with real dates.
    expect(turn.startedAt).toBeInstanceOf(Date);
    expect(turn.endedAt!.getTime()).toBeGreaterThanOrEqual(turn.startedAt.getTime());
  });

  test("freshSession: the stored session is not resumed, and is replaced even when the turn gets none", async () => {
    const { tab } = await newTab();
    const first = await runTurn(tab.id, "one");
    const session = first.stored.find((e) => e.type === "session")!.data.sessionId as string;
    expect((await services.tabs.byId(tab.id)).providerSessionId).toBe(session);

    const fresh = await services.turns.start({ tabId: tab.id, prompt: "two", freshSession: true });
    await fresh.outcome;
    const stored = (await services.turns.eventsAfter(tab.id, 0)).filter((e) => e.turnId === fresh.turnId);
    const second = stored.find((e) => e.type === "session")!.data.sessionId as string;
    expect(second).not.toBe(session);
    expect((await services.tabs.byId(tab.id)).providerSessionId).toBe(second);

    // A fresh turn that never gets a session (the CLI is not installed) still drops the old one.
    await services.db.agent.update({
      where: { id: (await services.tabs.byId(tab.id)).agentId },
      data: { provider: "claude", settingsJson: JSON.stringify({ binaryPath: "/nonexistent/claude" }) },
    });
    const none = await services.turns.start({ tabId: tab.id, prompt: "three", freshSession: true });
    expect((await none.outcome).status).toBe("error");
    const after = await services.db.tab.findUniqueOrThrow({ where: { id: tab.id } });
    expect(after.providerSessionId).toBeNull();
    expect(after.providerTotals).toBeNull();
  });
});
