import fs from "node:fs";

/**
 * Lowering a provider's autogroup (its session's scheduling group) on Linux.
 *
 * The CLI runs in a session of its own (so a stop reaches its whole tree), and with autogroup
 * scheduling (most desktops) a new session is a new scheduling group: CPU is shared between
 * groups first, and a process's nice only counts inside its group. Twenty agents would be twenty
 * groups each weighing as much as the bridge, whatever their nice, so the group's weight is
 * lowered too. Where autogroup is off or absent this does nothing.
 *
 * The kernel rate-limits these writes machine-wide for processes without CAP_SYS_ADMIN: one per
 * 100 ms, the others fail with EAGAIN (kernel/sched/autogroup.c). Twenty agents started at once
 * would leave nineteen at full weight, so writes go through one queue that waits its turn and
 * retries while the process lives.
 */

export type AutogroupWrite = (pid: number, nice: number) => void;

export interface AutogroupQueueOptions {
  write?: AutogroupWrite;
  /** The kernel's interval between writes, and the wait after an EAGAIN. */
  intervalMs?: number;
  /** Give up on a pid after this many EAGAINs (another process may be writing all the time). */
  maxAttempts?: number;
}

export interface Autogroup {
  /** The group's name, e.g. `/autogroup-704`. */
  name: string;
  nice: number;
}

/**
 * Reads `/proc/<pid>/autogroup`. The kernel prints nothing there when the process's CPU share is
 * set by a cgroup (a container, a systemd slice with CPU control): then autogroup does not apply.
 */
export function parseAutogroup(text: string): Autogroup | null {
  const match = /^(\S+) nice (-?\d+)\s*$/.exec(text);
  return match ? { name: match[1]!, nice: Number(match[2]) } : null;
}

/** This process's autogroup, or null where there is none (no autogroup, or a cgroup decides). */
export function ownAutogroup(): Autogroup | null {
  try {
    return parseAutogroup(fs.readFileSync("/proc/self/autogroup", "utf8"));
  } catch {
    return null;
  }
}

const writeProc: AutogroupWrite = (pid, nice) => fs.writeFileSync(`/proc/${pid}/autogroup`, String(nice));

export class AutogroupQueue {
  private readonly write: AutogroupWrite;
  private readonly intervalMs: number;
  private readonly maxAttempts: number;
  private readonly waiting: { pid: number; nice: number; attempts: number }[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(options: AutogroupQueueOptions = {}) {
    this.write = options.write ?? writeProc;
    this.intervalMs = options.intervalMs ?? 110;
    this.maxAttempts = options.maxAttempts ?? 20;
  }

  /** Sets the group's niceness now if the kernel allows it, else as soon as it does. */
  lower(pid: number, nice: number): void {
    const entry = { pid, nice: Math.min(19, Math.max(-20, nice)), attempts: 0 };
    if (this.waiting.length > 0) {
      // Behind others already waiting: a write now would only take their slot.
      this.waiting.push(entry);
      this.schedule();
      return;
    }
    this.attempt(entry);
  }

  /** How many pids wait for a write (for tests). */
  get pending(): number {
    return this.waiting.length;
  }

  /** Writes, or queues the entry again when the kernel says "not yet". */
  private attempt(entry: { pid: number; nice: number; attempts: number }): void {
    try {
      this.write(entry.pid, entry.nice);
    } catch (error) {
      // Anything but EAGAIN: no autogroup, not permitted, or the process is gone.
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") return;
      entry.attempts += 1;
      if (entry.attempts >= this.maxAttempts) return;
      this.waiting.push(entry);
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const next = this.waiting.shift();
      if (next) this.attempt(next);
      if (this.waiting.length > 0) this.schedule();
    }, this.intervalMs);
    // A pending priority tweak never keeps the bridge (or a test run) alive.
    this.timer.unref();
  }
}
