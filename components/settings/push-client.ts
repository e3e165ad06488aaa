"use client";

import { base64UrlToBytes } from "@/lib/push/base64url";

/** Why this browser can or cannot get notifications, checked in the order a user can fix it. */
export type PushSupport = "ok" | "insecure" | "ios-needs-install" | "unsupported";

export function isIos(): boolean {
  return /iPhone|iPad|iPod/.test(navigator.userAgent) || (/Macintosh/.test(navigator.userAgent) && navigator.maxTouchPoints > 1);
}

function isStandalone(): boolean {
  return (
    window.matchMedia?.("(display-mode: standalone)").matches || (navigator as Navigator & { standalone?: boolean }).standalone === true
  );
}

export function pushSupport(): PushSupport {
  if (!window.isSecureContext) return "insecure";
  // iOS (16.4+) offers Web Push only to a web app added to the Home Screen.
  if (isIos() && !isStandalone()) return "ios-needs-install";
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return "unsupported";
  return "ok";
}

export function notificationPermission(): NotificationPermission {
  return "Notification" in window ? Notification.permission : "default";
}

/** Rejects with `message` when `work` takes longer than `ms`. */
async function within<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A browser that cannot reach its push service (Chrome → Google's FCM) may never settle
 * `subscribe()`; the user gets an answer after this long instead of an endless spinner.
 */
const SUBSCRIBE_TIMEOUT_MS = 15_000;

const registration = () =>
  within(navigator.serviceWorker.ready, 10_000, "The service worker is not running yet. Reload the page and try again.");

/** This browser's current subscription for this site, if any (no prompt). */
export async function currentSubscription(): Promise<PushSubscription | null> {
  if (pushSupport() !== "ok") return null;
  const reg = await navigator.serviceWorker.getRegistration("/");
  return (await reg?.pushManager.getSubscription()) ?? null;
}

function sameKey(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a) return false;
  const x = new Uint8Array(a);
  return x.length === b.length && x.every((v, i) => v === b[i]);
}

/** A failure the settings card explains in its own words. */
export class PushSetupError extends Error {
  readonly hint =
    "Browsers subscribe through their maker's push service (Chrome: Google, Firefox: Mozilla, Safari: Apple), so this device must reach it. Check the network and try again.";
  constructor(
    readonly reason: "denied" | "dismissed" | "subscribe-failed",
    message: string,
  ) {
    super(message);
  }
}

/**
 * Asks for permission (this must run from a tap), then subscribes with the bridge's VAPID key.
 * Returns what the bridge stores: `PushSubscription.toJSON()`.
 */
export async function subscribeThisDevice(publicKey: string): Promise<{ endpoint: string; keys: { p256dh: string; auth: string } }> {
  const permission = await Notification.requestPermission();
  if (permission === "denied") throw new PushSetupError("denied", "Notifications are blocked for this site.");
  if (permission !== "granted") throw new PushSetupError("dismissed", "Notifications were not allowed. Tap Enable again and choose Allow.");
  const key = base64UrlToBytes(publicKey);
  if (!key) throw new Error("The bridge sent a malformed push key.");
  const reg = await registration();
  const existing = await reg.pushManager.getSubscription();
  // A subscription made for another server key (an older data dir) cannot get our pushes.
  if (existing && !sameKey(existing.options.applicationServerKey, key)) await existing.unsubscribe();
  let sub: PushSubscription;
  try {
    sub = await within(
      reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key as BufferSource }),
      SUBSCRIBE_TIMEOUT_MS,
      `its push service did not answer in ${SUBSCRIBE_TIMEOUT_MS / 1000} s`,
    );
  } catch (err) {
    throw new PushSetupError("subscribe-failed", `The browser could not subscribe: ${(err as Error).message || "no reason given"}.`);
  }
  const json = sub.toJSON();
  if (!json.endpoint || !json.keys?.p256dh || !json.keys.auth) throw new Error("The browser gave an incomplete subscription.");
  return { endpoint: json.endpoint, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth } };
}
