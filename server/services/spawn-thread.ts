import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import { postToThread, warmThread, type ThreadMessage } from "./exec-thread";

/**
 * Agent CLIs started off the bridge's main thread.
 *
 * `spawn` blocks the thread that calls it until the forked child has exec'd, and on a busy
 * 2-core machine that is 10–100 ms a child: twenty agents started together froze every stream
 * for over a second (bench/stream.ts profile: `spawn` was the main thread's largest self time).
 * So the command thread (exec-thread.ts) forks them. Their stdio are not pipes the thread would
 * have to relay (a relay would make every agent's output wait on the next fork): the main thread
 * makes a connected pair of Unix sockets per stream, hands the thread the far end's descriptor
 * number (threads share descriptors), the child inherits it as its stdin/stdout/stderr, and the
 * main thread reads and writes its own end directly. Once the child has started the main thread
 * closes its copy of the far ends, so end-of-file means what it means for a pipe.
 *
 * The returned child has what the turn runner uses of a ChildProcess: `pid` (once started, with
 * a "spawn" event), `stdin`/`stdout`/`stderr` (usable at once: a socket buffers until it is
 * connected), "error" (a child that could not start) and "close" (exited, and its output read).
 */
export interface SpawnedChild {
  readonly pid: number | undefined;
  on(event: "error", listener: (err: NodeJS.ErrnoException) => void): this;
  on(event: "close", listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  once(event: "spawn", listener: () => void): this;
  kill(signal?: NodeJS.Signals): boolean;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
}

export interface SpawnOptions {
  cwd: string;
  /** Added to the bridge's own environment (which the thread shares). */
  env: Record<string, string>;
  /** Give the child a stdin to write to (else /dev/null). */
  stdin: boolean;
  /** Its own process group (a stop signals the group). */
  detached: boolean;
  /** Set on the child right after it starts (0: the bridge's own priority). */
  niceness: number;
}

/** The private socket the stream pairs are made through: in a 0700 folder, so only this user can connect. */
let pairs: { server: net.Server; file: string; accepted: ((s: net.Socket) => void)[] } | null = null;
let pairsReady = false;
let pairsFailed = false;
function openPairServer(): void {
  if (pairs || pairsFailed) return;
  try {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-stdio-"));
    const file = path.join(dir, "s");
    // Paused: the main thread never reads the far end, which belongs to the child.
    const server = net.createServer({ pauseOnConnect: true });
    const accepted: ((s: net.Socket) => void)[] = [];
    server.on("connection", (s) => {
      const take = accepted.shift();
      if (take) take(s);
      else s.destroy(); // nobody asked for it
    });
    server.on("error", () => {
      pairsFailed = true;
      pairsReady = false;
    });
    server.listen(file, () => {
      pairsReady = true;
    });
    server.unref();
    process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    pairs = { server, file, accepted };
  } catch {
    pairsFailed = true;
  }
}

/**
 * Connects `ours` to the pair server now; resolves with the far end (paused, for the child). A
 * Unix socket's connect happens at the call, and the server accepts in that order, so the n-th
 * connection accepted is the n-th connect made.
 */
function connectPair(ours: net.Socket): Promise<net.Socket> {
  const p = pairs!;
  return new Promise<net.Socket>((resolve, reject) => {
    p.accepted.push(resolve);
    const refused = (err: Error) => {
      const i = p.accepted.indexOf(resolve);
      if (i >= 0) p.accepted.splice(i, 1);
      reject(err);
    };
    ours.once("error", refused);
    ours.connect(p.file, () => ours.off("error", refused));
  });
}

/** Starts making the thread and the pair socket, so the first agent already starts off the main thread. */
export function prepareSpawnThread(): void {
  openPairServer();
  warmThread();
}

/** True once agents start off the main thread (else `spawnChild` starts them here, as before). */
export function spawnThreadReady(): boolean {
  return pairsReady;
}

class ThreadChild extends EventEmitter implements SpawnedChild {
  pid: number | undefined = undefined;
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private openStreams: number;
  private closed = false;

  constructor(
    readonly stdin: net.Socket | null,
    readonly stdout: net.Socket,
    readonly stderr: net.Socket,
  ) {
    super();
    this.openStreams = 2;
    for (const s of [stdout, stderr]) {
      s.once("close", () => this.streamClosed());
      // A reset from a child that died mid-write ends its output like an end-of-file would (the
      // close follows); unhandled, it would take the bridge down.
      s.on("error", () => {});
    }
    // The child may exit before reading its input: a write to a gone reader is not our error.
    stdin?.on("error", () => {});
  }

