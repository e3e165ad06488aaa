import fs from "node:fs";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { agentTabPath } from "../../../lib/push/messages";
import { startPushReceiver, type PushReceiver } from "../../testing/push-receiver";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../../testing/harness";
import { loadOrCreateVapidKeys, vapidFile } from "./vapid";

let receiver: PushReceiver;
let services: ReturnType<typeof createTestServices>;
let caller: ReturnType<typeof callerFor>;
let sessionId: string;
let project: string;
const simHome = tempDir("maestro-simhome-");

beforeAll(async () => {
  process.env.MAESTRO_SIM_HOME = simHome;
  receiver = await startPushReceiver();
  services = createTestServices({ push: { httpsAgent: receiver.agent, log: () => {} }, turns: { idleTimeoutMs: 5000, stopGraceMs: 300 } });
  receiver.expectVapidKey(services.push.publicKey());
  const owner = await pairedOwner(services, "Pixel 7");
  sessionId = owner.principal.sessionId;
  caller = callerFor(services, owner.principal);
  project = tempDir("maestro-push-project-");
});
afterAll(async () => {
  await services.cleanup();
  await receiver.close();
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(simHome, { recursive: true, force: true });
});
beforeEach(async () => {
  await services.db.pushSubscription.deleteMany();
  receiver.deliveries.length = 0;
  receiver.problems.length = 0;
});
afterEach(() => {
  // A correct sender never gets refused by the receiver (bad JWT, bad encryption, bad headers).
  expect(receiver.problems).toEqual([]);
});

async function subscribe(deviceLabel = "Pixel 7") {
  const sub = receiver.newSubscription();
  await caller.push.subscribe({ ...sub.json, deviceLabel });
  return sub;
}

describe("VAPID keys", () => {
  test("are made at start in the data dir, private to the user, and kept across restarts", () => {
    const file = vapidFile(services.dataDir);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(stored.publicKey).toBe(services.push.publicKey());
    expect(loadOrCreateVapidKeys(services.dataDir)).toEqual(stored);
  });

  test("a broken key file is a clear error, not a silent new key pair", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "vapid.json"), '{"publicKey": 1}');
    expect(() => loadOrCreateVapidKeys(dir)).toThrow(/not a VAPID key file/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("MAESTRO_PUSH_SUBJECT overrides the subject", () => {
    expect(loadOrCreateVapidKeys(services.dataDir, "https://maestro.example.org").subject).toBe("https://maestro.example.org");
  });
});

