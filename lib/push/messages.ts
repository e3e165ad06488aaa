/**
 * What a push notification says. Pure: the push service builds these from bus events, the
 * service worker shows them (`public/sw-push.js` reads exactly these fields).
 */
import { displaySafe } from "../approvals/display";
export type PushKind =
  | "turn-done"
  | "task-failed"
  | "document-done"
  | "run-done"
  | "run-paused"
  | "approval"
  | "approval-ended"
  | "groupchat"
  | "mission"
  | "test";

export interface PushMessage {
  kind: PushKind;
  title: string;
  body: string;
  /** In-app path the notification opens. */
  url: string;
  /** Notifications with the same tag replace each other instead of piling up. */
  tag: string;
  /** kind "approval": the request the notification's actions answer. */
  approvalId?: string;
  /** Buttons on the notification itself; `action` is what `notificationclick` gets. */
  actions?: PushAction[];
  /** Stays on screen until the person acts (an approval waits for them). */
  requireInteraction?: boolean;
}

export interface PushAction {
  action: "allow" | "deny";
  title: string;
}

/**
 * Chromium shows at most two actions (`Notification.maxActions` is 2), so the notification
 * offers Allow and Deny; "Always allow…" and a deny reason stay in the app.
 */
export const APPROVAL_ACTIONS: PushAction[] = [
  { action: "allow", title: "Allow" },
  { action: "deny", title: "Deny" },
];

const TITLE_MAX = 80;
const BODY_MAX = 180;

/**
 * One line, cleaned of terminal escapes and bidi tricks (displaySafe), cut with an ellipsis.
 * Push payloads are small (≈4 KB) and lock screens smaller.
 */
export function clip(text: string, max: number): string {
  const line = displaySafe(text).replace(/\s+/g, " ").trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/** Only same-origin app paths: a notification must never open another site. */
export function safeAppPath(url: string): string {
  if (!url.startsWith("/")) return "/";
  // Judged the way the service worker will read it: URL parsing drops tabs and newlines and
  // treats "\\" as "/", so "/\t/evil.example" is "//evil.example". Only our own origin passes.
  const base = "https://app.invalid";
  try {
    return new URL(url, base).origin === base ? url : "/";
  } catch {
    return "/";
  }
}

export function agentTabPath(agentId: string, tabId?: string | null): string {
  const base = `/agents/${encodeURIComponent(agentId)}`;
  return tabId ? `${base}?tab=${encodeURIComponent(tabId)}` : base;
}

export interface NotifyEvent {
  kind: Exclude<PushKind, "test" | "turn-done"> | "turn-done";
  agentId: string;
  title: string;
  body: string;
  url: string;
  approvalId?: string;
  actions?: boolean;
  /** Replaces the notification of the same tag (default: one per kind and agent). A group chat's is its chat. */
  tag?: string;
}

/** A `notify` bus event (Auto Run and friends) as a notification. */
export function messageFromNotify(event: NotifyEvent): PushMessage {
  if (event.kind === "approval" && event.approvalId) return approvalMessage({ ...event, approvalId: event.approvalId });
  return {
    kind: event.kind,
    title: clip(event.title, TITLE_MAX) || "Maestro",
    body: clip(event.body, BODY_MAX),
    url: safeAppPath(event.url),
    tag: event.tag ?? `${event.kind}:${event.agentId}`,
  };
}

/**
 * A request waiting for a person: one notification per request (`approval:<id>`), kept on screen,
 * opening the turn; Allow/Deny buttons only for a tool call (a question needs the app), and only
 * when the body shows all of it: a cut body would let one tap allow what nobody read.
 */
export function approvalMessage(event: NotifyEvent & { approvalId: string }): PushMessage {
  const body = clip(event.body, BODY_MAX);
  const whole = body === clip(event.body, Infinity);
  return {
    kind: "approval",
    title: clip(event.title, TITLE_MAX) || "Maestro needs you",
    body,
    url: safeAppPath(event.url),
    tag: `approval:${event.approvalId}`,
    approvalId: event.approvalId,
    requireInteraction: true,
    ...(event.actions && whole ? { actions: APPROVAL_ACTIONS } : {}),
  };
}

const ENDED_TITLES: Record<string, string> = {
  allowed: "Request allowed",
  denied: "Request denied",
  expired: "Request timed out",
  cancelled: "Request no longer needed",
};

/**
 * A request that stopped waiting (answered elsewhere, timed out, cancelled): same tag as its
 * notification, which the service worker withdraws (or, when nothing else of Maestro is on
 * screen, replaces quietly, without buttons).
 */
export function approvalEndedMessage(event: { agentId: string; approvalId: string; status: string }): PushMessage {
  return {
    kind: "approval-ended",
    title: ENDED_TITLES[event.status] ?? "Request ended",
    body: "Nothing to answer any more.",
    url: agentTabPath(event.agentId),
    tag: `approval:${event.approvalId}`,
  };
}

export interface FinishedTurn {
  agentId: string;
  agentName: string;
  tabId: string;
  prompt: string;
  status: "done" | "error" | "stopped";
  errorMessage?: string | null;
}

const TURN_TITLES: Record<FinishedTurn["status"], (name: string) => string> = {
  done: (name) => `${name} finished`,
  error: (name) => `${name} hit an error`,
  stopped: (name) => `${name} stopped`,
};

/** A finished turn: who, how it ended, and what it was asked; opens that conversation. */
export function turnFinishedMessage(turn: FinishedTurn): PushMessage {
  const prompt = clip(turn.prompt, BODY_MAX - 2);
  const body = turn.status === "error" && turn.errorMessage ? clip(turn.errorMessage, BODY_MAX) : prompt ? `“${prompt}”` : "";
  return {
    kind: "turn-done",
    title: clip(TURN_TITLES[turn.status](turn.agentName || "Agent"), TITLE_MAX),
    body,
    url: agentTabPath(turn.agentId, turn.tabId),
    // One per conversation: a newer turn's notification replaces the older one.
    tag: `turn:${turn.tabId}`,
  };
}

export function testMessage(): PushMessage {
  return {
    kind: "test",
    title: "Maestro notifications work",
    body: "This device will hear when an agent finishes or an Auto Run needs you.",
    url: "/settings#notifications",
    tag: "test",
  };
}
