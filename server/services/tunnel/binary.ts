import fs from "node:fs";
import path from "node:path";

function isExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The cloudflared to run: the configured path if it is an executable file, else the first
 * `cloudflared` on PATH (with Windows' PATHEXT). Null when there is none.
 */
export function findCloudflared(configured: string | null, env: NodeJS.ProcessEnv): string | null {
  if (configured) return isExecutable(configured) ? path.resolve(configured) : null;
  const exts = process.platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD").split(";") : [""];
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, `cloudflared${ext}`);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return null;
}