describe("delivery", () => {
  test("a test notification arrives encrypted for that device and decrypts to the message", async () => {
    const sub = await subscribe();
    const report = await caller.push.test({ endpoint: sub.json.endpoint });
    expect(report).toEqual({ sent: 1, failed: 0, removed: 0 });
    const [delivery] = receiver.deliveriesFor(sub.id);
    expect(delivery?.payload).toEqual({
      kind: "test",
      title: "Maestro notifications work",
      body: expect.any(String),
      url: "/settings#notifications",
      tag: "test",
    });
    expect(delivery?.claims).toMatchObject({ aud: receiver.origin, sub: expect.stringMatching(/^(mailto|https):/) });
    expect(delivery?.headers.ttl).toBe(86400);
    const [row] = await caller.push.list();
    expect(row).toMatchObject({ deviceLabel: "Pixel 7", failures: 0, thisSession: true, lastSuccessAt: expect.any(Date) });
  });

  test("an Auto Run that finishes sends exactly one run-done payload per device, with its deep link", async () => {
    const phone = await subscribe("Pixel 7");
    const laptop = await subscribe("Laptop");
    services.bus.publish("notify", {
      kind: "run-done",
      agentId: "agent-1",
      title: "Auto Run finished",
      body: "Backend: 12 of 12 tasks done in 2 documents",
      url: "/autorun?agent=agent-1&run=run-9",
    });
    await services.push.idle();
    const expected = {
      kind: "run-done",
      title: "Auto Run finished",
      body: "Backend: 12 of 12 tasks done in 2 documents",
      url: "/autorun?agent=agent-1&run=run-9",
      tag: "run-done:agent-1",
    };
    expect(receiver.deliveriesFor(phone.id).map((d) => d.payload)).toEqual([expected]);
    expect(receiver.deliveriesFor(laptop.id).map((d) => d.payload)).toEqual([expected]);
    expect(receiver.deliveries).toHaveLength(2);
  });

  test("a request for approval arrives as 'needs you' with the turn's deep link, its id and Allow/Deny, urgently", async () => {
    const sub = await subscribe();
    const url = agentTabPath("agent-1", "tab-1");
    services.bus.publish("notify", {
      kind: "approval",
      agentId: "agent-1",
      title: "Backend needs you",
      body: "Claude wants to run: touch hi.txt",
      url,
      approvalId: "appr-1",
      actions: true,
    });
    services.bus.publish("notify", {
      kind: "approval",
      agentId: "agent-1",
      title: "Backend asks you",
      body: "Which colour should the button be?",
      url,
      approvalId: "appr-2",
      actions: false,
    });
    await services.push.idle();
    const deliveries = receiver.deliveriesFor(sub.id);
    expect(deliveries.map((d) => d.payload)).toEqual([
      {
        kind: "approval",
        title: "Backend needs you",
        body: "Claude wants to run: touch hi.txt",
        url: "/agents/agent-1?tab=tab-1",
        tag: "approval:appr-1",
        approvalId: "appr-1",
        requireInteraction: true,
        actions: [
          { action: "allow", title: "Allow" },
          { action: "deny", title: "Deny" },
        ],
      },
      {
        kind: "approval",
        title: "Backend asks you",
        body: "Which colour should the button be?",
        url: "/agents/agent-1?tab=tab-1",
        tag: "approval:appr-2",
        approvalId: "appr-2",
        requireInteraction: true,
      },
    ]);
    expect(deliveries.map((d) => d.headers.urgency)).toEqual(["high", "high"]);
  });

  test("a request for approval is pushed even while the app is on screen somewhere", async () => {
    const sub = await subscribe();
    await caller.push.presence({ clientId: "laptop-tab-1", visible: true });
    services.bus.publish("notify", {
      kind: "approval",
      agentId: "a",
      title: "t",
      body: "b",
      url: "/",
      approvalId: "appr-3",
      actions: true,
    });
    await services.push.idle();
    expect(receiver.deliveriesFor(sub.id).map((d) => (d.payload as { tag: string }).tag)).toEqual(["approval:appr-3"]);
    await caller.push.presence({ clientId: "laptop-tab-1", visible: false });
  });

  test("a group chat's answer is pushed only while the app is hidden everywhere", async () => {
    const sub = await subscribe();
    const answered = (title: string) =>
      services.bus.publish("notify", {
        kind: "groupchat",
        agentId: "mod",
        title,
        body: "All three agree.",
        url: "/groupchats/c1",
        tag: "groupchat:c1",
      });
    await caller.push.presence({ clientId: "chat-tab-1", visible: true });
    answered("Group chat answered: seen on screen");
    await caller.push.presence({ clientId: "chat-tab-1", visible: false });
    answered("Group chat answered: Ship it");
    await services.push.idle();
    expect(receiver.deliveriesFor(sub.id).map((d) => d.payload)).toEqual([
      { kind: "groupchat", title: "Group chat answered: Ship it", body: "All three agree.", url: "/groupchats/c1", tag: "groupchat:c1" },
    ]);
  });

  test("a request that stops waiting withdraws its notification (same tag); pending changes and unknown requests send nothing", async () => {
    const sub = await subscribe();
    const notify = (approvalId: string) =>
      services.bus.publish("notify", { kind: "approval", agentId: "ag", title: "t", body: "b", url: "/", approvalId, actions: true });
    notify("appr-10");
    notify("appr-11");
    const changed = (approvalId: string, status: string) =>
      services.bus.publish("approvals.changed", { agentId: "ag", turnId: "tu", approvalId, status });
    changed("appr-10", "pending");
    changed("appr-10", "allowed");
    changed("appr-10", "allowed");
    changed("appr-11", "expired");
    changed("appr-never-notified", "cancelled");
    await services.push.idle();
    const payloads = receiver.deliveriesFor(sub.id).map((d) => d.payload as { kind: string; tag: string });
    // Sent concurrently: compared in tag order.
    const ended = payloads.filter((p) => p.kind === "approval-ended").sort((a, b) => a.tag.localeCompare(b.tag));
    expect(ended).toEqual([
      { kind: "approval-ended", title: "Request allowed", body: "Nothing to answer any more.", url: "/agents/ag", tag: "approval:appr-10" },
      {
        kind: "approval-ended",
        title: "Request timed out",
        body: "Nothing to answer any more.",
        url: "/agents/ag",
        tag: "approval:appr-11",
      },
    ]);
    expect(payloads).toHaveLength(4);
  });

  test.each(["task-failed", "run-paused"] as const)("%s is sent with high urgency", async (kind) => {
    const sub = await subscribe();
    services.bus.publish("notify", { kind, agentId: "a", title: "t", body: "b", url: "/autorun" });
    await services.push.idle();
    expect(receiver.deliveriesFor(sub.id).map((d) => d.headers.urgency)).toEqual(["high"]);
  });

  test.each([404, 410])("a push service answering %i drops the subscription", async (status) => {
    const gone = await subscribe("Old phone");
    const kept = await subscribe("Laptop");
    receiver.respondWith(gone.id, status);
    const report = await caller.push.test({});
    expect(report).toEqual({ sent: 1, failed: 0, removed: 1 });
    expect((await caller.push.list()).map((r) => r.deviceLabel)).toEqual(["Laptop"]);
    expect(receiver.deliveriesFor(kept.id)).toHaveLength(1);
  });

  test("a push service answering 500 keeps the subscription and counts the failure", async () => {
    const sub = await subscribe();
    receiver.respondWith(sub.id, 500);
    expect(await caller.push.test({})).toEqual({ sent: 0, failed: 1, removed: 0 });
    expect(await caller.push.list()).toEqual([expect.objectContaining({ failures: 1, lastError: "push service answered 500" })]);
    receiver.respondWith(sub.id, 201);
    await caller.push.test({});
    expect(await caller.push.list()).toEqual([expect.objectContaining({ failures: 0, lastError: null })]);
  });

  test("an unreachable push service is a failure, not a crash", async () => {
    await caller.push.subscribe({ ...receiver.newSubscription().json, endpoint: "https://127.0.0.1:1/push/x" });
    expect(await caller.push.test({})).toEqual({ sent: 0, failed: 1, removed: 0 });
  });
});

