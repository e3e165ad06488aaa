import { execFile, type ExecFileOptions } from "node:child_process";
import { SHARE_ENV, Worker } from "node:worker_threads";

/**
 * Children started off the bridge's main thread: short commands (git above all, here) and the
 * agent CLIs' long-lived processes (spawn-thread.ts).
 *
 * Starting a child blocks the thread that starts it until the child has exec'd: the process is
 * forked, and libuv waits for the exec. On a busy 2-core machine that is 10–100 ms a command, and
 * a mission or a turn runs dozens of git commands (worktrees, snapshots, commits, merges), so the
 * main thread, which streams every agent's events, stalled for seconds a minute (bench/mission.ts
 * under --cpu-prof: ChildProcess.spawn was the largest self time after idle). One worker thread
 * starts them instead; the main thread only posts a message and reads the answer.
 *
 * The worker is made on first use, kept referenced only while commands are pending (an idle one
 * never keeps the process alive), and made again if it dies; commands pending on a dead worker
 * fail with a clear error. Where a worker cannot be made at all, commands run on the main thread.
 */

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** execFile's error, as plain data (what crosses a thread): null on exit status 0. */
  error: { code?: number | string; killed?: boolean; signal?: string | null; message: string } | null;
}

/** `env` is added to the bridge's own environment (which the thread shares), not a whole environment. */
export type ExecOptions = Pick<ExecFileOptions, "cwd" | "timeout" | "maxBuffer" | "windowsHide"> & {
  cwd: string;
  env?: Record<string, string>;
};

// Plain CommonJS, evaluated by the worker: no loader, no file to find in a dev or a built tree.
// "exec" runs a short command and answers once; "spawn" starts a long-lived child whose stdio are
// descriptors the main thread made (spawn-thread.ts), answers "spawned" (or "error"), then "exit".
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { execFile, spawn } = require("node:child_process");
const os = require("node:os");
const errorData = (err) => ({ code: err.code, errno: err.errno, syscall: err.syscall, path: err.path, killed: !!err.killed, signal: err.signal ?? null, message: String(err.message) });
function exec({ id, file, args, options }) {
  let child;
  const reply = (err, stdout, stderr) => {
    parentPort.postMessage({ id, kind: "done", stdout: String(stdout ?? ""), stderr: String(stderr ?? ""), error: err ? errorData(err) : null });
  };
  try {
    child = execFile(file, args, { ...options, env: { ...process.env, ...options.env }, encoding: "utf8" }, reply);
  } catch (err) {
    return reply(err, "", "");
  }
  if (child.stdin) child.stdin.end();
}
function start({ id, command, args, options }) {
  let child;
  try {
    child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: options.stdio, detached: options.detached });
  } catch (err) {
    parentPort.postMessage({ id, kind: "error", error: errorData(err) });
    return parentPort.postMessage({ id, kind: "exit", code: null, signal: null });
  }
  child.once("error", (err) => {
    parentPort.postMessage({ id, kind: "error", error: errorData(err) });
    // A child that never started has no exit to wait for (node closes it with the errno).
    if (child.pid === undefined) parentPort.postMessage({ id, kind: "exit", code: err.errno ?? null, signal: null });
  });
  child.once("exit", (code, signal) => parentPort.postMessage({ id, kind: "exit", code, signal }));
  if (child.pid === undefined) return;
  if (options.niceness > 0) {
    // Before the CLI is past its start-up, so the tools it starts inherit it.
    try {
      os.setPriority(child.pid, Math.min(19, os.getPriority(process.pid) + options.niceness));
    } catch {}
  }
  parentPort.postMessage({ id, kind: "spawned", pid: child.pid });
}
parentPort.on("message", (m) => (m.kind === "spawn" ? start(m) : exec(m)));
`;

/** What the thread says about one request; `settled` ends it (an exec's answer, a child's exit). */
export type ThreadMessage =
  | { id: number; kind: "done"; stdout: string; stderr: string; error: ExecResult["error"] }
  | { id: number; kind: "spawned"; pid: number }
  | { id: number; kind: "error"; error: NonNullable<ExecResult["error"]> & { errno?: number; syscall?: string; path?: string } }
  | { id: number; kind: "exit"; code: number | null; signal: NodeJS.Signals | null };

interface Pending {
  onMessage: (m: ThreadMessage) => void;
  settles: (m: ThreadMessage) => boolean;
  onDeath: (why: string) => void;
}

let worker: Worker | null = null;
let unavailable = false;
let nextId = 1;
const pending = new Map<number, Pending>();
let served = 0;

function onThread(): Worker | null {
  if (worker) return worker;
  if (unavailable) return null;
  try {
    const w = new Worker(WORKER_SOURCE, { eval: true, name: "maestro-exec", env: SHARE_ENV });
    w.on("message", (m: ThreadMessage) => {
      const p = pending.get(m.id);
      if (!p) return;
      if (p.settles(m)) {
        pending.delete(m.id);
        served++;
        // Referenced only while something is pending: an idle thread never keeps the bridge alive.
        if (pending.size === 0) w.unref();
      }
      p.onMessage(m);
    });
    const died = (why: string) => {
      if (worker === w) worker = null;
      const lost = [...pending.values()];
      pending.clear();
      for (const p of lost) p.onDeath(why);
    };
    w.on("error", (err) => died(err.message));
    w.on("exit", (code) => died(`exit ${code}`));
    w.unref();
    worker = w;
    return w;
  } catch {
    unavailable = true;
    return null;
  }
}

/** Makes the thread now (it takes a moment to boot), so the first request does not wait for it. */
export function warmThread(): void {
  onThread();
}

/**
 * Posts a request to the thread; its messages go to `handler` until one `settles` it. false:
 * there is no thread (the caller does the work on the main thread).
 */
export function postToThread(message: Record<string, unknown>, handler: Pending): number | null {
  const w = onThread();
  if (!w) return null;
  const id = nextId++;
  pending.set(id, handler);
  w.ref();
  w.postMessage({ ...message, id });
  return id;
}

function onMainThread(file: string, args: string[], options: ExecOptions): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { ...options, env: { ...process.env, ...options.env }, encoding: "utf8" }, (err, stdout, stderr) =>
      resolve({
        stdout,
        stderr,
        error: err
          ? {
              code: (err as NodeJS.ErrnoException & { code?: number | string }).code,
              killed: err.killed,
              signal: err.signal,
              message: err.message,
            }
          : null,
      }),
    );
    child.stdin?.end();
  });
}

/** Runs `file args` (an argv array, never a shell) off the main thread; its output is utf8 text and stdin is closed. */
export function execOffThread(file: string, args: string[], options: ExecOptions): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const posted = postToThread(
      { kind: "exec", file, args, options },
      {
        settles: () => true,
        onMessage: (m) =>
          m.kind === "done" ? resolve({ stdout: m.stdout, stderr: m.stderr, error: m.error }) : reject(new Error("unexpected answer")),
        onDeath: (why) => reject(new Error(`The bridge's command thread stopped (${why}); try again.`)),
      },
    );
    if (posted === null) resolve(onMainThread(file, args, options));
  });
}

/** For tests: how many commands the thread has answered, and a way to kill it (the next command makes a new one). */
export const execThread = {
  served: () => served,
  async kill(): Promise<void> {
    const w = worker;
    if (w) await w.terminate();
  },
};
