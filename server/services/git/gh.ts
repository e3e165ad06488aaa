import { spawn } from "node:child_process";
import { AppError } from "../../errors";

export interface GhResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface GhOptions {
  cwd: string;
  /** $PATH to look gh up on (the bridge's). */
  path: string;
  env?: Record<string, string>;
  stdin?: string;
  timeoutMs?: number;
}

/**
 * Runs `gh <args>` (argv, never a shell) with prompts off. A missing gh is code 127 with
 * `missing: true` rather than a throw: the caller falls back to a compare URL.
 */
export function runGh(args: string[], opts: GhOptions): Promise<GhResult & { missing?: true }> {
  return new Promise((resolve, reject) => {
    const child = spawn("gh", args, {
      cwd: opts.cwd,
      env: {
        ...process.env,
        ...opts.env,
        PATH: opts.path,
        GH_PROMPT_DISABLED: "1",
        GH_NO_UPDATE_NOTIFIER: "1",
        NO_COLOR: "1",
        GIT_TERMINAL_PROMPT: "0",
      },
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });
    let stdout = "";
    let stderr = "";
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      child.kill("SIGKILL");
      reject(new AppError("CONFLICT", `gh ${args[0]} took longer than ${Math.round((opts.timeoutMs ?? 60_000) / 1000)} s.`));
    }, opts.timeoutMs ?? 60_000);
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout = (stdout + d).slice(-1_000_000)));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-64_000)));
    child.on("error", (err: NodeJS.ErrnoException) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err.code === "ENOENT") resolve({ stdout: "", stderr: "", code: 127, missing: true });
      else reject(new AppError("CONFLICT", `Could not start gh: ${err.message}`));
    });
    child.on("close", (code) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ stdout, stderr, code: code ?? 1 });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(opts.stdin ?? "");
  });
}

export type GhState = { available: boolean; authenticated: boolean; reason: string | null };

/** Whether gh is installed and logged in, remembered for `ttlMs` (a status check costs a network call). */
export function createGhProbe(opts: { path: string; env?: Record<string, string>; ttlMs: number }) {
  let cached: { at: number; state: Promise<GhState> } | null = null;
  async function probe(cwd: string): Promise<GhState> {
    const r = await runGh(["auth", "status"], { cwd, path: opts.path, env: opts.env, timeoutMs: 20_000 }).catch((err: Error) => ({
      code: 1,
      stdout: "",
      stderr: err.message,
      missing: undefined,
    }));
    if (r.missing) return { available: false, authenticated: false, reason: "gh (GitHub CLI) is not installed on the bridge's machine." };
    if (r.code !== 0) {
      const line = (r.stderr || r.stdout).trim().split("\n").find(Boolean) ?? `exit status ${r.code}`;
      return { available: true, authenticated: false, reason: `gh is not logged in (${line.trim()}).` };
    }
    return { available: true, authenticated: true, reason: null };
  }
  return {
    state(cwd: string): Promise<GhState> {
      if (cached && Date.now() - cached.at < opts.ttlMs) return cached.state;
      const state = probe(cwd);
      cached = { at: Date.now(), state };
      return state;
    },
  };
}
