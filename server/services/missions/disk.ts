import fs from "node:fs/promises";
import path from "node:path";
import {
  MissionFileError,
  missionDir,
  handoffFile,
  missionFiles,
  memoryFiles,
  readHandoffFiles,
  readMemoryFiles,
  readMissionFiles,
  readMissionFilesDetailed,
  safeSegment,
  SIDECAR,
  type ImportedHandoff,
  type ImportedMission,
  type MissionFile,
} from "../../../lib/missions/layout";
import { MEMORY_SIDECAR } from "../../../lib/missions/layout-memory";
import type { HandoffView, MemoryView } from "../../../lib/missions/types";
import { AppError } from "../../errors";
import { isWithin, resolveInside } from "../files/confine";

/**
 * A project's `.maestro/` on disk, in the reference CLI's layout (lib/missions/layout.ts makes and
 * reads the files). Every path is confined under `<folder>/.maestro/` — a `.maestro` that is a
 * link, `..` and links out are refused — and written through a temp file and a rename, only when
 * its content changed. Writes of one project are serialized.
 */

const MAX_FILE = 5 * 1024 * 1024;
const queues = new Map<string, Promise<unknown>>();

function serialized<T>(key: string, job: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(job, job);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

/** `<folder>/.maestro`, made if missing; refused when it is a link or not a folder. */
async function maestroRoot(folder: string, create: boolean): Promise<string | null> {
  const root = path.join(folder, ".maestro");
  const stat = await fs.lstat(root).catch(() => null);
  if (stat?.isSymbolicLink()) throw new AppError("FORBIDDEN", `${root} is a link: Maestro writes only into a real .maestro folder.`);
  if (stat && !stat.isDirectory()) throw new AppError("BAD_INPUT", `${root} is not a folder.`);
  if (!stat) {
    if (!create) return null;
    // Not recursive: a project folder deleted meanwhile is not made again by a late write.
    await fs.mkdir(root).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") throw new AppError("NOT_FOUND", `${folder} is gone: nothing is written into it.`);
      if (err.code !== "EEXIST") throw err;
    });
  }
  return resolveInside(folder, ".maestro");
}

function checkRelative(rel: string): void {
  const parts = rel.split("/");
  if (path.isAbsolute(rel) || rel.includes("\\") || rel.includes("\0") || parts.some((p) => p === "" || p === "." || p === ".."))
    throw new AppError("BAD_INPUT", `Refusing the path ".maestro/${rel}".`);
}

async function target(root: string, rel: string): Promise<string> {
  checkRelative(rel);
  const abs = await resolveInside(root, rel);
  const stat = await fs.lstat(abs).catch(() => null);
  if (stat?.isSymbolicLink()) throw new AppError("FORBIDDEN", `.maestro/${rel} is a link: refusing to write through it.`);
  return abs;
}

/**
 * What this process last wrote to each file, with the file's identity right after: a tree rewrite
 * finds most of its files unchanged, and one lstat showing the same file (inode, size, mtime)
 * proves it without reading it back or resolving its path again. A file changed, replaced or
 * swapped for a link since fails the check and takes the full path below.
 */
const lastWritten = new Map<string, { content: string; ino: number; size: number; mtimeMs: number }>();

function remember(abs: string, content: string, stat: { ino: number; size: number; mtimeMs: number }) {
  lastWritten.delete(abs);
  lastWritten.set(abs, { content, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs });
  if (lastWritten.size > 5000) lastWritten.delete(lastWritten.keys().next().value!);
}

async function unchangedSinceWritten(root: string, file: MissionFile): Promise<boolean> {
  const known = lastWritten.get(path.join(root, file.path));
  if (known?.content !== file.content) return false;
  checkRelative(file.path);
  const stat = await fs.lstat(path.join(root, file.path)).catch(() => null);
  return !!stat?.isFile() && stat.ino === known.ino && stat.size === known.size && stat.mtimeMs === known.mtimeMs;
}

