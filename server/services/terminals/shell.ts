import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppError } from "../../errors";

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The shell to run: an absolute path as given, or a bare name looked up on PATH. Nothing is
 * ever passed through another shell, so the setting is a program, not a command line.
 */
export function resolveShell(shell: string, envPath: string): string {
  const wanted = shell.trim();
  const hint = "Set the terminal shell in the agent's settings to a program such as /bin/bash.";
  if (wanted.includes("/")) {
    const abs = path.resolve(wanted);
    if (executable(abs)) return abs;
    throw new AppError("BAD_INPUT", `The shell ${abs} does not exist or is not executable.`, { field: "terminalShell", hint });
  }
  const found = onPath(wanted, envPath);
  if (found) return found;
  throw new AppError("BAD_INPUT", `The shell "${wanted}" is not on PATH.`, { field: "terminalShell", hint });
}

/** Shells with no line editing or history: fine for scripts, poor at a prompt on a phone. */
const BARE_POSIX = new Set(["sh", "dash", "ash"]);

function onPath(name: string, envPath: string): string | undefined {
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

function loginShellOf(): string | undefined {
  try {
    return os.userInfo().shell || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The shell a terminal runs when the agent names none. `$SHELL` when the bridge was started
 * from one; otherwise (a service manager, `env -i`, a container) the user's login shell from
 * the password database. A bare POSIX sh there gives way to bash or zsh when installed, since
 * a terminal without ↑ history is what a user would notice first.
 */
export function defaultShell(env: { SHELL?: string | null; PATH?: string }, loginShell: string | null = loginShellOf() ?? null): string {
  if (env.SHELL?.trim()) return env.SHELL.trim();
  const envPath = env.PATH ?? "";
  const login = loginShell && executable(loginShell) ? loginShell : undefined;
  if (login && !BARE_POSIX.has(path.basename(login))) return login;
  return onPath("bash", envPath) ?? onPath("zsh", envPath) ?? login ?? "/bin/sh";
}
