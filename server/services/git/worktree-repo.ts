import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../errors";
import { gitOk, runGit } from "./run-git";

/** One entry of `git worktree list --porcelain -z`. */
export interface GitWorktree {
  path: string;
  head: string | null;
  /** The branch's short name; null when detached or bare. */
  branch: string | null;
  main: boolean;
  bare: boolean;
  detached: boolean;
  locked: boolean;
  prunable: boolean;
}

/** Parses `git worktree list --porcelain -z` (NUL-terminated lines, records ended by an empty one). */
export function parseWorktreeList(out: string): GitWorktree[] {
  const list: GitWorktree[] = [];
  let cur: GitWorktree | null = null;
  for (const line of out.split("\0")) {
    if (line === "") {
      if (cur) list.push(cur);
      cur = null;
      continue;
    }
    const sp = line.indexOf(" ");
    const key = sp < 0 ? line : line.slice(0, sp);
    const value = sp < 0 ? "" : line.slice(sp + 1);
    if (key === "worktree") {
      if (cur) list.push(cur);
      cur = {
        path: value,
        head: null,
        branch: null,
        main: list.length === 0,
        bare: false,
        detached: false,
        locked: false,
        prunable: false,
      };
    } else if (!cur) continue;
    else if (key === "HEAD") cur.head = value;
    else if (key === "branch") cur.branch = value.replace(/^refs\/heads\//, "");
    else if (key === "bare") cur.bare = true;
    else if (key === "detached") cur.detached = true;
    else if (key === "locked") cur.locked = true;
    else if (key === "prunable") cur.prunable = true;
  }
  if (cur) list.push(cur);
  return list;
}

/** The work tree root of `folder`, or a clear error when it is not inside a git work tree. */
export async function workTreeRoot(folder: string): Promise<string> {
  const r = await runGit(["rev-parse", "--show-toplevel"], { cwd: folder });
  if (r.code !== 0 || !r.stdout.trim()) throw new AppError("BAD_INPUT", `${folder} is not inside a git work tree.`);
  return fs.realpath(r.stdout.trim());
}

/** Every worktree of the repository `folder` belongs to, the main one first, paths symlink-resolved. */
export async function listWorktrees(folder: string): Promise<GitWorktree[]> {
  await workTreeRoot(folder);
  const list = parseWorktreeList(await gitOk(["worktree", "list", "--porcelain", "-z"], { cwd: folder }));
  return Promise.all(list.map(async (w) => ({ ...w, path: await fs.realpath(w.path).catch(() => path.resolve(w.path)) })));
}

/** The default base folder for a repository's worktrees: a sibling `<repo>-worktrees/`. */
export function defaultWorktreeBase(mainRepo: string): string {
  return path.join(path.dirname(mainRepo), `${path.basename(mainRepo)}-worktrees`);
}

/** True when `child` is strictly inside `parent` (both absolute and resolved). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

/**
 * The folder a new worktree goes to: `<base>/<folderName>`, resolved and confined to the base
 * folder (which is created when missing and symlink-resolved). It must not exist yet.
 */
export async function confinedWorktreePath(base: string, folderName: string): Promise<string> {
  await fs.mkdir(base, { recursive: true });
  const realBase = await fs.realpath(base);
  const target = path.resolve(realBase, folderName);
  if (!isInside(realBase, target) || path.dirname(target) !== realBase)
    throw new AppError("BAD_INPUT", `The worktree folder must be directly inside ${realBase}.`, { field: "branch" });
  const exists = await fs.lstat(target).then(
    () => true,
    () => false,
  );
  if (exists) throw new AppError("CONFLICT", `${target} already exists: pick another branch name or remove it.`, { field: "branch" });
  return target;
}