async function writeIfChanged(root: string, file: MissionFile): Promise<string> {
  if (await unchangedSinceWritten(root, file)) return path.join(root, file.path);
  const abs = await target(root, file.path);
  const current = await fs.readFile(abs, "utf8").catch(() => null);
  if (current === file.content) {
    const stat = await fs.lstat(abs).catch(() => null);
    if (stat?.isFile()) remember(path.join(root, file.path), file.content, stat);
    return abs;
  }
  await fs.mkdir(path.dirname(abs), { recursive: true });
  // The parent may have been swapped for a link between the check and here: check again.
  const real = await fs.realpath(path.dirname(abs));
  if (!isWithin(root, real)) throw new AppError("FORBIDDEN", `.maestro/${file.path} leads out of .maestro through a link.`);
  const tmp = `${abs}.tmp.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}`;
  await fs.writeFile(tmp, file.content, { flag: "wx" });
  await fs.rename(tmp, abs).catch(async (err: unknown) => {
    await fs.rm(tmp, { force: true });
    throw err;
  });
  const stat = await fs.lstat(abs).catch(() => null);
  if (stat?.isFile()) remember(path.join(root, file.path), file.content, stat);
  return abs;
}

async function readListed(root: string, rel: string): Promise<string[]> {
  const text = await readText(root, rel);
  if (text === null) return [];
  try {
    const v = JSON.parse(text) as { files?: unknown };
    return Array.isArray(v.files) ? v.files.filter((f): f is string => typeof f === "string") : [];
  } catch {
    return [];
  }
}

async function removeStale(root: string, stale: string[]): Promise<void> {
  for (const rel of stale) {
    try {
      const abs = await target(root, rel);
      await fs.rm(abs, { force: true });
    } catch {
      // A stale path we cannot confine is left alone, never followed.
    }
  }
}

/**
 * Writes a mission's files (and its handoffs) into `<folder>/.maestro/`; files of the mission we
 * wrote before and no longer write (a removed feature, a checkpoint gone) are removed. Worker
 * prompts and files the reference CLI wrote (reports, retry logs) are never removed.
 */
export async function writeMissionTree(folder: string, input: Parameters<typeof missionFiles>[0]): Promise<void> {
  if (!safeSegment(input.view.refId)) throw new AppError("BAD_INPUT", `"${input.view.refId}" cannot name a mission folder.`);
  const files = missionFiles(input);
  await serialized(folder, async () => {
    const root = (await maestroRoot(folder, true))!;
    const dir = missionDir(input.view.refId);
    const before = await readListed(root, `${dir}/${SIDECAR}`);
    for (const file of files) await writeIfChanged(root, file);
    const now = new Set(files.map((f) => f.path));
    await removeStale(
      root,
      before.filter((p) => !now.has(p) && /^missions\/[^/]+\/(features|checkpoints)\/[^/]+\.json$/.test(p) && p.startsWith(`${dir}/`)),
    );
  });
}

/** Writes `missions/<refId>/workers/<feature>/prompt.md`; returns its absolute path. */
export async function writePrompt(folder: string, refId: string, featureKey: string, prompt: string): Promise<string> {
  if (!safeSegment(refId) || !safeSegment(featureKey))
    throw new AppError("BAD_INPUT", `"${refId}/${featureKey}" cannot name a prompt file.`);
  return serialized(folder, async () => {
    const root = (await maestroRoot(folder, true))!;
    return writeIfChanged(root, { path: `${missionDir(refId)}/workers/${featureKey}/prompt.md`, content: prompt });
  });
}

/**
 * Writes one handoff that is no mission's to `handoffs/<id>.json` (a mission's go with its tree,
 * writeMissionTree), in the same record the reference CLI reads.
 */
export async function writeHandoff(folder: string, handoff: HandoffView): Promise<void> {
  const file = handoffFile(handoff, null);
  if (!file) return;
  await serialized(folder, async () => {
    await writeIfChanged((await maestroRoot(folder, true))!, file);
  });
}

