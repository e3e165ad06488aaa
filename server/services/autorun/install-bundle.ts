import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import {
  assetsFolderFor,
  checkAssetPath,
  MAX_ASSET_BYTES,
  MAX_BUNDLE_CONTENT_BYTES,
  MAX_BUNDLE_ENTRIES,
} from "../../../lib/autorun/bundle-rules";
import { checkDocumentPath, formatBytes, markdownName, MAX_DOCUMENT_BYTES } from "../../../lib/autorun/documents";
import { describeIssue, runConfigSchema, type RunConfig, type RunConfigInput } from "../../../lib/autorun/run-config";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import { resolveInside } from "../files/confine";
import { autorunFolderOf, tooLarge } from "./files";

/** A playbook with its files: what a bundle, the registry or the Playbook Exchange hands over. */
export interface BundleInput {
  name: string;
  config: RunConfigInput;
  /** Relative to the Auto Run folder, with or without `.md`. */
  documents: { filename: string; content: string }[];
  /** Relative to the playbook's assets folder (`assets/` beside its first document). */
  assets: { path: string; data: Buffer }[];
}

export interface InstallOptions {
  /** Replace files that exist with other content. Without it such clashes refuse the install. */
  overwrite?: boolean;
}

interface Planned {
  rel: string;
  data: Buffer;
  target: string;
  existing: "none" | "same" | "differs";
}

const bad = (message: string) => new AppError("BAD_INPUT", `${message} Nothing was imported.`, { field: "file" });
const isErrno = (err: unknown, code: string) => (err as NodeJS.ErrnoException)?.code === code;

/** Every file the bundle would write, named and sized by the rules, before anything is touched. */
function plan(input: BundleInput, config: RunConfig): { rel: string; data: Buffer }[] {
  if (input.documents.length + input.assets.length > MAX_BUNDLE_ENTRIES)
    throw bad(`A playbook bundle holds ${MAX_BUNDLE_ENTRIES} files at most.`);
  const files: { rel: string; data: Buffer }[] = [];
  for (const doc of input.documents) {
    const check = checkDocumentPath(markdownName(doc.filename));
    if (!check.ok) throw bad(`The document “${doc.filename}” cannot be written: ${check.message}`);
    const data = Buffer.from(doc.content, "utf8");
    if (data.length > MAX_DOCUMENT_BYTES) throw tooLarge(check.path, data.length);
    files.push({ rel: check.path, data });
  }
  const assetsFolder = assetsFolderFor(config.documents[0]?.filename);
  for (const asset of input.assets) {
    const check = checkAssetPath(asset.path);
    const full = check.ok ? checkAssetPath(`${assetsFolder}/${check.path}`) : check;
    if (!full.ok) throw bad(`The asset “${asset.path}” cannot be written: ${full.message}`);
    if (asset.data.length > MAX_ASSET_BYTES)
      throw bad(`The asset “${asset.path}” is ${formatBytes(asset.data.length)}; assets are limited to ${formatBytes(MAX_ASSET_BYTES)}.`);
    files.push({ rel: full.path, data: asset.data });
  }
  const seen = new Set<string>();
  let total = 0;
  for (const f of files) {
    // Case-folded: on macOS and Windows `Plan.md` and `plan.md` are one file.
    if (seen.has(f.rel.toLowerCase())) throw bad(`The bundle writes “${f.rel}” twice.`);
    seen.add(f.rel.toLowerCase());
    total += f.data.length;
  }
  if (total > MAX_BUNDLE_CONTENT_BYTES) throw bad(`The bundle's files add up to over ${formatBytes(MAX_BUNDLE_CONTENT_BYTES)}.`);
  return files;
}

/** Where each file goes, confined to the folder (links included), and what is there now. */
async function locate(folder: string, folderExists: boolean, files: { rel: string; data: Buffer }[]): Promise<Planned[]> {
  const out: Planned[] = [];
  for (const f of files) {
    // Without the folder there is nothing below it, so no link to follow: the name rules suffice.
    const target = folderExists ? await resolveInside(folder, f.rel) : path.join(folder, f.rel);
    const stat = await fs.lstat(path.join(folder, f.rel)).catch((err: unknown) => {
      if (isErrno(err, "ENOENT")) return null;
      if (isErrno(err, "ENOTDIR")) throw bad(`“${f.rel}” cannot be written: a folder on its path is a file in the Auto Run folder.`);
      throw err;
    });
    let existing: Planned["existing"] = "none";
    if (stat?.isSymbolicLink()) throw bad(`“${f.rel}” is a link in the Auto Run folder; Maestro does not write through links.`);
    if (stat && !stat.isFile()) throw bad(`“${f.rel}” is a folder in the Auto Run folder, not a file.`);
    if (stat) existing = stat.size === f.data.length && (await fs.readFile(target)).equals(f.data) ? "same" : "differs";
    out.push({ ...f, target, existing });
  }
  return out;
}

/**
 * Installs playbooks with their files into agents' Auto Run folders. Everything is checked first
 * (names, sizes, the configuration, links, clashes) and a refusal writes nothing. Then the files
 * are written to a hidden staging folder inside the Auto Run folder and renamed into place (a
 * replaced file is moved aside first), the playbook row is created, and only then are the
 * replaced files dropped; an error on the way puts every file back as it was.
 */
