import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { DEFAULT_AUTORUN_FOLDER } from "../../../lib/autorun/documents";
import { runCopyName } from "../../../lib/autorun/run-prompt";
import { parseAgentSettings } from "../../../lib/schemas/agent-settings";
import { AppError } from "../../errors";
import { resolveInside } from "../files/confine";

/**
 * The agent's Auto Run folder: the `autorunFolder` agent setting (validated: relative, inside the
 * project), default `<project>/.maestro/playbooks` — the same folder the documents service uses.
 */
export function autorunFolderOf(agent: { folder: string; settingsJson: string }): string {
  return path.resolve(agent.folder, parseAgentSettings(agent.settingsJson).autorunFolder || DEFAULT_AUTORUN_FOLDER);
}

/** A document of the Auto Run folder, confined to it (no `..`, no links out). */
export async function documentPath(folder: string, filename: string): Promise<string> {
  await fs.mkdir(folder, { recursive: true });
  return resolveInside(folder, filename);
}

export async function readDocument(file: string, filename: string): Promise<string> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError("NOT_FOUND", code === "ENOENT" ? `The document ${filename} does not exist in the Auto Run folder.` : `Cannot read ${filename}: ${(err as Error).message}`);
  }
}

/**
 * The working copy for a reset-on-completion document: `runs/<doc>-<stamp>-loop-<N>.md` beside
 * the documents, with template variables filled. The original is only read.
 */
export async function makeRunCopy(folder: string, filename: string, text: string, loop: number, at = new Date()): Promise<string> {
  let rel = runCopyName(filename, at, loop);
  for (let n = 2; await exists(path.join(folder, rel)); n++) rel = rel.replace(/(-loop-\d+)(?:-\d+)?\.md$/, `$1-${n}.md`);
  const target = await resolveInside(folder, rel);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, text, { flag: "wx" });
  return target;
}

async function exists(p: string) {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

const branches = new Map<string, { at: number; branch: Promise<string> }>();

/**
 * The project's current git branch, or "" outside a repository. Read at most every few seconds
 * per folder: a run asks before every task, and a git spawn per task would cost more than the
 * rest of the runner's work.
 */
export function gitBranch(cwd: string, maxAgeMs = 5000): Promise<string> {
  const hit = branches.get(cwd);
  if (hit && Date.now() - hit.at < maxAgeMs) return hit.branch;
  const branch = new Promise<string>((resolve) => {
    execFile("git", ["rev-parse", "--abbrev-ref", "HEAD"], { cwd, timeout: 5000 }, (err, stdout) => resolve(err ? "" : stdout.trim()));
  });
  branches.set(cwd, { at: Date.now(), branch });
  return branch;
}
