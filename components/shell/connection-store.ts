/**
 * Whether the bridge is reachable, shared by everything that notices: failed queries and
 * mutations, the live-updates stream, the browser's offline event.
 */
let down = false;
const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};
// The browser knows it is offline before any request fails; a success served from a cache
// (or data set locally) must not make an offline browser look connected.
const browserOffline = () => typeof navigator !== "undefined" && navigator.onLine === false;

// Arrow functions, not methods: they are handed around on their own (useSyncExternalStore).
export const connection = {
  isDown: () => down || browserOffline(),
  set: (value: boolean) => {
    if (down === value) return;
    down = value;
    notify();
  },
  subscribe: (listener: () => void) => {
    if (listeners.size === 0 && typeof window !== "undefined") {
      window.addEventListener("online", notify);
      window.addEventListener("offline", notify);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && typeof window !== "undefined") {
        window.removeEventListener("online", notify);
        window.removeEventListener("offline", notify);
      }
    };
  },
  /** Something looks wrong (a stream dropped): ask the bridge directly. */
  check: async () => {
    try {
      const res = await fetch("/api/health", { cache: "no-store" });
      connection.set(!res.ok);
    } catch {
      connection.set(true);
    }
  },
};
