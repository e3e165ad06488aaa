import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BusEvents } from "../../events/bus";
import { createTestServices, tempDir } from "../../testing/harness";
import { writeAskingCli, until } from "../turns/asking-cli.testkit";
import { recoverInterrupted } from "../turns/recovery";
import { storeRule } from "./queries";

/**
 * Approvals end to end below the router: a real child process (a fake claude speaking the
 * control protocol) asks, the service records and shows it, a person answers, the answer
 * reaches the CLI's stdin, and the turn goes on. Real SQLite.
 */
let services: ReturnType<typeof createTestServices>;
const bin = tempDir("maestro-ask-bin-");
let cli: string;
const notes: BusEvents["notify"][] = [];
const OWNER = { kind: "owner" as const, id: "dev1", label: "Pixel 8" };

beforeAll(() => {
  cli = writeAskingCli(bin);
  services = createTestServices({ turns: { idleTimeoutMs: 2000 }, approvals: { timeoutMs: 20_000 } });
  services.bus.subscribe("notify", (n) => notes.push(n));
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(bin, { recursive: true, force: true });
});

async function askingAgent(name: string, settings: Record<string, unknown> = {}) {
  const folder = tempDir("maestro-ask-project-");
  const agent = await services.agents.create({ name, folder, provider: "claude" });
  await services.db.agent.update({
    where: { id: agent.id },
    data: { settingsJson: JSON.stringify({ binaryPath: cli, permissionMode: "ask", ...settings }) },
  });
  const [tab] = await services.tabs.list(agent.id);
  return { agent, tab: tab!, folder };
}

const pendingOf = async (agentId: string) => {
  try {
    return await until("a pending request", async () => (await services.approvals.pending({ agentId }))[0]);
  } catch (err) {
    const turns = await services.db.turn.findMany({ where: { agentId }, select: { status: true, errorMessage: true } });
    throw new Error(`${(err as Error).message}; turns: ${JSON.stringify(turns)}`);
  }
};
const eventsOf = (tabId: string) => services.turns.eventsAfter(tabId, 0);

