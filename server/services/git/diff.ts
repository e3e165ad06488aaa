import fs from "node:fs";
import path from "node:path";
import { AppError } from "../../errors";
import { DIFF_LINE_CAP, parseRawNumstat, parseUnifiedDiff, type ChangedFile, type FileDiff } from "../../../lib/git/diff";
import { gitOk, runGit } from "./run-git";
import { hasHead, repoOf, resolveCommit, type AgentLookup } from "./diff-repo";

/** "Show anyway" still stops somewhere: a diff past this many lines is not a page anyone reads. */
const FULL_CAP = 200_000;
/** Untracked files listed at most; past it the list says so through `untrackedMore`. */
const UNTRACKED_CAP = 1000;
/** Untracked files bigger than this are not read to count lines. */
const COUNT_BYTES = 4 * 1024 * 1024;

export interface FileDiffView extends FileDiff {
  file: ChangedFile;
  /** For a binary file: bytes before and after, when git says. */
  bytes: { before: number; after: number } | null;
}

const DIFF_FLAGS = ["--no-color", "--no-ext-diff", "--find-renames"];

/** Counts an untracked file's lines (it is all additions), or calls it binary (a NUL in its first 8 KB, or too big). */
function untrackedFile(top: string, rel: string): ChangedFile {
  const abs = path.join(top, rel);
  const base = { path: rel, oldPath: null, status: "?", added: 0, removed: 0, binary: false };
  const st = fs.lstatSync(abs, { throwIfNoEntry: false });
  if (!st?.isFile()) return base;
  if (st.size > COUNT_BYTES) return { ...base, binary: true };
  const buf = fs.readFileSync(abs);
  if (buf.subarray(0, 8000).includes(0)) return { ...base, binary: true };
  let n = 0;
  for (const b of buf) if (b === 10) n++;
  if (buf.length && buf[buf.length - 1] !== 10) n++;
  return { ...base, added: n };
}

async function binaryBytes(top: string, args: string[], paths: string[]): Promise<{ before: number; after: number } | null> {
  const out = await gitOk([...args, "--stat=1000", "--", ...paths], { cwd: top });
  const m = /Bin (\d+) -> (\d+) bytes/.exec(out);
  return m ? { before: Number(m[1]), after: Number(m[2]) } : null;
}

/**
 * The agent's changes. Unstaged = the working tree against the index, plus untracked files (not
 * ignored) shown as added with status "?"; staged = the index against HEAD (against the empty
 * tree before the first commit). Every path a client names must be one of the listed files and
 * goes after `--`.
 */
export function createDiffsService({ agents }: { agents: AgentLookup }) {
  async function changed(top: string, staged: boolean) {
    const files = parseRawNumstat(
      await gitOk(["diff", ...(staged ? ["--cached"] : []), ...DIFF_FLAGS, "--raw", "--numstat", "-z"], { cwd: top }),
    );
    let untrackedMore = 0;
    if (!staged) {
      const others = (await gitOk(["ls-files", "--others", "--exclude-standard", "-z"], { cwd: top })).split("\0").filter(Boolean);
      untrackedMore = Math.max(0, others.length - UNTRACKED_CAP);
      for (const rel of others.slice(0, UNTRACKED_CAP)) files.push(untrackedFile(top, rel));
    }
    return { files, untrackedMore };
  }

  /** A commit's files against its first parent (against nothing for a root commit). */
  async function commitFiles(agentId: string, sha: string) {
    const top = await repoOf(agents, agentId);
    const full = await resolveCommit(top, sha);
    const out = await gitOk(
      ["diff-tree", "-r", "--root", "--no-commit-id", "-m", "--first-parent", ...DIFF_FLAGS, "--raw", "--numstat", "-z", full],
      { cwd: top },
    );
    return { sha: full, files: parseRawNumstat(out) };
  }

  function cap(full: boolean | undefined) {
    return full ? FULL_CAP : DIFF_LINE_CAP;
  }

  return {
    async files(agentId: string, staged: boolean) {
      const top = await repoOf(agents, agentId);
      return { root: top, ...(await changed(top, staged)) };
    },

    async file(agentId: string, filePath: string, staged: boolean, full?: boolean): Promise<FileDiffView> {
      const top = await repoOf(agents, agentId);
      const { files } = await changed(top, staged);
      const file = files.find((f) => f.path === filePath);
      if (!file) throw new AppError("NOT_FOUND", `${filePath} has no ${staged ? "staged" : "unstaged"} changes.`);
      if (file.status === "?") {
        // An untracked file against nothing: exit status 1 means "they differ", which they do.
        const r = await runGit(["diff", "--no-color", "--no-ext-diff", "--no-index", "--", "/dev/null", file.path], { cwd: top });
        if (r.code > 1) throw new AppError("BAD_INPUT", `git diff failed: ${r.stderr.trim().split("\n")[0]}`);
        const size = fs.lstatSync(path.join(top, file.path), { throwIfNoEntry: false })?.size ?? 0;
        const d = parseUnifiedDiff(r.stdout, cap(full));
        return { ...d, binary: d.binary || file.binary, file, bytes: d.binary || file.binary ? { before: 0, after: size } : null };
      }
      const paths = file.oldPath ? [file.oldPath, file.path] : [file.path];
      const base = ["diff", ...(staged ? ["--cached"] : []), ...DIFF_FLAGS];
      const d = parseUnifiedDiff(await gitOk([...base, "--", ...paths], { cwd: top }), cap(full));
      const bytes = file.binary ? await binaryBytes(top, base, paths) : null;
      return { ...d, binary: d.binary || file.binary, file, bytes };
    },

    commitFiles,

    async commitFile(agentId: string, sha: string, filePath: string, full?: boolean): Promise<FileDiffView> {
      const { sha: commit, files } = await commitFiles(agentId, sha);
      const top = await repoOf(agents, agentId);
      const file = files.find((f) => f.path === filePath);
      if (!file) throw new AppError("NOT_FOUND", `${filePath} did not change in ${commit.slice(0, 7)}.`);
      const paths = file.oldPath ? [file.oldPath, file.path] : [file.path];
      const base = ["diff-tree", "-p", "-r", "--root", "--no-commit-id", "-m", "--first-parent", ...DIFF_FLAGS, commit];
      const d = parseUnifiedDiff(await gitOk([...base, "--", ...paths], { cwd: top }), cap(full));
      const bytes = file.binary ? await binaryBytes(top, base, paths) : null;
      return { ...d, binary: d.binary || file.binary, file, bytes };
    },

    hasHead,
  };
}

export type DiffsService = ReturnType<typeof createDiffsService>;
