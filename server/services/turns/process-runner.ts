import type { Invocation } from "../../../lib/providers/types";
import { DEFAULT_PROVIDER_NICE, parseProviderNice } from "../../env";
import { spawnChild, type SpawnedChild } from "../spawn-thread";
import { AutogroupQueue, ownAutogroup } from "./autogroup";

/** Lines longer than this are cut (the rest of the line is dropped, not buffered). */
export const MAX_LINE_BYTES = 1024 * 1024;
const STDERR_TAIL_BYTES = 8 * 1024;

export interface RunHandlers {
  /** One stdout line (without the newline). `truncated` when it exceeded MAX_LINE_BYTES. */
  onLine(line: string, truncated: boolean): void;
  /** The process ended and stdout is fully read. */
  onExit(result: {
    exitCode: number | null;
    signal: string | null;
    stderrTail: string;
    spawnError: NodeJS.ErrnoException | null;
    timedOut: boolean;
  }): void;
}

export interface RunOptions {
  /** Kill the turn when the CLI prints nothing for this long (dead endpoints retry for minutes). */
  idleTimeoutMs?: number;
  /** After SIGINT, wait this long before SIGTERM, and as long again before SIGKILL. */
  stopGraceMs?: number;
  /**
   * Scheduling priority of the CLI and everything it starts (0 = the bridge's own, 19 = lowest).
   * Default 10 (the bridge passes `MAESTRO_PROVIDER_NICE` from its config).
   */
  niceness?: number;
}

/**
 * Agents are batch workers; the bridge is what the user is touching. When twenty agents (and
 * the builds and tests they run) want more CPU than the machine has, the bridge must still
 * answer a tap and forward a stream at once, so providers run at a lower priority. They lose
 * nothing on an idle machine: niceness only matters under contention.
 */
export function providerNiceness(env: Record<string, string | undefined>): number {
  return parseProviderNice(env.MAESTRO_PROVIDER_NICE);
}

/** One queue for the whole bridge: the kernel's rate limit on these writes is machine-wide. */
const autogroups = new AutogroupQueue();

export interface RunningProcess {
  pid: number | undefined;
  /**
   * Writes one line on the CLI's stdin (an Invocation with `stdinOpen`). false: stdin is closed
   * (the CLI exited, or the input was ended).
   */
  write(line: string): boolean;
  /** Closes stdin (the turn's end: a CLI reading stream-json input waits for more otherwise). */
  endInput(): void;
  /**
   * Holds the idle watchdog while the CLI waits for a person (it prints nothing meanwhile);
   * released, it counts afresh. Holds nest.
   */
  holdIdle(on: boolean): void;
  /** SIGINT to the whole process group, escalating to SIGTERM then SIGKILL. */
  stop(): void;
  /** Immediate SIGKILL of the group (bridge shutdown). */
  kill(): void;
}

/**
 * Spawns a provider CLI from an argv array (never a shell), in its own process group so a stop
 * reaches the CLI's children too, and streams stdout as lines. Bounded memory whatever the CLI
 * prints: over-long lines are cut, stderr keeps only its tail.
 */