export function createBundleInstaller(db: Db, bus: Bus) {
  // One install per Auto Run folder at a time, so two imports cannot both find a name free.
  const queues = new Map<string, Promise<unknown>>();
  function serialized<T>(key: string, job: () => Promise<T>): Promise<T> {
    const next = (queues.get(key) ?? Promise.resolve()).then(job, job);
    const settled = next.catch(() => undefined);
    queues.set(key, settled);
    void settled.then(() => queues.get(key) === settled && queues.delete(key));
    return next;
  }

  async function install(agentId: string, input: BundleInput, options: InstallOptions = {}) {
    const agent = await db.agent.findUnique({ where: { id: agentId }, select: { id: true, folder: true, settingsJson: true } });
    if (!agent) throw new AppError("NOT_FOUND", "That agent no longer exists.");
    const parsed = runConfigSchema.safeParse(input.config);
    if (!parsed.success) throw bad(`Not a valid playbook: ${describeIssue(parsed.error.issues[0]!, input.config)}`);
    const config = parsed.data;
    const name = input.name.trim().slice(0, 80) || "Imported playbook";
    const files = plan(input, config);
    const folder = await autorunFolderOf(agent);
    return serialized(folder, async () => {
      const stat = await fs.stat(folder).catch(() => null);
      if (stat && !stat.isDirectory()) throw bad(`The Auto Run folder “${folder}” is a file.`);
      const planned = await locate(folder, !!stat, files);
      const clashes = planned.filter((p) => p.existing === "differs").map((p) => p.rel);
      if (clashes.length && !options.overwrite) {
        const list = clashes.length > 8 ? `${clashes.slice(0, 8).join(", ")} and ${clashes.length - 8} more` : clashes.join(", ");
        throw new AppError(
          "CONFLICT",
          `${clashes.length === 1 ? "1 file of this playbook already exists" : `${clashes.length} files of this playbook already exist`} in the Auto Run folder with other content: ${list}. Nothing was imported.`,
          { field: "overwrite", hint: "Replace them with the playbook's files, or rename yours first." },
        );
      }
      const toWrite = planned.filter((p) => p.existing !== "same");
      const row = await writeAll(folder, toWrite, () =>
        db.playbook.create({ data: { agentId, name, configJson: JSON.stringify(config) } }),
      );
      if (toWrite.length) bus.publish("documents.changed", { agentId, path: null });
      return {
        row,
        written: toWrite.map((p) => p.rel),
        unchanged: planned.filter((p) => p.existing === "same").map((p) => p.rel),
        missing: await missingDocuments(folder, config),
      };
    });
  }

  return { install };
}

/** Writes every file, then runs `commit`; if anything fails, the folder is left as it was. */
async function writeAll<T>(folder: string, files: Planned[], commit: () => Promise<T>): Promise<T> {
  if (files.length === 0) return commit();
  const createdRoot = await fs.mkdir(folder, { recursive: true });
  const stage = path.join(folder, `.maestro-import-${randomBytes(6).toString("hex")}`);
  const createdDirs: string[] = [];
  if (createdRoot) for (let d = folder; d.length >= createdRoot.length; d = path.dirname(d)) createdDirs.push(d);
  const placed: { target: string; backup: string | null }[] = [];
  try {
    await fs.mkdir(stage);
    for (const [i, f] of files.entries()) await fs.writeFile(path.join(stage, `${i}`), f.data, { flag: "wx" });
    for (const [i, f] of files.entries()) {
      const parent = path.dirname(path.join(folder, f.rel));
      const made = await fs.mkdir(parent, { recursive: true });
      // Every folder this import made, from `made` down to the file's parent.
      if (made) for (let d = parent; d.length >= made.length; d = path.dirname(d)) createdDirs.push(d);
      // Resolved again now that the parents exist: a link put there meanwhile is caught.
      const target = await resolveInside(folder, f.rel);
      let backup: string | null = null;
      if (f.existing === "differs") {
        backup = path.join(stage, `${i}.old`);
        await fs.rename(target, backup);
      } else if (
        await fs.lstat(target).then(
          () => true,
          () => false,
        )
      ) {
        throw new AppError("CONFLICT", `“${f.rel}” appeared in the Auto Run folder during the import. Nothing was imported.`);
      }
      placed.push({ target, backup });
      await fs.rename(path.join(stage, `${i}`), target);
    }
    const result = await commit();
    // Committed: from here on nothing is rolled back; the staging folder only holds replaced files.
    await fs.rm(stage, { recursive: true, force: true }).catch(() => undefined);
    return result;
  } catch (err) {
    for (const p of placed.reverse()) {
      if (p.backup) await fs.rename(p.backup, p.target).catch(() => undefined);
      else await fs.rm(p.target, { force: true }).catch(() => undefined);
    }
    await fs.rm(stage, { recursive: true, force: true }).catch(() => undefined);
    // Only folders this import made, and only if empty: something else may have written there since.
    const deepestFirst = [...new Set(createdDirs)].sort((a, b) => b.length - a.length);
    for (const dir of deepestFirst) await fs.rmdir(dir).catch(() => undefined);
    throw err;
  }
}

/** The configuration's documents that are not in the folder (a manifest imported without its files). */
export async function missingDocuments(folder: string, config: RunConfig): Promise<string[]> {
  const missing: string[] = [];
  for (const d of config.documents) {
    const rel = markdownName(d.filename);
    const found = await resolveInside(folder, rel)
      .then((file) => fs.stat(file))
      .then(
        (s) => s.isFile(),
        () => false,
      );
    if (!found && !missing.includes(rel)) missing.push(rel);
  }
  return missing;
}
