import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export interface FolderSuggestions {
  /** The directory that was listed (resolved). */
  dir: string;
  parent: string | null;
  entries: { name: string; path: string; isGitRepo: boolean }[];
}

/**
 * Lists sub-folders of an absolute directory so the phone can pick a project folder without
 * typing a path. Owner-only (owners can already run a shell); hidden folders are skipped.
 */
export async function suggestFolders(input: string | undefined, limit = 200): Promise<FolderSuggestions> {
  const requested = input && path.isAbsolute(input) ? input : os.homedir();
  let dir: string;
  try {
    dir = await fs.realpath(requested);
    if (!(await fs.stat(dir)).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = await fs.realpath(os.homedir());
  }
  let dirents: import("node:fs").Dirent[] = [];
  try {
    dirents = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    /* unreadable: show no entries */
  }
  const isFolder = async (d: import("node:fs").Dirent) =>
    d.isDirectory() ||
    (d.isSymbolicLink() &&
      (await fs.stat(path.join(dir, d.name)).then(
        (s) => s.isDirectory(),
        () => false,
      )));
  const visible = dirents.filter((d) => !d.name.startsWith(".") && d.name !== "node_modules");
  const flags = await Promise.all(visible.map(isFolder));
  const folders = visible
    .filter((_, i) => flags[i])
    .map((d) => d.name)
    .sort((a, b) => a.localeCompare(b))
    .slice(0, limit);
  const entries = await Promise.all(
    folders.map(async (name) => {
      const p = path.join(dir, name);
      const isGitRepo = await fs.stat(path.join(p, ".git")).then(
        () => true,
        () => false,
      );
      return { name, path: p, isGitRepo };
    }),
  );
  return { dir, parent: dir === "/" ? null : path.dirname(dir), entries };
}