export function runProcess(invocation: Invocation, handlers: RunHandlers, options: RunOptions = {}): RunningProcess {
  const idleTimeoutMs = options.idleTimeoutMs ?? 10 * 60_000;
  const stopGraceMs = options.stopGraceMs ?? 3000;
  let spawnError: NodeJS.ErrnoException | null = null;
  let timedOut = false;
  let exited = false;
  const timers: NodeJS.Timeout[] = [];

  // Off the main thread (spawn-thread.ts): a fork would stall every other agent's stream.
  const niceness = options.niceness ?? DEFAULT_PROVIDER_NICE;
  const child: SpawnedChild = spawnChild(invocation.command, invocation.args, {
    cwd: invocation.cwd,
    // PWD too: some CLIs (opencode) take their working folder from $PWD, not from the real cwd.
    env: { PWD: invocation.cwd, ...invocation.env },
    stdin: invocation.stdin !== null,
    detached: true,
    niceness,
  });
  /** A stop or kill asked for before the thread said the child started: sent once it has. */
  let signalOnStart: NodeJS.Signals | null = null;
  child.once("spawn", () => {
    // A child starts in the bridge's kind of group: none to lower where the bridge has none.
    const own = niceness > 0 && child.pid !== undefined ? ownAutogroup() : null;
    if (own) autogroups.lower(child.pid!, own.nice + niceness);
    if (signalOnStart) signalGroup(signalOnStart);
  });

  const signalGroup = (signal: NodeJS.Signals) => {
    if (exited) return;
    if (child.pid === undefined) {
      // The strongest signal asked for wins (a SIGKILL is not undone by a later SIGINT).
      const rank = (s: NodeJS.Signals | null) => (s ? ["SIGINT", "SIGTERM", "SIGKILL"].indexOf(s) : -1);
      if (rank(signal) > rank(signalOnStart)) signalOnStart = signal;
      return;
    }
    try {
      process.kill(-child.pid, signal);
    } catch {
      try {
        child.kill(signal);
      } catch {
        /* gone */
      }
    }
  };

  // stdout → lines, with a hard cap per line.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let dropping = false;
  const flushLine = (buf: Buffer) => {
    const truncated = dropping;
    dropping = false;
    handlers.onLine(buf.toString("utf8").replace(/\r$/, ""), truncated);
  };
  child.stdout?.on("data", (chunk: Buffer) => {
    armIdle();
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      const end = nl === -1 ? chunk.length : nl;
      const piece = chunk.subarray(start, end);
      if (!dropping) {
        const room = MAX_LINE_BYTES - pendingBytes;
        if (piece.length > room) {
          pending.push(piece.subarray(0, room));
          pendingBytes += room;
          dropping = true;
        } else {
          pending.push(piece);
          pendingBytes += piece.length;
        }
      }
      if (nl === -1) break;
      flushLine(Buffer.concat(pending));
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
    }
  });

  let stderrTail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    armIdle();
    stderrTail = (stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL_BYTES);
  });

  let inputOpen = false;
  if (invocation.stdin !== null && child.stdin) {
    child.stdin.on("error", () => {
      /* the CLI closed its stdin early (EPIPE): fine */
    });
    if (invocation.stdinOpen) {
      child.stdin.write(invocation.stdin);
      inputOpen = true;
    } else child.stdin.end(invocation.stdin);
  }
  const endInput = () => {
    if (!inputOpen) return;
    inputOpen = false;
    child.stdin?.end();
  };

  let idleTimer: NodeJS.Timeout | null = null;
  let holds = 0;
  function armIdle() {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    if (holds > 0 || exited) return;
    idleTimer = setTimeout(() => {
      timedOut = true;
      signalGroup("SIGKILL");
    }, idleTimeoutMs);
  }
  armIdle();

  child.on("error", (err) => {
    spawnError = err;
  });
  child.on("close", (exitCode, signal) => {
    exited = true;
    inputOpen = false;
    if (idleTimer) clearTimeout(idleTimer);
    timers.forEach(clearTimeout);
    if (pendingBytes > 0 || dropping) flushLine(Buffer.concat(pending));
    handlers.onExit({ exitCode, signal, stderrTail, spawnError, timedOut });
  });

  return {
    get pid() {
      return child.pid;
    },
    write(line: string) {
      if (!inputOpen || !child.stdin || child.stdin.destroyed) return false;
      child.stdin.write(line);
      return true;
    },
    endInput,
    holdIdle(on: boolean) {
      holds = Math.max(0, holds + (on ? 1 : -1));
      armIdle();
    },
    stop() {
      // SIGINT first, stdin still open: a CLI waiting for an answer withdraws it and exits
      // ("stopped"); closing stdin first would read as a denial and let the model go on.
      signalGroup("SIGINT");
      timers.push(
        setTimeout(() => {
          endInput();
          signalGroup("SIGTERM");
        }, stopGraceMs),
      );
      timers.push(setTimeout(() => signalGroup("SIGKILL"), stopGraceMs * 2));
    },
    kill() {
      endInput();
      signalGroup("SIGKILL");
    },
  };
}
