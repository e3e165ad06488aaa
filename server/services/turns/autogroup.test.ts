import { afterEach, describe, expect, test, vi } from "vitest";
import { AutogroupQueue, parseAutogroup } from "./autogroup";

/** A stand-in for the kernel's rule: one write per `intervalMs`, EAGAIN in between. */
function rateLimitedKernel(intervalMs: number) {
  const written = new Map<number, number>();
  let next = -Infinity;
  const gone = new Set<number>();
  const write = vi.fn((pid: number, nice: number) => {
    if (gone.has(pid)) throw Object.assign(new Error("ESRCH"), { code: "ESRCH" });
    if (Date.now() < next) throw Object.assign(new Error("EAGAIN"), { code: "EAGAIN" });
    next = Date.now() + intervalMs;
    written.set(pid, nice);
  });
  return { write, written, gone };
}

describe("autogroup queue", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test("twenty providers started at once all get their group lowered, in order", () => {
    vi.useFakeTimers();
    const kernel = rateLimitedKernel(100);
    const queue = new AutogroupQueue({ write: kernel.write, intervalMs: 110 });
    for (let pid = 1; pid <= 20; pid++) queue.lower(pid, 10);
    expect([...kernel.written.keys()]).toEqual([1]);
    expect(queue.pending).toBe(19);

    vi.advanceTimersByTime(110 * 19);
    expect(queue.pending).toBe(0);
    expect([...kernel.written.keys()]).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(kernel.written.values())).toEqual(new Set([10]));
  });

  test("a process that is gone, or a kernel without autogroup, is not retried", () => {
    vi.useFakeTimers();
    const kernel = rateLimitedKernel(100);
    kernel.gone.add(2);
    const queue = new AutogroupQueue({ write: kernel.write, intervalMs: 110 });
    queue.lower(1, 10);
    queue.lower(2, 10);
    queue.lower(3, 10);
    vi.advanceTimersByTime(1000);
    expect(queue.pending).toBe(0);
    expect([...kernel.written.keys()]).toEqual([1, 3]);
    // pid 2: one EAGAIN-free attempt from the queue, answered ESRCH, then dropped.
    expect(kernel.write.mock.calls.filter(([pid]) => pid === 2)).toHaveLength(1);

    const noAutogroup = vi.fn(() => {
      throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
    });
    const plain = new AutogroupQueue({ write: noAutogroup });
    plain.lower(4, 10);
    expect(plain.pending).toBe(0);
    expect(noAutogroup).toHaveBeenCalledTimes(1);
  });

  test("a kernel that never allows the write is given up on, not retried forever", () => {
    vi.useFakeTimers();
    const busy = vi.fn(() => {
      throw Object.assign(new Error("EAGAIN"), { code: "EAGAIN" });
    });
    const queue = new AutogroupQueue({ write: busy, intervalMs: 110, maxAttempts: 5 });
    queue.lower(1, 10);
    vi.advanceTimersByTime(110 * 10);
    expect(busy).toHaveBeenCalledTimes(5);
    expect(queue.pending).toBe(0);
  });

  test("niceness is kept within the kernel's range", () => {
    const write = vi.fn();
    const queue = new AutogroupQueue({ write });
    queue.lower(1, 25);
    queue.lower(2, -30);
    expect(write.mock.calls).toEqual([
      [1, 19],
      [2, -20],
    ]);
  });
});

describe("reading /proc/<pid>/autogroup", () => {
  test("a process in an autogroup: its name and niceness", () => {
    expect(parseAutogroup("/autogroup-704 nice 0\n")).toEqual({ name: "/autogroup-704", nice: 0 });
    expect(parseAutogroup("/autogroup-12 nice -5\n")).toEqual({ name: "/autogroup-12", nice: -5 });
  });

  test("an empty file (a cgroup sets the CPU share, as in containers) is no autogroup", () => {
    expect(parseAutogroup("")).toBeNull();
    expect(parseAutogroup("garbage")).toBeNull();
  });
});
