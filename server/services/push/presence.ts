/** How long a "visible" report counts without a heartbeat (the app beats every 25 s). */
export const PRESENCE_TTL_MS = 60_000;

/**
 * Which open copies of the app are on screen. Each page load reports with a random client id
 * on `visibilitychange` and beats while visible; a report that is not renewed expires, so a
 * phone that died or lost its network stops counting as "looking" within a minute.
 */
export function createPresence(now: () => number = Date.now, ttlMs = PRESENCE_TTL_MS) {
  const seen = new Map<string, number>();
  return {
    report(clientId: string, visible: boolean) {
      if (visible) seen.set(clientId, now());
      else seen.delete(clientId);
    },
    /** True when some device shows the app now; it then sees turns end without a push. */
    anyVisible(): boolean {
      const cutoff = now() - ttlMs;
      for (const [id, at] of seen) {
        if (at >= cutoff) return true;
        seen.delete(id);
      }
      return false;
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
