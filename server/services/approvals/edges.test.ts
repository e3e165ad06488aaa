import fs from "node:fs";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestServices, tempDir } from "../../testing/harness";
import { writeAskingCli, until } from "../turns/asking-cli.testkit";
import type { ApprovalDecisionEvent, ApprovalReply, ApprovalRequest, ApprovalTurn } from "./gate";

/**
 * The approvals service at its edges: a turn whose CLI is gone, a card that can't be shown, a
 * row ended behind the service's back, the bridge's own rule check, and two tabs of one agent.
 * Real SQLite; the turn is a stand-in where the edge can't be reached through a real CLI.
 */
let services: ReturnType<typeof createTestServices>;
const bin = tempDir("maestro-ask-edge-bin-");
let cli: string;
const OWNER = { kind: "owner" as const, id: "dev1", label: "Pixel 8" };

beforeAll(() => {
  cli = writeAskingCli(bin);
  services = createTestServices({ turns: { idleTimeoutMs: 5000 }, approvals: { timeoutMs: 20_000 } });
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(bin, { recursive: true, force: true });
});

async function agentWithTab(name: string) {
  const agent = await services.agents.create({ name, folder: tempDir("maestro-ask-edge-"), provider: "claude" });
  await services.db.agent.update({
    where: { id: agent.id },
    data: { settingsJson: JSON.stringify({ binaryPath: cli, permissionMode: "ask" }) },
  });
  const [tab] = await services.tabs.list(agent.id);
  return { agent, tab: tab! };
}

/** A turn as the service sees it; `delivers` says whether the CLI is still there to hear answers. */
function standIn(agentId: string, tabId: string, over: Partial<ApprovalTurn> = {}, delivers = true) {
  const replies: (ApprovalReply | null)[] = [];
  const decisions: ApprovalDecisionEvent[] = [];
  const turn: ApprovalTurn = {
    turnId: randomUUID(),
    tabId,
    agentId,
    runId: null,
    providerId: "codex",
    show: () => undefined,
    deliver: (_id, reply, event) => {
      if (reply && !delivers) return false;
      replies.push(reply);
      decisions.push(event);
      return true;
    },
    ...over,
  };
  return { turn, replies, decisions };
}

const ask = (toolName: string, input: unknown): ApprovalRequest => ({
  type: "approval_request",
  requestId: randomUUID(),
  toolName,
  input,
});
const rowsOf = (agentId: string) => services.db.approval.findMany({ where: { agentId }, orderBy: { createdAt: "asc" } });