  kill(signal: NodeJS.Signals = "SIGTERM"): boolean {
    if (this.pid === undefined || this.exited) return false;
    try {
      process.kill(this.pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  private streamClosed() {
    this.openStreams--;
    this.maybeClose();
  }

  exit(code: number | null, signal: NodeJS.Signals | null) {
    this.exited = { code, signal };
    this.maybeClose();
  }

  private maybeClose() {
    if (!this.exited || this.openStreams > 0 || this.closed) return;
    this.closed = true;
    this.stdin?.destroy();
    this.emit("close", this.exited.code, this.exited.signal);
  }
}

function errnoError(e: {
  code?: number | string;
  errno?: number;
  syscall?: string;
  path?: string;
  message: string;
}): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(e.message);
  if (e.code !== undefined) err.code = String(e.code);
  if (e.errno !== undefined) err.errno = e.errno;
  if (e.syscall) err.syscall = e.syscall;
  if (e.path) err.path = e.path;
  return err;
}

function onThread(command: string, args: string[], options: SpawnOptions): SpawnedChild {
  const stdin = options.stdin ? new net.Socket() : null;
  const stdout = new net.Socket();
  const stderr = new net.Socket();
  const child = new ThreadChild(stdin, stdout, stderr);
  const fail = (err: Error) => {
    child.emit("error", err);
    stdin?.destroy();
    stdout.destroy();
    stderr.destroy();
    child.exit(null, null);
  };
  // Connected at once (a socket that is connecting queues what is written to it meanwhile).
  const farEnds = Promise.allSettled([stdin ? connectPair(stdin) : Promise.resolve(null), connectPair(stdout), connectPair(stderr)]);
  void (async () => {
    const settled = await farEnds;
    const far = settled.flatMap((r) => (r.status === "fulfilled" && r.value ? [r.value] : []));
    const refused = settled.find((r) => r.status === "rejected");
    if (refused) {
      far.forEach((s) => s.destroy());
      return fail(refused.reason as Error);
    }
    const fd = (s: net.Socket) => (s as unknown as { _handle: { fd: number } })._handle.fd;
    const stdio = [stdin ? fd(far[0]!) : "ignore", fd(far.at(-2)!), fd(far.at(-1)!)];
    /** Our copies of the far ends, closed once the child holds its own (or never started). */
    const closeFar = () => far.forEach((s) => s.destroy());
    const posted = postToThread(
      {
        kind: "spawn",
        command,
        args,
        options: { cwd: options.cwd, env: options.env, stdio, detached: options.detached, niceness: options.niceness },
      },
      {
        settles: (m) => m.kind === "exit",
        onMessage: (m: ThreadMessage) => {
          if (m.kind === "spawned") {
            closeFar();
            child.pid = m.pid;
            child.emit("spawn");
          } else if (m.kind === "error") {
            closeFar();
            child.emit("error", errnoError(m.error));
          } else if (m.kind === "exit") {
            closeFar();
            child.exit(m.code, m.signal);
          }
        },
        onDeath: (why) => {
          closeFar();
          // Without the thread nobody reaps or reports this child: end it, and say so.
          if (child.pid !== undefined) {
            try {
              process.kill(options.detached ? -child.pid : child.pid, "SIGKILL");
            } catch {
              /* gone already */
            }
            child.exit(null, "SIGKILL");
          } else fail(new Error(`The bridge's command thread stopped (${why}) before the agent started; try again.`));
        },
      },
    );
    if (posted === null) {
      closeFar();
      fail(new Error("The bridge could not start its command thread."));
    }
  })();
  return child;
}

/**
 * Starts `command args` (an argv array, never a shell) off the main thread once that is set up
 * (`prepareSpawnThread`), else here as node does. Either way the child has the same shape.
 */
export function spawnChild(command: string, args: string[], options: SpawnOptions): SpawnedChild {
  if (pairsReady) return onThread(command, args, options);
  openPairServer();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: [options.stdin ? "pipe" : "ignore", "pipe", "pipe"],
    detached: options.detached,
  });
  if (child.pid !== undefined && options.niceness > 0) {
    try {
      os.setPriority(child.pid, Math.min(19, os.getPriority(process.pid) + options.niceness));
    } catch {
      /* not permitted (or already gone): it runs at the bridge's priority */
    }
  }
  return child as unknown as SpawnedChild;
}