describe("approvals through a real asking CLI", () => {
  test("allow: the card, the agent waiting, the push; the answer reaches the CLI; History; a second answer conflicts", async () => {
    const { agent, tab, folder } = await askingAgent("Backend");
    const { outcome } = await services.turns.start({ tabId: tab.id, prompt: "touch a.txt" });
    const p = await pendingOf(agent.id);
    expect(p).toMatchObject({
      toolName: "Bash",
      kind: "tool",
      input: { command: "touch a.txt" },
      suggestedRule: "Bash(touch a.txt)",
      actions: true,
      agentName: "Backend",
    });
    expect((await services.agents.byId(agent.id)).status).toBe("waiting");
    expect(notes.find((n) => n.approvalId === p.id)).toEqual({
      kind: "approval",
      agentId: agent.id,
      title: "Backend needs you",
      body: "wants to run: touch a.txt",
      url: `/agents/${agent.id}?tab=${tab.id}`,
      approvalId: p.id,
      actions: true,
    });
    // The CLI is silent while it waits: more than two idle limits pass and the turn is still alive.
    await new Promise((r) => setTimeout(r, 4500));
    expect(services.turns.isBusy(tab.id)).toBe(true);

    expect(await services.approvals.answer({ approvalId: p.id, decision: "allow" }, OWNER)).toEqual({
      approvalId: p.id,
      status: "allowed",
    });
    const done = await outcome;
    expect(done.status).toBe("done");
    expect(done.reply.text).toBe("allowed touch a.txt");
    expect(fs.existsSync(path.join(folder, "a.txt"))).toBe(true);
    await expect(services.approvals.answer({ approvalId: p.id, decision: "deny" }, OWNER)).rejects.toMatchObject({
      code: "CONFLICT",
      message: "This was already allowed by Pixel 8.",
    });

    const events = await eventsOf(tab.id);
    const types = events.map((e) => e.type);
    expect(types).not.toContain("approval_request");
    expect(types.indexOf("approval")).toBeLessThan(types.indexOf("approval_decision"));
    expect(events.find((e) => e.type === "approval_decision")?.data).toEqual({ approvalId: p.id, status: "allowed", by: "Pixel 8" });
    expect((await services.agents.byId(agent.id)).status).toBe("idle");
    const history = await services.history.list({ agentId: agent.id, kinds: ["approval"] });
    expect(history.items.map((h) => h.summary)).toEqual(["Allowed `touch a.txt` — Pixel 8"]);
    expect(await services.approvals.pending({ agentId: agent.id })).toEqual([]);
  });

  test("deny with a reason: the model reads it, the turn goes on, nothing is written", async () => {
    const { agent, tab, folder } = await askingAgent("Deny");
    const { outcome } = await services.turns.start({ tabId: tab.id, prompt: "touch no.txt" });
    const p = await pendingOf(agent.id);
    await services.approvals.answer(
      { approvalId: p.id, decision: "deny", message: "Not in this folder." },
      { kind: "share", id: "s1", label: "Link for Ana" },
    );
    const done = await outcome;
    expect(done.status).toBe("done");
    expect(done.reply.text).toBe("denied: Not in this folder.");
    expect(done.reply.error).toBeFalsy();
    expect(fs.existsSync(path.join(folder, "no.txt"))).toBe(false);
    const row = await services.db.approval.findUniqueOrThrow({ where: { id: p.id } });
    expect(row).toMatchObject({
      status: "denied",
      decidedByKind: "share",
      decidedById: "s1",
      decidedByLabel: "Link for Ana",
      message: "Not in this folder.",
    });
  });

  test("always: a session rule to the CLI, the rule stored; the next turn passes it to claude, whose reading wins", async () => {
    const { agent, tab, folder } = await askingAgent("Always");
    const first = await services.turns.start({ tabId: tab.id, prompt: "touch r.txt" });
    const p = await pendingOf(agent.id);
    await services.approvals.answer({ approvalId: p.id, decision: "always" }, OWNER);
    expect((await first.outcome).reply.text).toBe(
      `allowed touch r.txt rules=${JSON.stringify([{ type: "addRules", rules: [{ toolName: "Bash", ruleContent: "touch r.txt" }], behavior: "allow", destination: "session" }])}`,
    );
    const rules = await services.approvals.rules.list({ agentId: agent.id });
    expect(rules.map((r) => [r.rule, r.createdByLabel])).toEqual([["Bash(touch r.txt)", "Pixel 8"]]);
    expect((await services.db.approval.findUniqueOrThrow({ where: { id: p.id } })).ruleId).toBe(rules[0]!.id);

    fs.rmSync(path.join(folder, "r.txt"));
    const second = await services.turns.start({ tabId: tab.id, prompt: "touch r.txt" });
    // claude got the rule and asks anyway (this fake ignores it): claude's reading wins, the
    // bridge does not allow by its own match, a person is asked.
    const again = await pendingOf(agent.id);
    expect(JSON.parse(fs.readFileSync(path.join(folder, "argv.json"), "utf8"))).toEqual(
      expect.arrayContaining(["--permission-prompt-tool", "stdio", "--permission-mode", "default", "--allowedTools=Bash(touch r.txt)"]),
    );
    await services.approvals.answer({ approvalId: again.id, decision: "allow" }, OWNER);
    expect((await second.outcome).reply.text).toBe("allowed touch r.txt");
    const events = await services.db.event.findMany({ where: { turnId: second.turnId }, select: { type: true, payload: true } });
    expect(events.map((e) => e.type)).toContain("approval");
    expect(JSON.parse(events.find((e) => e.type === "approval_decision")!.payload)).toMatchObject({ status: "allowed", by: "Pixel 8" });
  });

  test("always: a share link can't store a rule; the owner's rule must be for the asked tool", async () => {
    const { agent, tab } = await askingAgent("AlwaysGuard");
    const { outcome } = await services.turns.start({ tabId: tab.id, prompt: "touch g.txt" });
    const p = await pendingOf(agent.id);
    await expect(
      services.approvals.answer({ approvalId: p.id, decision: "always", rule: "Bash" }, { kind: "share", id: "s1", label: "Link" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", message: "Only the owner can add an always-allow rule; allow once instead." });
    await expect(services.approvals.answer({ approvalId: p.id, decision: "always", rule: "Write" }, OWNER)).rejects.toMatchObject({
      code: "BAD_INPUT",
      message: "The rule must be for Bash, the tool this request is for.",
    });
    await expect(services.approvals.answer({ approvalId: p.id, decision: "always", rule: "Bash(x) Bash(*)" }, OWNER)).rejects.toThrow(
      "A rule is a tool name",
    );
    expect(await services.approvals.rules.list({ agentId: agent.id })).toEqual([]);
    expect((await services.db.approval.findUniqueOrThrow({ where: { id: p.id } })).status).toBe("pending");
    await services.approvals.answer({ approvalId: p.id, decision: "allow" }, { kind: "share", id: "s1", label: "Link" });
    expect((await outcome).reply.text).toBe("allowed touch g.txt");
  });

  test("a question: every question must be answered; the answers reach the CLI keyed by question text", async () => {
    const { agent, tab } = await askingAgent("Asker", { permissionMode: "bypass", isSandbox: true });
    const { outcome } = await services.turns.start({ tabId: tab.id, prompt: "question" });
    const p = await pendingOf(agent.id);
    expect(p).toMatchObject({ kind: "question", actions: false, noAlwaysAllow: true });
    expect(notes.find((n) => n.approvalId === p.id)).toMatchObject({ body: "asks: Which colour?", actions: false });
    await expect(services.approvals.answer({ approvalId: p.id, decision: "allow", answers: {} }, OWNER)).rejects.toMatchObject({
      code: "BAD_INPUT",
    });
    await expect(services.approvals.answer({ approvalId: p.id, decision: "always" }, OWNER)).rejects.toMatchObject({ code: "BAD_INPUT" });
    await services.approvals.answer({ approvalId: p.id, decision: "allow", answers: { "Which colour?": "Blue" } }, OWNER);
    expect((await outcome).reply.text).toBe('answers={"Which colour?":"Blue"}');
  });

  test("two asks in a row are answered in order", async () => {
    const { agent, tab, folder } = await askingAgent("Twice");
    const { outcome } = await services.turns.start({ tabId: tab.id, prompt: "touch one.txt && touch two.txt" });
    const a = await pendingOf(agent.id);
    expect(a.input).toMatchObject({ command: "touch one.txt" });
    await services.approvals.answer({ approvalId: a.id, decision: "allow" }, OWNER);
    const b = await until("the second request", async () =>
      (await services.approvals.pending({ agentId: agent.id })).find((x) => x.id !== a.id),
    );
    expect(b.input).toMatchObject({ command: "touch two.txt" });
    await services.approvals.answer({ approvalId: b.id, decision: "allow" }, OWNER);
    expect((await outcome).status).toBe("done");
    expect(fs.readdirSync(folder).sort()).toEqual(["argv.json", "one.txt", "two.txt"]);
  });

  test("Stop while waiting: the turn is stopped, the request cancelled, a late answer conflicts", async () => {
    const { agent, tab } = await askingAgent("Stopper");
    const { outcome } = await services.turns.start({ tabId: tab.id, prompt: "touch s.txt" });
    const p = await pendingOf(agent.id);
    await services.turns.stop(tab.id);
    expect((await outcome).status).toBe("stopped");
    expect((await services.db.approval.findUniqueOrThrow({ where: { id: p.id } })).status).toBe("cancelled");
    await expect(services.approvals.answer({ approvalId: p.id, decision: "allow" }, OWNER)).rejects.toMatchObject({ code: "CONFLICT" });
    const events = await eventsOf(tab.id);
    expect(events.find((e) => e.type === "approval_decision")?.data).toMatchObject({ status: "cancelled" });
    expect(events.at(-1)).toMatchObject({ type: "turn_end", data: { status: "stopped" } });
    expect((await services.agents.byId(agent.id)).status).toBe("idle");
  });
});

describe("timeout", () => {
  let quick: ReturnType<typeof createTestServices>;
  beforeAll(() => {
    quick = createTestServices({ approvals: { timeoutMs: 300 } });
  });
  afterAll(() => quick.cleanup());

  test("an unanswered request is denied with a message the model reads; the turn goes on", async () => {
    const folder = tempDir("maestro-ask-timeout-");
    const agent = await quick.agents.create({ name: "Slow", folder, provider: "claude" });
    await quick.db.agent.update({
      where: { id: agent.id },
      data: { settingsJson: JSON.stringify({ binaryPath: cli, permissionMode: "ask", approvalTimeoutMin: 5 }) },
    });
    const [tab] = await quick.tabs.list(agent.id);
    const { outcome } = await quick.turns.start({ tabId: tab!.id, prompt: "touch t.txt" });
    const done = await outcome;
    expect(done.status).toBe("done");
    expect(done.approvalTimedOut).toBe(true);
    expect(done.reply.text).toBe("denied: Nobody answered within 5 minutes, so this was denied. Carry on without it, or ask again.");
    const [row] = await quick.db.approval.findMany({ where: { agentId: agent.id } });
    expect(row).toMatchObject({ status: "expired", decidedByKind: "timeout" });
    const history = await quick.history.list({ agentId: agent.id, kinds: ["approval"] });
    expect(history.items[0]).toMatchObject({ success: false, summary: "Timed out `touch t.txt` — timeout" });
  });
});

describe("modes, rules and the defaults", () => {
  test("a new claude agent asks; the tab's override wins; plan runs without the prompt tool", async () => {
    const folder = tempDir("maestro-ask-mode-");
    const agent = await services.agents.create({ name: "Fresh", folder, provider: "claude" });
    expect(await services.agents.settings(agent.id)).toEqual({ permissionMode: "ask" });
    const sim = await services.agents.create({ name: "Sim", folder });
    expect(await services.agents.settings(sim.id)).toEqual({});

    const { tab } = await askingAgent("Planner");
    await services.approvals.setTabMode({ tabId: tab.id, mode: "plan" });
    const { outcome } = await services.turns.start({ tabId: tab.id, prompt: "touch p.txt" });
    await outcome;
    const argvFile = path.join((await services.agents.byId(tab.agentId)).folder, "argv.json");
    const argv = JSON.parse(fs.readFileSync(argvFile, "utf8")) as string[];
    expect(argv).toEqual(expect.arrayContaining(["--permission-mode", "plan"]));
    expect(argv).not.toContain("--permission-prompt-tool");
    await services.approvals.setTabMode({ tabId: tab.id, mode: null });
    expect((await services.db.tab.findUniqueOrThrow({ where: { id: tab.id } })).permissionMode).toBeNull();
  });

  test("rules: add (idempotent), list, remove; a bad rule is refused", async () => {
    const { agent } = await askingAgent("Rules");
    const r = await services.approvals.rules.add({ agentId: agent.id, rule: "Bash(npm test:*)" }, "Pixel 8");
    await services.approvals.rules.add({ agentId: agent.id, rule: "Bash(npm test:*)" });
    await services.approvals.rules.add({ agentId: agent.id, rule: "Write" });
    expect((await services.approvals.rules.list({ agentId: agent.id })).map((x) => x.rule)).toEqual(["Bash(npm test:*)", "Write"]);
    expect(await services.approvals.rulesFor(agent.id)).toEqual(["Bash(npm test:*)", "Write"]);
    await services.approvals.rules.remove({ ruleId: r.id });
    expect((await services.approvals.rules.list({ agentId: agent.id })).map((x) => x.rule)).toEqual(["Write"]);
    await expect(services.approvals.rules.add({ agentId: agent.id, rule: "Bash(" })).rejects.toThrow();
    await expect(services.approvals.rules.add({ agentId: agent.id, rule: "Bash(ls),Write(*)" })).rejects.toThrow();
    // A rule the CLI suggested is stored through the same check (a newline would be two rules).
    await expect(storeRule(services.db, agent.id, "Bash(ls\nrm -rf ~)", "x")).rejects.toMatchObject({ code: "BAD_INPUT" });
    await expect(storeRule(services.db, agent.id, "Bash(ls) Bash(*)", "x")).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect((await services.approvals.rules.list({ agentId: agent.id })).map((x) => x.rule)).toEqual(["Write"]);
    await expect(services.approvals.rules.add({ agentId: "nope", rule: "Write" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("recovery after a bridge died while a request waited", () => {
  test("the turn fails as interrupted while waiting, its requests expire, the waiting agent goes idle", async () => {
    const { agent, tab } = await askingAgent("Crashed");
    const turn = await services.db.turn.create({ data: { tabId: tab.id, agentId: agent.id, prompt: "touch x", status: "running" } });
    const other = await services.db.turn.create({ data: { tabId: tab.id, agentId: agent.id, prompt: "plain", status: "running" } });
    const row = await services.db.approval.create({
      data: {
        turnId: turn.id,
        tabId: tab.id,
        agentId: agent.id,
        provider: "claude",
        requestId: "r1",
        toolName: "Bash",
        expiresAt: new Date(Date.now() + 60_000),
      },
    });
    await services.db.agent.update({ where: { id: agent.id }, data: { status: "waiting" } });
    await recoverInterrupted(services.db);
    expect(await services.db.turn.findUniqueOrThrow({ where: { id: turn.id } })).toMatchObject({
      status: "error",
      errorMessage: "Interrupted while waiting for approval.",
    });
    expect(await services.db.turn.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({
      status: "error",
      errorMessage: "The bridge stopped during this turn.",
    });
    expect((await services.db.approval.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("expired");
    const events = await services.db.event.findMany({
      where: { turnId: turn.id },
      orderBy: { id: "asc" },
      select: { type: true, payload: true },
    });
    expect(events.map((e) => e.type)).toEqual(["approval_decision", "turn_end"]);
    expect(JSON.parse(events[0]!.payload)).toEqual({
      approvalId: row.id,
      status: "expired",
      by: "Maestro",
      message: "Interrupted while waiting for approval.",
    });
    expect((await services.agents.byId(agent.id)).status).toBe("idle");
    await expect(services.approvals.answer({ approvalId: row.id, decision: "allow" }, OWNER)).rejects.toMatchObject({ code: "CONFLICT" });
  });
});