describe("answers that never reached the CLI", () => {
  test("the CLI is gone: the row ends cancelled, the answer is a CONFLICT, nothing is recorded as allowed", async () => {
    const { agent, tab } = await agentWithTab("Gone");
    const s = standIn(agent.id, tab.id, {}, false);
    await services.approvals.request(s.turn, ask("Bash", { command: "touch x" }));
    const [row] = await rowsOf(agent.id);
    expect(services.approvals.isWaiting(agent.id)).toBe(true);
    await expect(services.approvals.answer({ approvalId: row!.id, decision: "allow" }, OWNER)).rejects.toMatchObject({
      code: "CONFLICT",
      message: "The turn had ended before the answer reached it.",
    });
    expect(await services.db.approval.findUniqueOrThrow({ where: { id: row!.id } })).toMatchObject({
      status: "cancelled",
      decidedByLabel: "Maestro",
      message: "The turn had ended before the answer reached it.",
    });
    expect(s.decisions).toEqual([
      {
        type: "approval_decision",
        approvalId: row!.id,
        status: "cancelled",
        by: "Maestro",
        message: "The turn had ended before the answer reached it.",
      },
    ]);
    expect(services.approvals.isWaiting(agent.id)).toBe(false);
    expect((await services.history.list({ agentId: agent.id, kinds: ["approval"] })).items).toEqual([]);
  });

  test("the card can't be shown: the request is not left live, its row ends cancelled", async () => {
    const { agent, tab } = await agentWithTab("NoCard");
    const s = standIn(agent.id, tab.id, {
      show: () => {
        throw new Error("disk full");
      },
    });
    await expect(services.approvals.request(s.turn, ask("Bash", { command: "touch y" }))).rejects.toThrow("disk full");
    const [row] = await rowsOf(agent.id);
    expect(row).toMatchObject({ status: "cancelled", decidedByKind: "system" });
    expect(services.approvals.isWaiting(agent.id)).toBe(false);
    expect(await services.approvals.pending({ agentId: agent.id })).toEqual([]);
  });

  test("a row ended behind the service's back: the answer conflicts and the live request is dropped", async () => {
    const { agent, tab } = await agentWithTab("Behind");
    const s = standIn(agent.id, tab.id);
    await services.db.agent.update({ where: { id: agent.id }, data: { status: "busy" } });
    await services.approvals.request(s.turn, ask("Bash", { command: "touch z" }));
    expect((await services.agents.byId(agent.id)).status).toBe("waiting");
    const [row] = await rowsOf(agent.id);
    await services.db.approval.update({ where: { id: row!.id }, data: { status: "expired" } });
    await expect(services.approvals.answer({ approvalId: row!.id, decision: "allow" }, OWNER)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(services.approvals.isWaiting(agent.id)).toBe(false);
    expect((await services.agents.byId(agent.id)).status).toBe("busy");
    expect(s.replies).toEqual([]);
  });

  test("always: a rule that can't be stored leaves the request waiting; the CLI heard nothing", async () => {
    const { agent, tab } = await agentWithTab("NoStore");
    const s = standIn(agent.id, tab.id);
    await services.approvals.request(s.turn, ask("Write", { file_path: "/p/a.txt" }));
    const [row] = await rowsOf(agent.id);
    // The rule's agent is gone from under it: storing fails after the answer won.
    await services.db.$executeRawUnsafe(
      `CREATE TRIGGER refuse_rule BEFORE INSERT ON "PermissionRule" BEGIN SELECT RAISE(ABORT, 'disk says no'); END`,
    );
    try {
      await expect(services.approvals.answer({ approvalId: row!.id, decision: "always" }, OWNER)).rejects.toThrow();
    } finally {
      await services.db.$executeRawUnsafe("DROP TRIGGER refuse_rule");
    }
    expect(s.replies).toEqual([]);
    expect((await services.db.approval.findUniqueOrThrow({ where: { id: row!.id } })).status).toBe("pending");
    expect(services.approvals.isWaiting(agent.id)).toBe(true);
    await services.approvals.answer({ approvalId: row!.id, decision: "always" }, OWNER);
    expect(s.replies).toEqual([{ behavior: "allow", sessionRule: "Write" }]);
    expect((await services.approvals.rules.list({ agentId: agent.id })).map((r) => r.rule)).toEqual(["Write"]);
  });
});

describe("the bridge's own rule check", () => {
  test("for a CLI without rules: a path rule allows inside, never through `..`", async () => {
    const { agent, tab } = await agentWithTab("Globs");
    await services.approvals.rules.add({ agentId: agent.id, rule: "Edit(/p/src/*)" });
    const s = standIn(agent.id, tab.id);
    await services.approvals.request(s.turn, ask("Edit", { file_path: "/p/src/a.ts" }));
    await services.approvals.request(s.turn, ask("Edit", { file_path: "/p/src/../.env" }));
    expect((await rowsOf(agent.id)).map((r) => [r.status, r.decidedByLabel])).toEqual([
      ["allowed", "rule"],
      ["pending", null],
    ]);
  });

  test("allowed by rule but the CLI is gone: the row says it never reached the CLI", async () => {
    const { agent, tab } = await agentWithTab("RuleGone");
    await services.approvals.rules.add({ agentId: agent.id, rule: "Write" });
    await services.approvals.request(standIn(agent.id, tab.id, {}, false).turn, ask("Write", { file_path: "/p/a.txt" }));
    expect((await rowsOf(agent.id)).map((r) => [r.status, r.message])).toEqual([
      ["cancelled", "The turn had ended before the answer reached it."],
    ]);
  });

  test("a CLI that got the rules (claude) asked because they did not allow it: a person decides", async () => {
    const { agent, tab } = await agentWithTab("Claude");
    await services.approvals.rules.add({ agentId: agent.id, rule: "Bash" });
    const s = standIn(agent.id, tab.id, { providerId: "claude", cliHasRules: true });
    await services.approvals.request(s.turn, ask("Bash", { command: "touch w" }));
    expect((await rowsOf(agent.id)).map((r) => r.status)).toEqual(["pending"]);
    expect(s.replies).toEqual([]);
  });
});

describe("two tabs of one agent", () => {
  test("another tab's turn starting and ending leaves the agent waiting while a request waits", async () => {
    const { agent, tab: a } = await agentWithTab("TwoTabs");
    const b = await services.tabs.create(agent.id);
    const first = await services.turns.start({ tabId: a.id, prompt: "touch a.txt" });
    const pa = await until("tab A's request", async () => (await services.approvals.pending({ agentId: agent.id }))[0]);
    expect((await services.agents.byId(agent.id)).status).toBe("waiting");

    const second = await services.turns.start({ tabId: b.id, prompt: "touch b.txt" });
    expect((await services.agents.byId(agent.id)).status).toBe("waiting");
    const pb = await until("tab B's request", async () =>
      (await services.approvals.pending({ agentId: agent.id })).find((p) => p.id !== pa.id),
    );
    await services.approvals.answer({ approvalId: pb.id, decision: "allow" }, OWNER);
    expect((await second.outcome).status).toBe("done");
    expect((await services.agents.byId(agent.id)).status).toBe("waiting");

    await services.approvals.answer({ approvalId: pa.id, decision: "allow" }, OWNER);
    expect((await first.outcome).status).toBe("done");
    expect((await services.agents.byId(agent.id)).status).toBe("idle");
  });

  test("a turn ending while another tab's request waits leaves the agent waiting", async () => {
    const { agent, tab: a } = await agentWithTab("BusyTabs");
    const b = await services.tabs.create(agent.id);
    const first = await services.turns.start({ tabId: a.id, prompt: "touch a.txt" });
    const pa = await until("tab A's request", async () => (await services.approvals.pending({ agentId: agent.id }))[0]);
    const second = await services.turns.start({ tabId: b.id, prompt: "touch b.txt" });
    const pb = await until("tab B's request", async () =>
      (await services.approvals.pending({ agentId: agent.id })).find((p) => p.id !== pa.id),
    );
    await services.approvals.answer({ approvalId: pa.id, decision: "allow" }, OWNER);
    expect((await first.outcome).status).toBe("done");
    expect((await services.agents.byId(agent.id)).status).toBe("waiting");
    await services.turns.stop(b.id);
    await second.outcome;
    expect((await services.agents.byId(agent.id)).status).toBe("idle");
    expect((await services.db.approval.findUniqueOrThrow({ where: { id: pb.id } })).status).toBe("cancelled");
  });
});

describe("large inputs", () => {
  test("pending clips nested strings and long lists; the row keeps the whole input", async () => {
    const { agent, tab } = await agentWithTab("Large");
    const big = {
      file_path: "/p/a.txt",
      edits: Array.from({ length: 400 }, (_, i) => ({ old_string: `${i}`, new_string: "x".repeat(20_000) })),
    };
    await services.approvals.request(standIn(agent.id, tab.id).turn, ask("MultiEdit", big));
    const [p] = await services.approvals.pending({ agentId: agent.id });
    const shown = p!.input as { file_path: string; edits: unknown[] };
    expect(shown.file_path).toBe("/p/a.txt");
    expect(JSON.stringify(shown).length).toBeLessThan(64 * 1024);
    expect(shown.edits.at(-1)).toBe("… (350 more items)");
    const [row] = await rowsOf(agent.id);
    expect(JSON.parse(row!.inputJson)).toEqual(big);
  });
});
