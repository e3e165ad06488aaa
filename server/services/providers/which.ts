import fs from "node:fs/promises";
import path from "node:path";

/** Finds an executable on PATH the way a shell would (no shell involved). */
export async function which(command: string, envPath: string): Promise<string | null> {
  if (command.includes("/")) return (await isExecutable(command)) ? path.resolve(command) : null;
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (await isExecutable(candidate)) return candidate;
  }
  return null;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    await fs.access(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
