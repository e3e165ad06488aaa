import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { clearHalt, parseChecklist, setTaskDone } from "../../../lib/autorun/checklist";
import { checkDocumentPath, DEFAULT_AUTORUN_FOLDER, MAX_DOCUMENT_BYTES, RUNS_FOLDER } from "../../../lib/autorun/documents";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import type { AgentsService } from "../agents/service";
import { resolveInside } from "../files/confine";
import { readArtifact } from "./artifact";
import { createFolderWatcher } from "./watch";
import { confinedAutorunFolder, documentPath, readDocument, tooLarge } from "./files";

export interface DocumentSummary {
  /** Relative to the Auto Run folder, with `/` and the `.md` ending: the document's id. */
  path: string;
  size: number;
  mtimeMs: number;
  /** Task counts; null when the file is over the size limit and was not read. */
  total: number | null;
  done: number | null;
  halted: boolean;
}

export interface DocumentContent {
  path: string;
  content: string;
  size: number;
  mtimeMs: number;
  /** sha256 of the bytes: the client sends it back on save, so an edit made meanwhile is a conflict. */
  version: string;
}

const MAX_LISTED = 2000;
/** How long a name `/spec` handed out is kept from the next `/spec` (longer than a planning turn). */
const SPEC_NAME_HELD_MS = 30 * 60 * 1000;
const MAX_DEPTH = 8;

const versionOf = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

function mustBeValid(input: string): string {
  const check = checkDocumentPath(input);
  if (!check.ok) throw new AppError("BAD_INPUT", check.message, { field: "path" });
  return check.path;
}

const isErrno = (err: unknown, code: string) => (err as NodeJS.ErrnoException)?.code === code;

/**
 * An agent's Auto Run documents: markdown files under its Auto Run folder (default
 * `<project>/.maestro/playbooks`). Every path is checked by name and then resolved with symlinks
 * followed, so nothing is read or written outside that folder. Saves carry the version the client
 * loaded: a file edited meanwhile gives a CONFLICT, never a silent overwrite.
 */
