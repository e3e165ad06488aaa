import type https from "node:https";
import webpush, { WebPushError } from "web-push";
import { approvalEndedMessage, messageFromNotify, testMessage, turnFinishedMessage, type PushMessage } from "../../../lib/push/messages";
import type { SubscribeInput } from "../../../lib/schemas/push";
import type { Db } from "../../db";
import { AppError, errorText } from "../../errors";
import type { Bus } from "../../events/bus";
import { createPresence } from "./presence";
import { loadOrCreateVapidKeys } from "./vapid";

export interface PushDeps {
  db: Db;
  bus: Bus;
  dataDir: string;
  /** Only for tests: an agent that trusts the local receiver's self-signed certificate. */
  httpsAgent?: https.Agent;
  now?: () => number;
  /** A VAPID subject instead of the default (MAESTRO_PUSH_SUBJECT). */
  subject?: string | null;
  log: (line: string) => void;
}

export interface DeliveryReport {
  sent: number;
  failed: number;
  /** Subscriptions the push service called gone (404/410), now deleted. */
  removed: number;
}

/** A day: a phone that is off for a night still hears that the run finished. */
const TTL_SECONDS = 24 * 60 * 60;
const SEND_TIMEOUT_MS = 15_000;
const TERMINAL_TURN = new Set(["done", "error", "stopped"]);
/** Someone must act: delivered at once even to a phone saving battery. */
const URGENT = new Set<PushMessage["kind"]>(["run-paused", "task-failed", "approval"]);

const subscriptionSelect = {
  id: true,
  endpoint: true,
  deviceLabel: true,
  sessionId: true,
  createdAt: true,
  lastSuccessAt: true,
  failures: true,
  lastError: true,
} as const;

/**
 * Web Push: VAPID keys in the data dir, browser subscriptions in the database, and delivery of
 * `notify` bus events (always) and finished turns (only when no device has the app on screen).
 * Approvals are `notify` events, so they go out always: presence knows whether some copy of the
 * app is on screen, not which agent it shows or who holds it, and a request that waits for a
 * person must reach the phone in a pocket even while a laptop shows the dashboard.
 */