/** Writes the project's memory (`memory/`); files of entries since removed go. */
export async function writeMemory(folder: string, entries: MemoryView[]): Promise<void> {
  const files = memoryFiles(entries);
  await serialized(folder, async () => {
    const root = (await maestroRoot(folder, true))!;
    const before = await readListed(root, MEMORY_SIDECAR);
    for (const file of files) await writeIfChanged(root, file);
    const now = new Set(files.map((f) => f.path));
    await removeStale(
      root,
      before.filter((p) => !now.has(p) && p.startsWith("memory/") && p !== MEMORY_SIDECAR),
    );
  });
}

async function readText(root: string, rel: string): Promise<string | null> {
  const abs = await target(root, rel);
  const stat = await fs.stat(abs).catch(() => null);
  if (!stat?.isFile()) return null;
  if (stat.size > MAX_FILE) throw new AppError("BAD_INPUT", `.maestro/${rel} is larger than 5 MB.`);
  return fs.readFile(abs, "utf8");
}

async function names(root: string, rel: string): Promise<string[]> {
  const abs = await target(root, rel).catch(() => null);
  if (!abs) return [];
  const entries = await fs.readdir(abs, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => !e.isSymbolicLink()).map((e) => e.name);
}

/** The files the readers need, as a map of paths relative to `.maestro/`. */
async function collect(root: string, which: { missions?: boolean; handoffs?: boolean; memory?: boolean }): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const add = async (rel: string) => {
    const text = await readText(root, rel);
    if (text !== null) files.set(rel, text);
  };
  if (which.missions) {
    for (const id of await names(root, "missions")) {
      if (id.startsWith(".") || !safeSegment(id)) continue;
      const dir = `missions/${id}`;
      for (const f of ["mission.json", "assertions.json", SIDECAR]) await add(`${dir}/${f}`);
      for (const f of await names(root, `${dir}/features`)) if (f.endsWith(".json") && safeSegment(f)) await add(`${dir}/features/${f}`);
    }
  }
  if (which.handoffs) for (const f of await names(root, "handoffs")) if (f.endsWith(".json") && safeSegment(f)) await add(`handoffs/${f}`);
  if (which.memory) {
    await add(MEMORY_SIDECAR);
    await add("memory/learnings/_compiled.json");
    for (const f of await names(root, "memory/corrections"))
      if (f.endsWith(".json") && safeSegment(f)) await add(`memory/corrections/${f}`);
    for (const f of await names(root, "memory/learnings/raw"))
      if (f.endsWith(".json") && safeSegment(f)) await add(`memory/learnings/raw/${f}`);
  }
  return files;
}

function asAppError(err: unknown): never {
  if (err instanceof MissionFileError) throw new AppError("BAD_INPUT", err.message);
  throw err;
}

/** Every mission under `.maestro/missions/` (none without `.maestro`); a malformed file is a BAD_INPUT naming it. */
export async function readMissionTrees(folder: string): Promise<ImportedMission[]> {
  const root = await maestroRoot(folder, false);
  if (!root) return [];
  const files = await collect(root, { missions: true, handoffs: true });
  try {
    return readMissionFiles(files);
  } catch (err) {
    return asAppError(err);
  }
}

/** As readMissionTrees, but a mission that cannot be read is skipped with the reason (import). */
export async function scanMissionTrees(
  folder: string,
): Promise<{ missions: ImportedMission[]; skipped: { refId: string; reason: string }[] }> {
  const root = await maestroRoot(folder, false);
  if (!root) return { missions: [], skipped: [] };
  return readMissionFilesDetailed(await collect(root, { missions: true, handoffs: true }));
}

/** The project's handoffs (`.maestro/handoffs/`), missions' or not. */
export async function readHandoffs(folder: string): Promise<ImportedHandoff[]> {
  const root = await maestroRoot(folder, false);
  if (!root) return [];
  return readHandoffFiles(await collect(root, { handoffs: true }));
}

/** The project's memory (`.maestro/memory/`), written by the reference CLI or by us. */
export async function readMemory(folder: string): Promise<ReturnType<typeof readMemoryFiles>> {
  const root = await maestroRoot(folder, false);
  if (!root) return [];
  return readMemoryFiles(await collect(root, { memory: true }));
}
