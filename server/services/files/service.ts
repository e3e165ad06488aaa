import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { rankPaths } from "../../../lib/mentions";

const CACHE_MS = 10_000;
const MAX_FILES = 50_000;
const SKIP_DIRS = new Set([".git", "node_modules", ".next", "dist", "build", ".venv", "__pycache__", "target"]);

/** Lists files of a folder, relative, honouring .gitignore when it is a git work tree. */
async function listFiles(folder: string): Promise<string[]> {
  const fromGit = await new Promise<string[] | null>((resolve) => {
    execFile(
      "git",
      ["ls-files", "--cached", "--others", "--exclude-standard", "-z"],
      { cwd: folder, maxBuffer: 64 * 1024 * 1024, timeout: 10_000 },
      (err, stdout) => resolve(err ? null : stdout.split("\0").filter(Boolean).slice(0, MAX_FILES)),
    );
  });
  if (fromGit) return fromGit;
  const out: string[] = [];
  async function walk(dir: string) {
    if (out.length >= MAX_FILES) return;
    let entries: import("node:fs").Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= MAX_FILES) return;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(full);
      } else if (e.isFile()) out.push(path.relative(folder, full));
    }
  }
  await walk(folder);
  return out;
}

/** `@` mention candidates for an agent's folder (never outside it: paths come from a listing of it). */
export function createFilesService() {
  const cache = new Map<string, { at: number; files: Promise<string[]> }>();
  return {
    async search(folder: string, query: string, limit = 20): Promise<string[]> {
      let entry = cache.get(folder);
      if (!entry || Date.now() - entry.at > CACHE_MS) {
        entry = { at: Date.now(), files: listFiles(folder) };
        cache.set(folder, entry);
      }
      return rankPaths(await entry.files, query, limit);
    },
  };
}
