import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { parseChecklist, setTaskDone } from "../../../lib/autorun/checklist";
import { DEFAULT_AUTORUN_FOLDER, formatBytes, markdownName, MAX_DOCUMENT_BYTES } from "../../../lib/autorun/documents";
import { runCopyName } from "../../../lib/autorun/run-prompt";
import { parseAgentSettings } from "../../../lib/schemas/agent-settings";
import { AppError } from "../../errors";
import { resolveInside } from "../files/confine";

/**
 * The Auto Run folder `relative` (an agent setting) resolved inside the project, links followed:
 * a folder that is (or passes through) a link out of the project is refused, so neither the
 * editor nor a run reads or writes outside it.
 */
export async function confinedAutorunFolder(project: string, relative: string): Promise<string> {
  return resolveInside(project, relative).catch((err: unknown) => {
    if (err instanceof AppError)
      throw new AppError(err.code, `The Auto Run folder “${relative}” is not inside the project: ${err.message}`, {
        hint: "Change it in the agent's settings.",
      });
    throw err;
  });
}

/**
 * The agent's Auto Run folder: the `autorunFolder` agent setting, default
 * `<project>/.maestro/playbooks` — the same folder, confined the same way, as the documents service's.
 */
export function autorunFolderOf(agent: { folder: string; settingsJson: string }): Promise<string> {
  return confinedAutorunFolder(agent.folder, parseAgentSettings(agent.settingsJson).autorunFolder || DEFAULT_AUTORUN_FOLDER);
}

/**
 * The pathspec (from `--` on) for "everything under `cwd` but the agent's Auto Run folder". The
 * checklists there are Auto Run's bookkeeping — a worktree run leaves its copies of them behind —
 * so a task's commit, Commit, the drafted message and Remove's uncommitted count leave them out.
 * A folder not strictly inside `cwd` (or not resolvable) excludes nothing.
 */
export async function outsideAutorunFolder(project: string, settings: { autorunFolder?: string | null }, cwd: string): Promise<string[]> {
  const folder = await confinedAutorunFolder(project, settings.autorunFolder || DEFAULT_AUTORUN_FOLDER).catch(() => null);
  const rel = folder ? path.relative(cwd, folder) : "";
  if (!rel || path.isAbsolute(rel) || rel.split(path.sep)[0] === "..") return ["--", "."];
  return ["--", ".", `:(exclude,literal)${rel.split(path.sep).join("/")}`];
}

export function tooLarge(p: string, bytes: number): AppError {
  return new AppError(
    "BAD_INPUT",
    `“${p}” is ${formatBytes(bytes)}; Auto Run documents are limited to ${formatBytes(MAX_DOCUMENT_BYTES)}.`,
    {
      hint: "Split it into several documents.",
    },
  );
}

/**
 * A document of the Auto Run folder, confined to it (no `..`, no links out). A playbook may name
 * it without `.md`, as desktop and its registry do (`"filename": "1_ANALYZE"`).
 */
export async function documentPath(folder: string, filename: string): Promise<string> {
  await fs.mkdir(folder, { recursive: true });
  return resolveInside(folder, markdownName(filename));
}

/** A document's text for a run; over the size limit it is refused, as in the editor. */
export async function readDocument(file: string, filename: string): Promise<string> {
  let bytes: Buffer;
  try {
    const { size } = await fs.stat(file);
    if (size > MAX_DOCUMENT_BYTES) throw tooLarge(filename, size);
    bytes = await fs.readFile(file);
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError(
      "NOT_FOUND",
      code === "ENOENT"
        ? `The document ${filename} does not exist in the Auto Run folder.`
        : `Cannot read ${filename}: ${(err as Error).message}`,
    );
  }
  // Grown past the limit between the stat and the read.
  if (bytes.length > MAX_DOCUMENT_BYTES) throw tooLarge(filename, bytes.length);
  return bytes.toString("utf8");
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

/**
 * Ticks the task marked for a human on `line` of a run's document (the person says they did it),
 * through a temp file and a rename. Refused if that line is no longer such a task.
 */
export async function tickPersonTask(file: string, filename: string, line: number): Promise<void> {
  const text = await readDocument(file, filename);
  const task = parseChecklist(text).tasks.find((t) => t.line === line && t.forHuman && !t.done);
  if (!task) throw new AppError("CONFLICT", `${filename} changed: that task is no longer open on line ${line + 1}. Reload and look again.`);
  const tmp = `${file}.${process.pid}-${Date.now()}.tmp`;
  await fs.writeFile(tmp, setTaskDone(text, task, true), { flag: "wx" });
  await fs.rename(tmp, file).catch(async (err: unknown) => {
    await fs.rm(tmp, { force: true });
    throw err;
  });
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

/** The template variables of a run's prompt and of a reset document's copy. */
export async function runVars(agent: { name: string; folder: string }, filename: string, workPath: string, loop: number) {
  return {
    AGENT_NAME: agent.name,
    AGENT_PATH: agent.folder,
    DOCUMENT_NAME: filename.replace(/\.md$/i, ""),
    DOCUMENT_PATH: workPath,
    LOOP_NUMBER: loop,
    GIT_BRANCH: (await gitBranch(agent.folder)) || "(none)",
    DATE: new Date(),
  };
}
