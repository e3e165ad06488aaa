/**
 * Whether the bridge is reachable, shared by everything that notices: failed queries and
 * mutations, the live-updates stream, the browser's offline event.
 */
let down = false;
const listeners = new Set<() => void>();

export const connection = {
  isDown: () => down,
  set(value: boolean) {
    if (down === value) return;
    down = value;
    for (const l of listeners) l();
  },
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  },
  /** Something looks wrong (a stream dropped): ask the bridge directly. */
  async check() {
    try {
      const res = await fetch("/api/health", { cache: "no-store" });
      connection.set(!res.ok);
    } catch {
      connection.set(true);
    }
  },
};