export function createPushService(deps: PushDeps) {
  const { db, bus } = deps;
  const now = deps.now ?? Date.now;
  const log = deps.log;
  const vapid = loadOrCreateVapidKeys(deps.dataDir, deps.subject ?? null);
  const presence = createPresence(now);
  const inFlight = new Set<Promise<unknown>>();
  /** Requests this bridge sent a notification for, until they stop waiting (then it is withdrawn). */
  const notifiedApprovals = new Set<string>();

  /** Runs background work so a bus listener never throws, and tests/shutdown can wait for it. */
  function track(work: Promise<unknown>) {
    const p = work.catch((err) => log(`push: ${errorText(err)}`)).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }

  async function deliver(sub: { id: string; endpoint: string; p256dh: string; auth: string }, message: PushMessage) {
    try {
      await webpush.sendNotification({ endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } }, JSON.stringify(message), {
        vapidDetails: vapid,
        TTL: TTL_SECONDS,
        urgency: URGENT.has(message.kind) ? "high" : "normal",
        timeout: SEND_TIMEOUT_MS,
        ...(deps.httpsAgent ? { agent: deps.httpsAgent } : {}),
      });
      await db.pushSubscription.updateMany({
        where: { id: sub.id },
        data: { lastSuccessAt: new Date(now()), failures: 0, lastError: null },
      });
      return "sent" as const;
    } catch (err) {
      const status = err instanceof WebPushError ? err.statusCode : null;
      // RFC 8030: 404/410 mean the subscription expired or was revoked; it never comes back.
      if (status === 404 || status === 410) {
        await db.pushSubscription.deleteMany({ where: { id: sub.id } });
        return "removed" as const;
      }
      const reason = status ? `push service answered ${status}` : (err as Error).message;
      await db.pushSubscription.updateMany({
        where: { id: sub.id },
        data: { failures: { increment: 1 }, lastError: reason.slice(0, 300) },
      });
      return "failed" as const;
    }
  }

  async function broadcast(message: PushMessage, where: { endpoint?: string } = {}): Promise<DeliveryReport> {
    const subs = await db.pushSubscription.findMany({ where, select: { id: true, endpoint: true, p256dh: true, auth: true } });
    const outcomes = await Promise.all(subs.map((s) => deliver(s, message)));
    return {
      sent: outcomes.filter((o) => o === "sent").length,
      failed: outcomes.filter((o) => o === "failed").length,
      removed: outcomes.filter((o) => o === "removed").length,
    };
  }

  async function notifyTurnFinished(turnId: string, tabId: string, status: "done" | "error" | "stopped") {
    if ((await db.pushSubscription.count()) === 0) return;
    const turn = await db.turn.findUnique({
      where: { id: turnId },
      select: { prompt: true, errorMessage: true, agentId: true, agent: { select: { name: true } } },
    });
    if (!turn) return;
    await broadcast(
      turnFinishedMessage({
        agentId: turn.agentId,
        agentName: turn.agent.name,
        tabId,
        prompt: turn.prompt,
        status,
        errorMessage: turn.errorMessage,
      }),
    );
  }

  const disposers = [
    bus.subscribe("notify", (event) => {
      if (event.kind === "approval" && event.approvalId) notifiedApprovals.add(event.approvalId);
      // A chat's answer and a mission's news are read where they appear: pushed only while no screen shows the app (like a turn's end).
      if ((event.kind === "groupchat" || event.kind === "mission") && presence.anyVisible()) return;
      track(broadcast(messageFromNotify(event)));
    }),
    // Answered elsewhere, timed out or cancelled: its notification must not keep offering Allow.
    bus.subscribe("approvals.changed", ({ agentId, approvalId, status }) => {
      if (status === "pending" || !notifiedApprovals.delete(approvalId)) return;
      track(broadcast(approvalEndedMessage({ agentId, approvalId, status })));
    }),
    bus.subscribe("turn.status", ({ turnId, tabId, status, origin }) => {
      if (!TERMINAL_TURN.has(status)) return;
      // Auto Run, group chats and missions report their own progress (task failed, run done, chat answered, feature failed) via `notify`.
      if (origin === "autorun" || origin === "groupchat" || origin === "mission") return;
      // Decided when the turn ends: someone looking at the app sees it there.
      if (presence.anyVisible()) return;
      track(notifyTurnFinished(turnId, tabId, status as "done" | "error" | "stopped"));
    }),
    // A revoked device must stop hearing about this machine's agents.
    bus.subscribe("devices.revoked", ({ sessionId }) => track(db.pushSubscription.deleteMany({ where: { sessionId } }))),
  ];

  return {
    publicKey: () => vapid.publicKey,

    /** Stores (or refreshes, for the same endpoint) a browser's subscription. */
    async subscribe(input: SubscribeInput, sessionId: string | null) {
      const data = { p256dh: input.keys.p256dh, auth: input.keys.auth, sessionId, failures: 0, lastError: null };
      return db.pushSubscription.upsert({
        where: { endpoint: input.endpoint },
        create: { endpoint: input.endpoint, deviceLabel: input.deviceLabel, ...data },
        // The service worker re-subscribes without a label (pushsubscriptionchange): keep the old one.
        update: input.deviceLabel ? { deviceLabel: input.deviceLabel, ...data } : data,
        select: subscriptionSelect,
      });
    },

    async unsubscribe(endpoint: string): Promise<boolean> {
      return (await db.pushSubscription.deleteMany({ where: { endpoint } })).count > 0;
    },

    async list() {
      return db.pushSubscription.findMany({ select: subscriptionSelect, orderBy: { createdAt: "asc" } });
    },

    async remove(id: string): Promise<boolean> {
      return (await db.pushSubscription.deleteMany({ where: { id } })).count > 0;
    },

    /** A test notification to one endpoint (this device) or to every subscription. */
    async test(endpoint?: string): Promise<DeliveryReport> {
      const count = await db.pushSubscription.count({ where: endpoint ? { endpoint } : {} });
      if (count === 0) {
        throw new AppError("NOT_FOUND", endpoint ? "This device is not subscribed." : "No device has notifications on.", {
          hint: "Turn on notifications on this device first.",
        });
      }
      return broadcast(testMessage(), endpoint ? { endpoint } : {});
    },

    presence(clientId: string, visible: boolean) {
      presence.report(clientId, visible);
    },

    /** Resolves when every delivery started so far has finished (tests, shutdown). */
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },

    async shutdown() {
      for (const dispose of disposers) dispose();
      await this.idle();
    },
  };
}

export type PushService = ReturnType<typeof createPushService>;
