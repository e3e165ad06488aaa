import fs from "node:fs";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { callerFor, createTestServices, pairedOwner, sharedSession, startTestBridge, tempDir } from "../testing/harness";
import { writeAskingCli, until } from "../services/turns/asking-cli.testkit";

/**
 * The approvals procedures through the router with real services and a real asking CLI (a fake
 * claude speaking the control protocol): who may answer (the owner, a control link of the agent
 * that may approve), what each sees waiting, the rules, and a tab's own permission mode.
 */
let services: ReturnType<typeof createTestServices>;
let owner: ReturnType<typeof callerFor>;
const bin = tempDir("maestro-approvals-bin-");
const folders: string[] = [];
let cli = "";

beforeAll(async () => {
  cli = writeAskingCli(bin);
  services = createTestServices({ turns: { idleTimeoutMs: 5000 }, approvals: { timeoutMs: 20_000 } });
  owner = callerFor(services, (await pairedOwner(services, "Pixel 7")).principal);
});
afterAll(async () => {
  await services.cleanup();
  for (const dir of [bin, ...folders]) fs.rmSync(dir, { recursive: true, force: true });
});

const forbidden = (e: unknown) => e instanceof TRPCError && e.code === "FORBIDDEN";

async function askingAgent(name: string) {
  const folder = tempDir("maestro-approvals-project-");
  folders.push(folder);
  const agent = await owner.agents.create({ name, folder, provider: "claude" });
  await owner.agents.updateSettings({ id: agent.id, settings: { binaryPath: cli, permissionMode: "ask" } });
  const [tab] = await owner.tabs.list({ agentId: agent.id });
  return { agentId: agent.id, tabId: tab!.id, folder };
}

/** Starts a turn that asks to `touch file` and waits for its request. */
async function ask(a: { agentId: string; tabId: string }, file: string) {
  const { outcome } = await services.turns.start({ tabId: a.tabId, prompt: `touch ${file}` });
  const pending = await until("a pending request", async () => (await owner.approvals.pending({ agentId: a.agentId }))[0]);
  return { pending, outcome };
}

