import { AppError } from "../../errors";
import { execOffThread } from "../exec-thread";

/** What a git command gave back; `code` is its exit status (0 = success). */
export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface GitOptions {
  /** The working directory: a repository or a worktree, already resolved and confined by the caller. */
  cwd: string;
  /** Default 15 s: a hung git (a lock, a credential prompt) must not hang a request. */
  timeoutMs?: number;
  /** Largest stdout kept, default 32 MB; past it the command fails with a clear error. */
  maxBytes?: number;
  /** Extra environment (on top of the bridge's); prompts are always off. */
  env?: Record<string, string>;
}

/**
 * Runs `git <args>` with an argv array (never a shell string) in `cwd`. Git never prompts
 * (GIT_TERMINAL_PROMPT=0, no askpass, stdin closed), output is parsed as C-locale text, and the
 * exit status is returned rather than thrown: callers decide what a non-zero code means. A
 * missing git, a timeout or too much output is an AppError a person can act on.
 *
 * Every argument that comes from a user (a branch, a path, a message) must either be checked by
 * its own rule first or follow `--`, so it can never be read as an option.
 */
export async function runGit(args: string[], opts: GitOptions): Promise<GitResult> {
  // Started off the main thread (exec-thread.ts): forking git would stall every agent's stream.
  const { stdout, stderr, error } = await execOffThread("git", args, {
    cwd: opts.cwd,
    timeout: opts.timeoutMs ?? 15_000,
    maxBuffer: opts.maxBytes ?? 32 * 1024 * 1024,
    windowsHide: true,
    // On top of the bridge's environment (shared with the thread: only what differs crosses).
    env: {
      ...opts.env,
      GIT_TERMINAL_PROMPT: "0",
      GIT_ASKPASS: "",
      SSH_ASKPASS: "",
      GIT_OPTIONAL_LOCKS: "0",
      LC_ALL: "C",
      LANG: "C",
    },
  });
  if (!error) return { stdout, stderr, code: 0 };
  if (error.code === "ENOENT") throw new AppError("NOT_FOUND", "git is not installed on this machine (or not on PATH).");
  if (error.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER")
    throw new AppError("BAD_INPUT", `git ${args[0]} printed more than this view can hold.`);
  if (error.killed || error.signal === "SIGTERM")
    throw new AppError("CONFLICT", `git ${args[0]} took longer than ${((opts.timeoutMs ?? 15_000) / 1000).toFixed(1)} s.`);
  return { stdout, stderr, code: typeof error.code === "number" ? error.code : 1 };
}

/** Runs git and throws its stderr (first line) as a BAD_INPUT when it fails. */
export async function gitOk(args: string[], opts: GitOptions): Promise<string> {
  const r = await runGit(args, opts);
  if (r.code !== 0) {
    // Git's own reason, not a progress line before it (`worktree add` says "Preparing worktree …" first).
    const lines = (r.stderr || r.stdout).trim().split("\n");
    const line = lines.find((l) => /^(fatal|error): /.test(l)) ?? (lines[0] || `exit status ${r.code}`);
    throw new AppError("BAD_INPUT", `git ${args[0]} failed: ${line.replace(/^(fatal|error): /, "")}`);
  }
  return r.stdout;
}
