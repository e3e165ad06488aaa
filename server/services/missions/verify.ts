import { spawn } from "node:child_process";
import { parseVerificationStep } from "../../../lib/missions/rules";

/** One verification step as run: a command's exit status and the tail of its output, or why it was not run. */
export interface StepResult {
  step: string;
  argv: string[] | null;
  /** null: prose (the worker's to report on), or refused. */
  code: number | null;
  ok: boolean;
  /** The command's output tail (stdout and stderr as they came), or the refusal. */
  output: string;
}

export interface Verification {
  /** How many steps were commands (run, or refused). */
  commands: number;
  passed: boolean;
  steps: StepResult[];
  /** The assertion evidence: each command with its exit status and output tail. */
  evidence: string;
}

export const VERIFY_TIMEOUT_MS = 5 * 60_000;
/** What is kept of a command's output: its last bytes (the end says why it failed). */
const OUTPUT_TAIL = 4000;
/** Past this much output the command's output is only counted (a runaway test log). */
const OUTPUT_MAX = 1_000_000;
/** After the command exits, how long its pipes may stay open (a descendant holding them) before its result is taken. */
const EXIT_GRACE_MS = 1000;

/**
 * Runs one command as argv (never a shell) in `cwd`: its exit status and the tail of what it
 * printed. A missing program is status 127, a timeout kills it (status 124, as timeout(1) says).
 */
export function runCommand(
  argv: string[],
  cwd: string,
  opts: { timeoutMs: number; signal?: AbortSignal },
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    let out = "";
    let dropped = 0;
    const take = (text: string) => {
      if (out.length > OUTPUT_MAX) {
        dropped += Buffer.byteLength(text);
        return;
      }
      out += text;
    };
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd,
      shell: false,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CI: process.env.CI ?? "1" },
      detached: process.platform !== "win32",
      windowsHide: true,
    });
    let why: string | null = null;
    let grace: NodeJS.Timeout | null = null;
    // A descendant that left the process group (setsid, a daemon) can hold the pipes open after
    // the command is gone: 'close' would never come. The command's own exit, and a moment for
    // its last output, are enough.
    const release = () => {
      child.stdout.destroy();
      child.stderr.destroy();
    };
    const kill = (reason: string) => {
      why ??= reason;
      try {
        if (child.pid && process.platform !== "win32") process.kill(-child.pid, "SIGKILL");
        else child.kill("SIGKILL");
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => kill(`Timed out after ${Math.round(opts.timeoutMs / 1000)} s.`), opts.timeoutMs);
    const onAbort = () => kill("Stopped.");
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    // Decoded as a stream: a character split across two chunks is not garbled.
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    let settled = false;
    const done = (code: number, extra = "") => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (grace) clearTimeout(grace);
      opts.signal?.removeEventListener("abort", onAbort);
      release();
      const tail = out.length > OUTPUT_TAIL ? `…${out.slice(-OUTPUT_TAIL)}` : out;
      const more = dropped ? `\n(${dropped} more bytes of output not kept)` : "";
      resolve({ code, output: `${tail}${more}${extra}`.trim() });
    };
    const finish = (code: number | null, signal: NodeJS.Signals | null) =>
      done(why ? 124 : (code ?? (signal ? 128 : 1)), why ? `\n${why}` : "");
    child.on("error", (err: NodeJS.ErrnoException) =>
      done(err.code === "ENOENT" ? 127 : 126, `\n${argv[0]}: ${err.code === "ENOENT" ? "command not found" : err.message}`),
    );
    child.on("exit", (code, signal) => {
      grace = setTimeout(() => finish(code, signal), EXIT_GRACE_MS);
    });
    child.on("close", finish);
  });
}

/**
 * A feature's verification: every step that is a command runs, one after another, in the
 * feature's worktree; prose steps are the worker's. A refused step (a shell operator) fails.
 */
export async function verifyFeature(
  steps: string[],
  cwd: string,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<Verification> {
  const results: StepResult[] = [];
  for (const step of steps) {
    const parsed = parseVerificationStep(step);
    if (!parsed) {
      results.push({ step, argv: null, code: null, ok: true, output: "" });
      continue;
    }
    if ("refused" in parsed) {
      results.push({ step, argv: null, code: null, ok: false, output: parsed.refused });
      continue;
    }
    if (opts.signal?.aborted) break;
    const r = await runCommand(parsed.argv, cwd, { timeoutMs: opts.timeoutMs ?? VERIFY_TIMEOUT_MS, signal: opts.signal });
    results.push({ step, argv: parsed.argv, code: r.code, ok: r.code === 0, output: r.output });
  }
  const commands = results.filter((r) => r.argv || !r.ok);
  const evidence = commands
    .map((r) => (r.argv ? `$ ${r.argv.join(" ")} → exit ${r.code}${r.output ? `\n${r.output}` : ""}` : `${r.step}: ${r.output}`))
    .join("\n\n");
  return { commands: commands.length, passed: commands.every((r) => r.ok), steps: results, evidence };
}
