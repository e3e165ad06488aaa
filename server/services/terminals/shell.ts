import fs from "node:fs";
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
export function resolveShell(shell: string, envPath = process.env.PATH ?? ""): string {
  const wanted = shell.trim();
  const hint = "Set the terminal shell in the agent's settings to a program such as /bin/bash.";
  if (wanted.includes("/")) {
    const abs = path.resolve(wanted);
    if (executable(abs)) return abs;
    throw new AppError("BAD_INPUT", `The shell ${abs} does not exist or is not executable.`, { field: "terminalShell", hint });
  }
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, wanted);
    if (executable(candidate)) return candidate;
  }
  throw new AppError("BAD_INPUT", `The shell "${wanted}" is not on PATH.`, { field: "terminalShell", hint });
}