export function createDocumentsService({ agents, bus }: { agents: AgentsService; bus: Bus }) {
  const changed = (agentId: string, p: string | null) => bus.publish("documents.changed", { agentId, path: p });
  const watcher = createFolderWatcher((agentId) => changed(agentId, null));
  /** Names `/spec` handed out whose file may not exist yet: absolute path → until when. */
  const handedOut = new Map<string, number>();

  /** The agent's Auto Run folder: its real absolute path, and how it is written in settings. */
  async function folderOf(agentId: string) {
    const agent = await agents.byId(agentId);
    const relative = (await agents.settings(agentId)).autorunFolder || DEFAULT_AUTORUN_FOLDER;
    const root = await confinedAutorunFolder(agent.folder, relative);
    return { root, relative, project: agent.folder };
  }

  /** Checks the name, then resolves it inside the folder (links followed and confined). */
  async function locate(agentId: string, input: string, { create = false } = {}) {
    const rel = mustBeValid(input);
    const { root } = await folderOf(agentId);
    if (create) await fs.mkdir(root, { recursive: true });
    else if (
      !(await fs.stat(root).then(
        (s) => s.isDirectory(),
        () => false,
      ))
    )
      throw new AppError("NOT_FOUND", `“${rel}” does not exist: the Auto Run folder is empty.`);
    return { rel, root, file: await resolveInside(root, rel) };
  }

  async function readChecked(file: string, rel: string): Promise<DocumentContent> {
    let stat;
    try {
      stat = await fs.stat(file);
    } catch (err) {
      if (isErrno(err, "ENOENT")) throw new AppError("NOT_FOUND", `“${rel}” does not exist (any more).`);
      throw err;
    }
    if (!stat.isFile()) throw new AppError("BAD_INPUT", `“${rel}” is not a file.`);
    if (stat.size > MAX_DOCUMENT_BYTES) throw tooLarge(rel, stat.size);
    const bytes = await fs.readFile(file);
    if (bytes.length > MAX_DOCUMENT_BYTES) throw tooLarge(rel, bytes.length);
    return { path: rel, content: bytes.toString("utf8"), size: bytes.length, mtimeMs: stat.mtimeMs, version: versionOf(bytes) };
  }

  /** Write through a temp file and a rename, so a reader never sees half a document. */
  async function writeAtomic(file: string, content: string) {
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString("hex")}.tmp`);
    await fs.writeFile(tmp, content, { flag: "wx" });
    try {
      await fs.rename(tmp, file);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
  }

  /**
   * Writes a file that must not exist yet, atomically: a temp file hard-linked into place (a link
   * fails if the name is taken), so the name never shows half a document and never replaces one.
   */
  async function writeNew(file: string, rel: string, content: string) {
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString("hex")}.tmp`);
    await fs.writeFile(tmp, content, { flag: "wx" });
    try {
      await fs.link(tmp, file);
    } catch (err) {
      if (isErrno(err, "EEXIST")) throw exists(rel);
      // File systems without hard links: an exclusive create still refuses a taken name.
      if (!["EPERM", "ENOTSUP", "ENOSYS", "EOPNOTSUPP"].some((c) => isErrno(err, c))) throw err;
      await fs.writeFile(file, content, { flag: "wx" }).catch((e: unknown) => {
        throw isErrno(e, "EEXIST") ? exists(rel) : e;
      });
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  const exists = (rel: string) =>
    new AppError("CONFLICT", `“${rel}” already exists.`, { field: "path", hint: "Pick another name, or replace it." });

  function checkSize(rel: string, content: string) {
    const bytes = Buffer.byteLength(content, "utf8");
    if (bytes > MAX_DOCUMENT_BYTES) throw tooLarge(rel, bytes);
  }

  async function summarize(file: string, rel: string): Promise<DocumentSummary> {
    const stat = await fs.stat(file);
    if (stat.size > MAX_DOCUMENT_BYTES)
      return { path: rel, size: stat.size, mtimeMs: stat.mtimeMs, total: null, done: null, halted: false };
    const c = parseChecklist(await fs.readFile(file, "utf8"));
    return { path: rel, size: stat.size, mtimeMs: stat.mtimeMs, total: c.total, done: c.done, halted: c.halt !== null };
  }

  /**
   * Writes a whole document under a name, new or not ("Save as Auto Run document"). A name that
   * is taken is refused with CONFLICT unless `overwrite` says to replace it. Confined like every
   * document path; the write is atomic either way.
   */
  async function saveAs(
    agentId: string,
    p: string,
    content: string,
    { overwrite = false } = {},
  ): Promise<DocumentContent & { replaced: boolean }> {
    const { rel, root } = await locate(agentId, p, { create: true });
    checkSize(rel, content);
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    // Resolve again now that the parents exist: a linked parent folder is caught here.
    const file = await resolveInside(root, rel);
    const before = await fs.lstat(file).catch(() => null);
    if (before && !before.isFile()) throw new AppError("BAD_INPUT", `“${rel}” is not a file.`, { field: "path" });
    if (before && !overwrite) throw exists(rel);
    if (before) await writeAtomic(file, content);
    else await writeNew(file, rel, content);
    changed(agentId, rel);
    return { ...(await readChecked(file, rel)), replaced: before !== null };
  }

  return {
    folderOf,

    /** A file a review gate points at, to read before letting the run go on (see readArtifact). */
    async artifact(agentId: string, relative: string) {
      const { root, project } = await folderOf(agentId);
      return readArtifact(project, root, relative);
    },

    /**
     * Removes a document's halt marker so a new run may start. The name is resolved as a run
     * resolves it (inside the Auto Run folder, no way out); a document without a marker is refused.
     */
    async clearHalt(agentId: string, filename: string) {
      const { root } = await folderOf(agentId);
      const file = await documentPath(root, filename);
      const text = await readDocument(file, filename);
      if (!parseChecklist(text).halt) throw new AppError("BAD_INPUT", `${filename} has no halt marker.`);
      await writeAtomic(file, clearHalt(text));
      changed(agentId, filename);
      return { ok: true as const };
    },

    /**
     * Documents (recursively, `.md` only) and, apart, the runner's copies under `runs/`.
     * Symlinks are not followed while listing; hidden files and folders are skipped.
     */
    async list(agentId: string) {
      const { root, relative } = await folderOf(agentId);
      const documents: DocumentSummary[] = [];
      const runs: DocumentSummary[] = [];
      let exists = true;
      async function walk(dir: string, prefix: string, depth: number) {
        let entries: import("node:fs").Dirent[];
        try {
          entries = await fs.readdir(dir, { withFileTypes: true });
        } catch (err) {
          if (depth === 0 && isErrno(err, "ENOENT")) exists = false;
          return;
        }
        entries.sort((a, b) => a.name.localeCompare(b.name));
        for (const e of entries) {
          if (documents.length + runs.length >= MAX_LISTED || e.name.startsWith(".")) continue;
          const rel = prefix ? `${prefix}/${e.name}` : e.name;
          if (e.isDirectory() && depth < MAX_DEPTH) await walk(path.join(dir, e.name), rel, depth + 1);
          else if (e.isFile() && /\.md$/i.test(e.name) && checkDocumentPath(rel).ok) {
            const summary = await summarize(path.join(dir, e.name), rel).catch(() => null);
            if (summary) (rel.startsWith(`${RUNS_FOLDER}/`) ? runs : documents).push(summary);
          }
        }
      }
      await walk(root, "", 0);
      return { folder: relative, exists, documents, runs };
    },

    async read(agentId: string, p: string): Promise<DocumentContent> {
      const { rel, file } = await locate(agentId, p);
      return readChecked(file, rel);
    },

    /** A new document; a name that is taken is a CONFLICT. */
    create: (agentId: string, p: string, content: string) => saveAs(agentId, p, content),

    saveAs,

    /**
     * Where `/spec` asks the agent to write: the Auto Run folder (absolute, real) and a free name
     * there for `base` (`base`, then `base-2`, `base-3`…), without `.md`.
     */
    async freeName(agentId: string, base: string): Promise<{ folder: string; name: string }> {
      const { root } = await folderOf(agentId);
      await fs.mkdir(root, { recursive: true });
      const folder = await fs.realpath(root);
      const now = Date.now();
      for (const [key, until] of handedOut) if (until <= now) handedOut.delete(key);
      for (let n = 1; n < 1000; n++) {
        const name = n === 1 ? base : `${base}-${n}`;
        const rel = mustBeValid(name);
        const file = path.join(folder, rel);
        const taken =
          handedOut.has(file) ||
          (await fs.lstat(file).then(
            () => true,
            () => false,
          ));
        if (!taken) {
          // The file appears only when the agent's turn ends: until then the name stays handed out,
          // so a second `/spec` for the same goal gets `-2` instead of writing over the first.
          handedOut.set(file, now + SPEC_NAME_HELD_MS);
          return { folder, name };
        }
      }
      throw new AppError("CONFLICT", `Too many documents named “${base}” already.`);
    },

    /** Saves only if the file is still the version the client loaded (`baseVersion`). */
    async save(agentId: string, p: string, content: string, baseVersion: string): Promise<DocumentContent> {
      const { rel, file } = await locate(agentId, p);
      checkSize(rel, content);
      const current = await readChecked(file, rel).catch((err: unknown) => {
        if (err instanceof AppError && err.code === "NOT_FOUND")
          throw new AppError("CONFLICT", `“${rel}” was deleted or renamed since you opened it. Your text is still in the editor.`);
        throw err;
      });
      if (current.version !== baseVersion) {
        throw new AppError("CONFLICT", `“${rel}” was changed outside the editor since you opened it; nothing was saved.`, {
          hint: "Load the new version, or overwrite it with yours.",
        });
      }
      if (current.content === content) return current;
      await writeAtomic(file, content);
      changed(agentId, rel);
      return readChecked(file, rel);
    },

    /** Ticks or unticks task `index` with the checklist engine; the rest of the file is untouched. */
    async setTask(agentId: string, p: string, index: number, done: boolean, baseVersion?: string): Promise<DocumentContent> {
      const { rel, file } = await locate(agentId, p);
      const current = await readChecked(file, rel);
      if (baseVersion && current.version !== baseVersion) {
        throw new AppError("CONFLICT", `“${rel}” was changed outside the editor; nothing was ticked.`, {
          hint: "The new version is loaded; try again.",
        });
      }
      const task = parseChecklist(current.content).tasks[index];
      if (!task) throw new AppError("NOT_FOUND", `“${rel}” has no task ${index + 1}.`);
      const next = setTaskDone(current.content, task, done);
      if (next === current.content) return current;
      await writeAtomic(file, next);
      changed(agentId, rel);
      return readChecked(file, rel);
    },

    /** Unticks every ticked task (desktop's `reset-auto-run-tasks`); says how many it unticked. */
    async resetTasks(agentId: string, p: string): Promise<{ path: string; reset: number }> {
      const { rel, file } = await locate(agentId, p);
      const current = await readChecked(file, rel);
      const done = parseChecklist(current.content).tasks.filter((t) => t.done);
      // Last first: unticking a box never moves the offsets of the boxes above it.
      const next = done.reduceRight((text, t) => setTaskDone(text, t, false), current.content);
      if (next !== current.content) {
        await writeAtomic(file, next);
        changed(agentId, rel);
      }
      return { path: rel, reset: done.length };
    },

    async rename(agentId: string, from: string, to: string): Promise<DocumentSummary> {
      const src = await locate(agentId, from);
      const dst = await locate(agentId, to, { create: true });
      if (src.rel === dst.rel) return summarize(src.file, src.rel);
      await readChecked(src.file, src.rel).catch((err: unknown) => {
        // Over-large files may still be renamed; a missing one may not.
        if (!(err instanceof AppError && err.code === "BAD_INPUT" && /limited to/.test(err.message))) throw err;
      });
      if (
        await fs.lstat(dst.file).then(
          () => true,
          () => false,
        )
      )
        throw new AppError("CONFLICT", `“${dst.rel}” already exists.`, { field: "to" });
      await fs.mkdir(path.dirname(path.join(dst.root, dst.rel)), { recursive: true });
      const target = await resolveInside(dst.root, dst.rel);
      await fs.rename(src.file, target);
      changed(agentId, dst.rel);
      return summarize(target, dst.rel);
    },

    async remove(agentId: string, p: string) {
      const { rel, file } = await locate(agentId, p);
      try {
        const stat = await fs.stat(file);
        if (!stat.isFile()) throw new AppError("BAD_INPUT", `“${rel}” is not a file.`);
        await fs.unlink(file);
      } catch (err) {
        if (isErrno(err, "ENOENT")) throw new AppError("NOT_FOUND", `“${rel}” does not exist (any more).`);
        throw err;
      }
      changed(agentId, rel);
      return { path: rel };
    },

    /**
     * Watches the agent's folder while at least one client listens, so edits made by other tools
     * (an editor, the agent itself, git) reach the UI. Returns the disposer.
     */
    async watch(agentId: string): Promise<() => void> {
      const { root } = await folderOf(agentId);
      return watcher.acquire(agentId, root);
    },

    shutdown() {
      watcher.closeAll();
    },
  };
}

export type DocumentsService = ReturnType<typeof createDocumentsService>;
