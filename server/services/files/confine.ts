import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../errors";

/**
 * Resolves `relative` inside `root` and proves it stays there, symlinks included: `..`, absolute
 * paths and links pointing out are refused. For paths that may not exist yet, the nearest
 * existing parent is checked.
 */
export async function resolveInside(root: string, relative: string): Promise<string> {
  if (relative.includes("\0")) throw new AppError("BAD_INPUT", "The path contains a NUL byte.");
  if (path.isAbsolute(relative)) throw new AppError("BAD_INPUT", "Use a path relative to the agent's folder.");
  const realRoot = await fs.realpath(root);
  const target = path.resolve(realRoot, relative);
  if (!isWithin(realRoot, target)) throw new AppError("FORBIDDEN", "That path leaves the agent's folder.");
  let probe = target;
  for (;;) {
    try {
      const real = await fs.realpath(probe);
      if (!isWithin(realRoot, real)) throw new AppError("FORBIDDEN", "That path leads out of the agent's folder through a link.");
      return probe === target ? real : path.join(real, path.relative(probe, target));
    } catch (err) {
      if (err instanceof AppError) throw err;
      const parent = path.dirname(probe);
      if (parent === probe) throw err;
      probe = parent;
    }
  }
}

export function isWithin(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  // A leading ".." segment leaves the root; a name like "..v2" does not.
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
