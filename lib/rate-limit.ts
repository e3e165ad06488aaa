/**
 * A fixed-window attempt counter per key (e.g. per client IP). Pure: the clock is injected,
 * so the limiter is tested without sleeping. Keys whose window has ended are pruned lazily.
 */
export interface RateLimitDecision {
  allowed: boolean;
  /** Attempts left in the current window after this one. */
  remaining: number;
  /** Milliseconds until the window resets (meaningful when refused). */
  retryAfterMs: number;
}

export interface RateLimiter {
  /** Records one attempt for `key` and says whether it may proceed. */
  hit(key: string): RateLimitDecision;
  /** Says whether one more attempt would be allowed now, without recording one. */
  check(key: string): RateLimitDecision;
  /** Forgets a key (e.g. after a successful login, if the caller wants that). */
  reset(key: string): void;
}

export function createRateLimiter(options: { limit: number; windowMs: number; now?: () => number; maxKeys?: number }): RateLimiter {
  const { limit, windowMs } = options;
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 10_000;
  const windows = new Map<string, { start: number; count: number }>();

  function prune(t: number) {
    for (const [key, w] of windows) if (t - w.start >= windowMs) windows.delete(key);
  }

  return {
    hit(key) {
      const t = now();
      let w = windows.get(key);
      if (!w || t - w.start >= windowMs) {
        if (windows.size >= maxKeys) prune(t);
        w = { start: t, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      const allowed = w.count <= limit;
      return {
        allowed,
        remaining: Math.max(0, limit - w.count),
        retryAfterMs: allowed ? 0 : w.start + windowMs - t,
      };
    },
    check(key) {
      const t = now();
      const w = windows.get(key);
      if (!w || t - w.start >= windowMs) return { allowed: true, remaining: limit, retryAfterMs: 0 };
      const allowed = w.count < limit;
      return { allowed, remaining: Math.max(0, limit - w.count), retryAfterMs: allowed ? 0 : w.start + windowMs - t };
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