describe("a turn that finishes", () => {
  async function runTurn(prompt: string, origin: "user" | "autorun" = "user") {
    const agent = await services.agents.create({ name: "Backend", folder: project, provider: "simulator" });
    const [tab] = await services.tabs.list(agent.id);
    await services.turns.send({ tabId: tab!.id, prompt, origin });
    await services.turns.settled(tab!.id);
    await services.push.idle();
    return { agentId: agent.id, tabId: tab!.id };
  }

  test("while the app is on screen somewhere: no push", async () => {
    const sub = await subscribe();
    await caller.push.presence({ clientId: "page-load-1", visible: true });
    await runTurn("Say hello");
    expect(receiver.deliveriesFor(sub.id)).toEqual([]);
    await caller.push.presence({ clientId: "page-load-1", visible: false });
  });

  test("while the app is hidden everywhere: one push that opens that conversation", async () => {
    const sub = await subscribe();
    await caller.push.presence({ clientId: "page-load-2", visible: true });
    await caller.push.presence({ clientId: "page-load-2", visible: false });
    const { agentId, tabId } = await runTurn("Say hello");
    expect(receiver.deliveriesFor(sub.id).map((d) => d.payload)).toEqual([
      { kind: "turn-done", title: "Backend finished", body: "“Say hello”", url: agentTabPath(agentId, tabId), tag: `turn:${tabId}` },
    ]);
  });

  test("an Auto Run task's turn sends nothing of its own (the runner notifies per task and run)", async () => {
    const sub = await subscribe();
    await caller.push.presence({ clientId: "page-load-3", visible: false });
    await runTurn("Do the first unchecked task", "autorun");
    expect(receiver.deliveriesFor(sub.id)).toEqual([]);
  });
});

describe("router", () => {
  test("refuses an endpoint that is not https", async () => {
    const sub = receiver.newSubscription();
    await expect(caller.push.subscribe({ ...sub.json, endpoint: "http://127.0.0.1/push/x" })).rejects.toThrow(/must be an https URL/);
    await expect(caller.push.subscribe({ ...sub.json, keys: { ...sub.json.keys, auth: "AAAA" } })).rejects.toThrow(/16-byte/);
    expect(await caller.push.list()).toEqual([]);
  });

  test("subscribing the same endpoint again updates it instead of adding a row", async () => {
    const sub = await subscribe("Phone");
    await caller.push.subscribe({ ...sub.json, deviceLabel: "Phone (renamed)" });
    expect((await caller.push.list()).map((r) => r.deviceLabel)).toEqual(["Phone (renamed)"]);
    await caller.push.subscribe({ ...sub.json });
    expect((await caller.push.list()).map((r) => r.deviceLabel)).toEqual(["Phone (renamed)"]);
  });

  test("remove, unsubscribe, and a test with nobody subscribed", async () => {
    const a = await subscribe("A");
    const b = await subscribe("B");
    const [rowA] = await caller.push.list();
    await caller.push.remove({ id: rowA!.id });
    await expect(caller.push.remove({ id: rowA!.id })).rejects.toSatisfy((e: unknown) => e instanceof TRPCError && e.code === "NOT_FOUND");
    expect(await caller.push.unsubscribe({ endpoint: b.json.endpoint })).toEqual({ removed: true });
    await expect(caller.push.test({ endpoint: a.json.endpoint })).rejects.toThrow(/not subscribed/);
    await expect(caller.push.test({})).rejects.toThrow(/No device has notifications on/);
  });

  test("revoking a device drops the subscriptions it made", async () => {
    const other = await pairedOwner(services, "Tablet");
    await callerFor(services, other.principal).push.subscribe({ ...receiver.newSubscription().json, deviceLabel: "Tablet" });
    await subscribe("Pixel 7");
    await caller.devices.revoke({ id: other.principal.sessionId });
    await services.push.idle();
    expect((await caller.push.list()).map((r) => r.deviceLabel)).toEqual(["Pixel 7"]);
    expect(sessionId).toBeTruthy();
  });
});
