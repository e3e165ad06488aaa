import { execFile, type ExecFileOptions } from "node:child_process";
import { SHARE_ENV, Worker } from "node:worker_threads";

/**
 * Short commands (git above all) started off the bridge's main thread.
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
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { execFile } = require("node:child_process");
parentPort.on("message", ({ id, file, args, options }) => {
  let child;
  const reply = (err, stdout, stderr) => {
    parentPort.postMessage({
      id,
      stdout: String(stdout ?? ""),
      stderr: String(stderr ?? ""),
      error: err ? { code: err.code, killed: !!err.killed, signal: err.signal ?? null, message: String(err.message) } : null,
    });
  };
  try {
    child = execFile(file, args, { ...options, env: { ...process.env, ...options.env }, encoding: "utf8" }, reply);
  } catch (err) {
    return reply(err, "", "");
  }
  if (child.stdin) child.stdin.end();
});
`;

interface Pending {
  resolve: (r: ExecResult) => void;
  reject: (e: Error) => void;
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
    w.on("message", (m: ExecResult & { id: number }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      served++;
      if (pending.size === 0) w.unref();
      p.resolve({ stdout: m.stdout, stderr: m.stderr, error: m.error });
    });
    const died = (why: string) => {
      if (worker === w) worker = null;
      const lost = [...pending.values()];
      pending.clear();
      for (const p of lost) p.reject(new Error(`The bridge's command thread stopped (${why}); try again.`));
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
  const w = onThread();
  if (!w) return onMainThread(file, args, options);
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, file, args, options });
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