describe("answering", () => {
  test("the owner allows: the CLI runs it, the answer names the device, the list empties", async () => {
    const a = await askingAgent("Owner answers");
    const { pending, outcome } = await ask(a, "ok.txt");
    expect(pending).toMatchObject({
      agentId: a.agentId,
      tabId: a.tabId,
      toolName: "Bash",
      kind: "tool",
      actions: true,
      input: { command: "touch ok.txt" },
    });
    expect(pending.createdAt).toBeInstanceOf(Date);
    await expect(owner.approvals.answer({ approvalId: pending.id, decision: "allow" })).resolves.toEqual({
      approvalId: pending.id,
      status: "allowed",
    });
    expect((await outcome).status).toBe("done");
    expect(fs.existsSync(path.join(a.folder, "ok.txt"))).toBe(true);
    expect(await services.db.approval.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      status: "allowed",
      decidedByKind: "owner",
      decidedByLabel: "Pixel 7",
    });
    expect(await owner.approvals.pending({ agentId: a.agentId })).toEqual([]);
    // A second answer (another device, the notification) is told what happened.
    await expect(owner.approvals.answer({ approvalId: pending.id, decision: "deny" })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  test("a control link that may approve denies with a reason; History says which link", async () => {
    const a = await askingAgent("Link answers");
    const { pending, outcome } = await ask(a, "no.txt");
    const link = await sharedSession(services, { agentId: a.agentId, permission: "control", canApprove: true, label: "Ana" });
    const teammate = callerFor(services, link.principal);
    await expect(teammate.approvals.answer({ approvalId: pending.id, decision: "deny", message: "Not today." })).resolves.toEqual({
      approvalId: pending.id,
      status: "denied",
    });
    expect((await outcome).reply.text).toBe("denied: Not today.");
    expect(fs.existsSync(path.join(a.folder, "no.txt"))).toBe(false);
    expect(await services.db.approval.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      decidedByKind: "share",
      decidedById: link.link.id,
      decidedByLabel: "Ana",
    });
    const shareUse = await services.db.historyEntry.findMany({ where: { kind: "share-use", agentId: a.agentId } });
    expect(shareUse.map((h) => h.summary)).toContain("Ana answered a tool approval through a share link");
  });

  test("a view link, a control link without the right, and another agent's approving link are refused (FORBIDDEN); the request still waits", async () => {
    const a = await askingAgent("Refusals");
    const other = await askingAgent("Other agent");
    const { pending, outcome } = await ask(a, "still.txt");
    const view = await sharedSession(services, { agentId: a.agentId, permission: "view" });
    const control = await sharedSession(services, { agentId: a.agentId, permission: "control" });
    const elsewhere = await sharedSession(services, { agentId: other.agentId, permission: "control", canApprove: true });
    for (const s of [view, control, elsewhere]) {
      await expect(callerFor(services, s.principal).approvals.answer({ approvalId: pending.id, decision: "allow" })).rejects.toSatisfy(
        forbidden,
      );
    }
    await expect(callerFor(services, control.principal).approvals.answer({ approvalId: pending.id, decision: "allow" })).rejects.toThrow(
      /may not answer tool approvals/,
    );
    expect((await owner.approvals.pending({ agentId: a.agentId })).map((p) => p.id)).toEqual([pending.id]);
    await owner.approvals.answer({ approvalId: pending.id, decision: "deny" });
    await outcome;
  });

  test("an id that names no request is FORBIDDEN for a link (nothing revealed), NOT_FOUND for the owner", async () => {
    const a = await askingAgent("Unknown ids");
    const link = await sharedSession(services, { agentId: a.agentId, permission: "control", canApprove: true });
    await expect(
      callerFor(services, link.principal).approvals.answer({ approvalId: "no-such-request", decision: "allow" }),
    ).rejects.toSatisfy(forbidden);
    await expect(owner.approvals.answer({ approvalId: "no-such-request", decision: "allow" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("the request a notification's Allow button sends (public/sw-push.js)", () => {
  test("answers over HTTP with the device's cookie; a second tap gets 409 (the worker then opens the turn)", async () => {
    const bridge = await startTestBridge(services);
    try {
      const { sessionToken } = await pairedOwner(services, "Phone in a pocket");
      const a = await askingAgent("From the notification");
      const { pending, outcome } = await ask(a, "tap.txt");
      // Exactly what the worker sends: same origin (so the browser adds Origin), the cookie, superjson's envelope.
      const tap = () =>
        fetch(`${bridge.base}/api/trpc/approvals.answer`, {
          method: "POST",
          headers: { cookie: `maestro_session=${sessionToken}`, origin: bridge.base, "content-type": "application/json" },
          body: JSON.stringify({ json: { approvalId: pending.id, decision: "allow" } }),
        });
      const first = await tap();
      expect(first.status).toBe(200);
      expect(((await first.json()) as { result: { data: { json: unknown } } }).result.data.json).toEqual({
        approvalId: pending.id,
        status: "allowed",
      });
      expect((await outcome).reply.text).toBe("allowed touch tap.txt");
      expect(await services.db.approval.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
        decidedByLabel: "Phone in a pocket",
      });
      const again = await tap();
      expect(again.status).toBe(409);
      await again.body?.cancel();
      // Signed out (no cookie): 401, and the worker opens the turn (where pairing takes over).
      const anonymous = await fetch(`${bridge.base}/api/trpc/approvals.answer`, {
        method: "POST",
        headers: { origin: bridge.base, "content-type": "application/json" },
        body: JSON.stringify({ json: { approvalId: pending.id, decision: "allow" } }),
      });
      expect(anonymous.status).toBe(401);
      await anonymous.body?.cancel();
    } finally {
      await bridge.close();
    }
  });
});

describe("what waits, and who sees it", () => {
  test("a link sees its own agent's requests only, also without naming the agent; the owner sees all", async () => {
    const a = await askingAgent("Seen A");
    const b = await askingAgent("Seen B");
    const first = await ask(a, "a.txt");
    const second = await ask(b, "b.txt");
    const linkA = callerFor(services, (await sharedSession(services, { agentId: a.agentId, permission: "view" })).principal);
    expect((await linkA.approvals.pending({})).map((p) => p.id)).toEqual([first.pending.id]);
    expect((await linkA.approvals.pending({ agentId: a.agentId })).map((p) => p.id)).toEqual([first.pending.id]);
    await expect(linkA.approvals.pending({ agentId: b.agentId })).rejects.toSatisfy(forbidden);
    const all = (await owner.approvals.pending({})).map((p) => p.id);
    expect(all).toEqual(expect.arrayContaining([first.pending.id, second.pending.id]));
    // Only named fields leave the bridge (the row's columns beyond them stay).
    expect(Object.keys((await linkA.approvals.pending({}))[0]!).sort()).toEqual(
      [
        "actions",
        "agentId",
        "agentName",
        "blockedPath",
        "createdAt",
        "expiresAt",
        "id",
        "input",
        "kind",
        "noAlwaysAllow",
        "reason",
        "runId",
        "suggestedRule",
        "tabId",
        "toolName",
        "toolUseId",
        "turnId",
      ].sort(),
    );
    await owner.approvals.answer({ approvalId: first.pending.id, decision: "deny" });
    await owner.approvals.answer({ approvalId: second.pending.id, decision: "deny" });
    await Promise.all([first.outcome, second.outcome]);
  });

  test("onChanged: a link hears its agent's requests open and end, not another agent's", async () => {
    const a = await askingAgent("Changes A");
    const b = await askingAgent("Changes B");
    const link = callerFor(services, (await sharedSession(services, { agentId: a.agentId, permission: "view" })).principal);
    const stream = (await link.approvals.onChanged()) as AsyncIterable<{ agentId: string | null; approvalId: string; status: string }>;
    const it = stream[Symbol.asyncIterator]();
    // The "listening" mark (about no agent) passes the scope; from then on the bus is attached.
    expect((await it.next()).value).toEqual({ agentId: null, turnId: "", approvalId: "", status: "listening" });
    const seen: { agentId: string | null; status: string }[] = [];
    const reading = (async () => {
      for (;;) {
        const e = (await it.next()).value!;
        seen.push({ agentId: e.agentId, status: e.status });
        if (e.status !== "pending") break;
      }
    })();
    const fromB = await ask(b, "b.txt");
    const fromA = await ask(a, "a.txt");
    await owner.approvals.answer({ approvalId: fromA.pending.id, decision: "allow" });
    await reading;
    await it.return?.();
    expect(seen).toEqual([
      { agentId: a.agentId, status: "pending" },
      { agentId: a.agentId, status: "allowed" },
    ]);
    await owner.approvals.answer({ approvalId: fromB.pending.id, decision: "deny" });
    await Promise.all([fromA.outcome, fromB.outcome]);
  });
});

describe("rules", () => {
  test("the owner adds (named after the device), lists and removes them; a bad rule says what a rule is", async () => {
    const a = await askingAgent("Rules");
    const added = await owner.approvals.addRule({ agentId: a.agentId, rule: "Bash(npm test:*)" });
    expect(added).toMatchObject({ rule: "Bash(npm test:*)", tool: "Bash", ruleContent: "npm test:*", createdByLabel: "Pixel 7" });
    expect((await owner.approvals.rules({ agentId: a.agentId })).map((r) => r.rule)).toEqual(["Bash(npm test:*)"]);
    await expect(owner.approvals.addRule({ agentId: a.agentId, rule: "rm -rf /" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "A rule is a tool name, optionally with what it may do in brackets: Bash(npm test:*).",
    });
    await expect(owner.approvals.removeRule({ ruleId: added.id })).resolves.toEqual({ id: added.id });
    expect(await owner.approvals.rules({ agentId: a.agentId })).toEqual([]);
  });

  test("are the owner's: even a link that may approve cannot list, add or remove them", async () => {
    const a = await askingAgent("Rules are the owner's");
    const rule = await owner.approvals.addRule({ agentId: a.agentId, rule: "Write" });
    const link = callerFor(
      services,
      (await sharedSession(services, { agentId: a.agentId, permission: "control", canApprove: true })).principal,
    );
    await expect(link.approvals.rules({ agentId: a.agentId })).rejects.toSatisfy(forbidden);
    await expect(link.approvals.addRule({ agentId: a.agentId, rule: "Bash" })).rejects.toSatisfy(forbidden);
    await expect(link.approvals.removeRule({ ruleId: rule.id })).rejects.toSatisfy(forbidden);
    expect((await owner.approvals.rules({ agentId: a.agentId })).map((r) => r.rule)).toEqual(["Write"]);
  });
});

describe("a tab's permission mode", () => {
  test("is stored for the tab, listed with it, announced, and cleared back to the agent's", async () => {
    const { agentId, tabId } = await askingAgent("Tab mode");
    const seen: string[] = [];
    const stop = services.bus.subscribe("tabs.changed", (e) => seen.push(e.agentId));
    await expect(owner.tabs.setPermissionMode({ tabId, mode: "acceptEdits" })).resolves.toEqual({ tabId, permissionMode: "acceptEdits" });
    expect((await owner.tabs.list({ agentId })).find((t) => t.id === tabId)?.permissionMode).toBe("acceptEdits");
    await owner.tabs.setPermissionMode({ tabId, mode: null });
    expect((await owner.tabs.list({ agentId })).find((t) => t.id === tabId)?.permissionMode).toBeNull();
    stop();
    expect(seen).toEqual([agentId, agentId]);
  });

  test("a mode that is not one is refused; an unknown tab is NOT_FOUND; a control link cannot set it", async () => {
    const { agentId, tabId } = await askingAgent("Tab mode refusals");
    await expect(owner.tabs.setPermissionMode({ tabId, mode: "yolo" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(owner.tabs.setPermissionMode({ tabId: "no-such-tab", mode: "plan" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const { principal } = await sharedSession(services, { agentId, permission: "control", canApprove: true });
    await expect(callerFor(services, principal).tabs.setPermissionMode({ tabId, mode: "bypass" })).rejects.toSatisfy(forbidden);
    expect((await owner.tabs.list({ agentId })).find((t) => t.id === tabId)?.permissionMode).toBeNull();
  });
});
