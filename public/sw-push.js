/* Maestro Web Push: show what the bridge sent, open the exact screen on click. Imported by sw.js. */

/** Only same-origin app paths (the bridge sends those; anything else opens the dashboard). */
function appUrl(path) {
  const home = new URL("/", self.location.origin).href;
  if (typeof path !== "string" || !path.startsWith("/")) return home;
  try {
    // Checked after parsing: the parser drops tabs/newlines, so "/\t/evil.example" is foreign.
    const url = new URL(path, self.location.origin);
    return url.origin === self.location.origin ? url.href : home;
  } catch {
    return home;
  }
}

/** A stored notification's absolute url, re-checked (it may come from an older worker). */
function sameOriginUrl(href) {
  try {
    return typeof href === "string" && new URL(href).origin === self.location.origin ? href : appUrl("/");
  } catch {
    return appUrl("/");
  }
}

/** The two answers a notification may carry (Chromium shows at most two actions). */
const ANSWERS = ["allow", "deny"];

function approvalActions(message) {
  if (message.kind !== "approval" || typeof message.approvalId !== "string" || !Array.isArray(message.actions)) return [];
  return message.actions
    .filter((a) => a && ANSWERS.includes(a.action) && typeof a.title === "string")
    .slice(0, 2)
    .map((a) => ({ action: a.action, title: a.title }));
}

/**
 * A request answered elsewhere, timed out or cancelled: its notification (same tag) goes. Chrome
 * requires every push to leave a notification on screen (userVisibleOnly) unless the site
 * already shows one, so when no other Maestro notification remains, the request's notification
 * is replaced in place by a quiet one with no buttons (it says how the request ended) instead.
 */
async function endApproval(message) {
  const tag = message.tag;
  if (typeof tag !== "string" || !tag.startsWith("approval:")) return;
  const all = await self.registration.getNotifications();
  const others = all.filter((n) => n.tag !== tag);
  if (others.length > 0) {
    for (const n of all) if (n.tag === tag) n.close();
    return;
  }
  await self.registration.showNotification(message.title || "Maestro", {
    body: message.body || "",
    tag,
    renotify: false,
    silent: true,
    requireInteraction: false,
    actions: [],
    icon: "/icons/icon-192.png",
    badge: "/icons/icon-192.png",
    data: { url: appUrl(message.url), kind: "approval-ended" },
  });
}

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { body: event.data ? event.data.text() : "" };
  }
  if (message.kind === "approval-ended") {
    event.waitUntil(endApproval(message));
    return;
  }
  const title = message.title || "Maestro";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: message.body || "",
      tag: message.tag || undefined,
      // A replaced notification (same tag) still buzzes: it is news.
      renotify: !!message.tag,
      icon: "/icons/icon-192.png",
      badge: "/icons/icon-192.png",
      // An approval stays until answered, with Allow/Deny on the notification (a question has none).
      requireInteraction: message.requireInteraction === true,
      actions: approvalActions(message),
      // An approval's id rides along so its buttons can answer it.
      data: Object.assign(
        { url: appUrl(message.url), kind: message.kind || "" },
        message.kind === "approval" && typeof message.approvalId === "string" ? { approvalId: message.approvalId } : {},
      ),
    }),
  );
});

/** Shows `url` in an open window of the app (focused first), or opens one. */
async function openApp(url) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const sameOrigin = windows.filter((w) => new URL(w.url).origin === self.location.origin);
  const target = sameOrigin.find((w) => w.focused) || sameOrigin[0];
  if (target) {
    let client = target;
    try {
      // Focus first: it must happen while the click still counts as a user gesture.
      client = (await target.focus()) || target;
    } catch {
      /* focus refused (no gesture): navigating still shows the right screen */
    }
    try {
      if (client.url !== url) await client.navigate(url);
      return;
    } catch {
      /* not controlled by this worker (navigate refuses): open a window instead */
    }
  }
  await self.clients.openWindow(url);
}

/**
 * Allow/Deny tapped on the notification: answered with the device's own cookie, like the app.
 * Anything but a 2xx (answered elsewhere, expired, logged out, offline) opens the turn instead,
 * where the card says what happened.
 */
async function answerFromNotification(approvalId, decision, url) {
  let ok = false;
  try {
    const res = await fetch("/api/trpc/approvals.answer", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { approvalId, decision } }),
    });
    ok = res.ok;
  } catch {
    /* offline or the bridge is down: the app shows the request */
  }
  if (!ok) await openApp(url);
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  const url = sameOriginUrl(data.url);
  const approvalId = typeof data.approvalId === "string" ? data.approvalId : "";
  const decision = ANSWERS.includes(event.action) ? event.action : "";
  event.waitUntil(approvalId && decision ? answerFromNotification(approvalId, decision, url) : openApp(url));
});

// The browser rotated the subscription: store the new one so pushes keep arriving.
self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(
    (async () => {
      const options = event.oldSubscription && event.oldSubscription.options;
      const fresh = event.newSubscription || (options ? await self.registration.pushManager.subscribe(options) : null);
      if (!fresh) return;
      const json = fresh.toJSON();
      await fetch("/api/trpc/push.subscribe", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { endpoint: json.endpoint, keys: json.keys, deviceLabel: "" } }),
      });
      if (event.oldSubscription) {
        await fetch("/api/trpc/push.unsubscribe", {
          method: "POST",
          credentials: "same-origin",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ json: { endpoint: event.oldSubscription.endpoint } }),
        });
      }
    })(),
  );
});
