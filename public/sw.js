/* Maestro service worker: app shell offline, data network-first (last answer when offline). Plain JS, no build step. */
importScripts("/sw-push.js");
const VERSION = "maestro-v1";
const CACHE = `${VERSION}-shell`;
const PRECACHE = [
  "/",
  "/offline",
  "/manifest.webmanifest",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/maskable-512.png",
  "/apple-touch-icon.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // One by one, so a page that needs pairing first (a redirect) does not fail the install.
      await Promise.all(
        PRECACHE.map(async (url) => {
          try {
            const res = await fetch(new Request(url, { cache: "reload", credentials: "same-origin" }));
            if (res.ok && !res.redirected) await cache.put(url, res);
          } catch {
            /* offline during install: cached on first visit instead */
          }
        }),
      );
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keys = await caches.keys();
      await Promise.all(keys.filter((k) => k.startsWith("maestro-") && k !== CACHE && k !== DATA_CACHE).map((k) => caches.delete(k)));
      await self.clients.claim();
    })(),
  );
});

function isCacheable(res) {
  return res && res.ok && res.type === "basic" && !res.redirected;
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const res = await fetch(request);
  if (isCacheable(res)) {
    const cache = await caches.open(CACHE);
    await cache.put(request, res.clone());
  }
  return res;
}

async function networkFirstPage(request) {
  try {
    const res = await fetch(request);
    if (isCacheable(res)) {
      const cache = await caches.open(CACHE);
      await cache.put(request, res.clone());
    }
    return res;
  } catch {
    const cached = await caches.match(request, { ignoreSearch: true });
    if (cached) return cached;
    const offline = await caches.match("/offline");
    return offline || new Response("You're offline.", { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}

async function networkFirst(request) {
  try {
    const res = await fetch(request);
    if (isCacheable(res)) {
      const cache = await caches.open(CACHE);
      await cache.put(request, res.clone());
    }
    return res;
  } catch (err) {
    const cached = await caches.match(request);
    if (cached) return cached;
    throw err;
  }
}

const DATA_CACHE = `${VERSION}-data`;
const DATA_LIMIT = 200;

function isDataQuery(url, request) {
  return url.pathname.startsWith("/api/trpc/") && !(request.headers.get("accept") || "").includes("text/event-stream");
}

async function networkFirstData(request) {
  try {
    const res = await fetch(request);
    if (res.ok) {
      const cache = await caches.open(DATA_CACHE);
      await cache.put(request, res.clone());
      // Only recent answers matter offline: keep the newest DATA_LIMIT (keys come oldest first).
      const keys = await cache.keys();
      await Promise.all(keys.slice(0, Math.max(0, keys.length - DATA_LIMIT)).map((k) => cache.delete(k)));
    } else if (res.status === 401) {
      // Signed out or revoked: keep nothing of that session.
      await caches.delete(DATA_CACHE);
    }
    return res;
  } catch (err) {
    const cache = await caches.open(DATA_CACHE);
    const cached = await cache.match(request);
    if (cached) return cached;
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Queries (plain GETs, not live streams): the network's answer, or the last one when offline,
  // so the app reloaded offline still shows its agents and the queue of unsent prompts.
  if (isDataQuery(url, request)) {
    event.respondWith(networkFirstData(request));
    return;
  }
  // Live data, auth and terminals never touch the cache.
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/ws/")) return;

  if (request.mode === "navigate") {
    event.respondWith(networkFirstPage(request));
    return;
  }
  if (url.pathname.startsWith("/_next/static/") || url.pathname.startsWith("/icons/")) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (PRECACHE.includes(url.pathname) && !request.headers.get("rsc")) {
    event.respondWith(networkFirst(request));
  }
  // Everything else (RSC payloads, dev tooling) goes straight to the network.
});
