import { describe, expect, test } from "vitest";
import { createRateLimiter } from "./rate-limit";

describe("createRateLimiter", () => {
  test("allows `limit` attempts per window, then refuses with the time left", () => {
    let t = 1_000;
    const rl = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => t });
    expect([1, 2, 3].map(() => rl.hit("ip").allowed)).toEqual([true, true, true]);
    t += 10_000;
    const refused = rl.hit("ip");
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterMs: 50_000 });
  });

  test("keys are independent and windows reset", () => {
    let t = 0;
    const rl = createRateLimiter({ limit: 1, windowMs: 1_000, now: () => t });
    expect(rl.hit("a").allowed).toBe(true);
    expect(rl.hit("a").allowed).toBe(false);
    expect(rl.hit("b").allowed).toBe(true);
    t = 1_000;
    expect(rl.hit("a").allowed).toBe(true);
  });

  test("reset forgets a key", () => {
    const rl = createRateLimiter({ limit: 1, windowMs: 1_000, now: () => 0 });
    rl.hit("a");
    rl.reset("a");
    expect(rl.hit("a").allowed).toBe(true);
  });

  test("check looks without counting, and refuses once the window is used up", () => {
    let t = 0;
    const rl = createRateLimiter({ limit: 2, windowMs: 1_000, now: () => t });
    expect(rl.check("a")).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0 });
    expect(rl.check("a").allowed).toBe(true);
    rl.hit("a");
    expect(rl.check("a")).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
    rl.hit("a");
    t = 400;
    expect(rl.check("a")).toEqual({ allowed: false, remaining: 0, retryAfterMs: 600 });
    t = 1_000;
    expect(rl.check("a").allowed).toBe(true);
  });
});
