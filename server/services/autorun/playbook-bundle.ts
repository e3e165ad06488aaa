import fs from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import yauzl from "yauzl";
import yazl from "yazl";
import {
  assetsFolderFor,
  BUNDLE_ASSETS,
  BUNDLE_DOCUMENTS,
  BUNDLE_MANIFEST,
  checkEntryName,
  classifyEntry,
  entryFileType,
  entryLimit,
  MAX_ASSET_BYTES,
  MAX_ASSETS,
  MAX_BUNDLE_BYTES,
  MAX_BUNDLE_CONTENT_BYTES,
  MAX_BUNDLE_ENTRIES,
} from "../../../lib/autorun/bundle-rules";
import { formatBytes, markdownName } from "../../../lib/autorun/documents";
import { bundleManifest } from "../../../lib/autorun/playbook-formats";
import type { RunConfig } from "../../../lib/autorun/run-config";
import { AppError } from "../../errors";
import { resolveInside } from "../files/confine";
import { documentPath, readDocument } from "./files";

/**
 * Desktop's `.maestro-playbook.zip`, read and written with yauzl and yazl. Reading goes through
 * the central directory first: every entry's name, type and declared size is checked there, and
 * a zip that fails any check is refused before a byte is inflated. Then only the entries we use
 * are inflated, each held to the size it declared (yauzl's `validateEntrySizes` fails a stream
 * that yields more or less).
 */

export interface BundleContents {
  manifestText: string;
  documents: { filename: string; content: string }[];
  assets: { path: string; data: Buffer }[];
}

const refused = (message: string) => new AppError("BAD_INPUT", `${message} Nothing was imported.`, { field: "file" });
const damaged = (err: unknown) =>
  refused(`That file is not a readable zip archive (${err instanceof Error ? err.message : String(err)}); it may be damaged or cut short.`);

type Wanted = { entry: yauzl.Entry; name: string } & (
  { kind: "manifest" } | { kind: "document"; path: string } | { kind: "asset"; path: string }
);

/** Reads a `.maestro-playbook.zip` held in memory; refuses it whole, with the reason, or returns what it carries. */
export async function readBundle(zip: Buffer): Promise<BundleContents> {
  if (zip.length === 0) throw refused("That file is empty.");
  if (zip.length > MAX_BUNDLE_BYTES)
    throw refused(`That zip is ${formatBytes(zip.length)}; playbook bundles are limited to ${formatBytes(MAX_BUNDLE_BYTES)}.`);
  let file: yauzl.ZipFile;
  try {
    file = await yauzl.fromBufferPromise(zip, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false });
  } catch (err) {
    throw damaged(err);
  }
  try {
    const wanted = await scan(file);
    return await inflate(file, wanted);
  } finally {
    file.close();
  }
}

/** The central directory, checked entry by entry: nothing is inflated here. */
async function scan(file: yauzl.ZipFile): Promise<Wanted[]> {
  if (file.entryCount > MAX_BUNDLE_ENTRIES)
    throw refused(`That zip holds ${file.entryCount} entries; a playbook bundle holds ${MAX_BUNDLE_ENTRIES} at most.`);
  const wanted: Wanted[] = [];
  const seen = new Set<string>();
  let total = 0;
  try {
    for await (const entry of file.eachEntry()) {
      // decodeStrings is off so that our rules, not yauzl's, judge names (and say why).
      const raw = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      const name = checkEntryName(raw);
      if (!name.ok) throw refused(name.message);
      const type = entryFileType(entry.versionMadeBy, entry.externalFileAttributes, name.path);
      if (type === "symlink") throw refused(`The zip holds “${name.path}”, a symbolic link; links are never unpacked.`);
      if (type === "special") throw refused(`The zip holds “${name.path}”, which is not a regular file.`);
      if (seen.has(name.path.toLowerCase())) throw refused(`The zip holds “${name.path}” twice.`);
      seen.add(name.path.toLowerCase());
      if (type === "folder") continue;
      const kind = classifyEntry(name.path);
      if (kind.kind === "refused") throw refused(`The zip holds a name Maestro will not write: ${kind.message}`);
      if (kind.kind === "ignored") continue;
      if (entry.isEncrypted()) throw refused(`“${name.path}” is encrypted; Maestro cannot read encrypted zips.`);
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
        throw refused(`“${name.path}” uses compression method ${entry.compressionMethod}; only stored and deflated entries are read.`);
      const limit = entryLimit(kind.kind);
      if (entry.uncompressedSize > limit)
        throw refused(`“${name.path}” declares ${formatBytes(entry.uncompressedSize)} unpacked; the limit is ${formatBytes(limit)}.`);
      total += entry.uncompressedSize;
      if (total > MAX_BUNDLE_CONTENT_BYTES)
        throw refused(`That zip unpacks to more than ${formatBytes(MAX_BUNDLE_CONTENT_BYTES)}; a playbook bundle is smaller.`);
      wanted.push({ ...kind, entry, name: name.path });
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw damaged(err);
  }
  if (!wanted.some((w) => w.kind === "manifest")) throw refused("That zip is not a Maestro playbook: it has no manifest.json at its root.");
  return wanted;
}

async function inflate(file: yauzl.ZipFile, wanted: Wanted[]): Promise<BundleContents> {
  const out: BundleContents = { manifestText: "", documents: [], assets: [] };
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  for (const w of wanted) {
    let data: Buffer;
    try {
      data = await collect(await file.openReadStreamPromise(w.entry), w.entry.uncompressedSize);
    } catch (err) {
      throw damaged(err);
    }
    if (w.kind === "asset") {
      out.assets.push({ path: w.path, data });
      continue;
    }
    let text: string;
    try {
      text = utf8.decode(data);
    } catch {
      throw refused(`“${w.name}” is not UTF-8 text.`);
    }
    if (w.kind === "manifest") out.manifestText = text;
    else out.documents.push({ filename: w.path, content: text });
  }
  return out;
}

/** A stream's bytes, never more than `limit` (yauzl checks the count too; this is the belt to its braces). */
async function collect(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      throw new Error("an entry unpacks to more than it declared");
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A zip of these files, in this order (the manifest first, as desktop writes it). */
export async function writeBundle(files: { name: string; data: Buffer }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date();
  for (const f of files) zip.addBuffer(f.data, f.name, { mtime, mode: 0o100644 });
  zip.end();
  return collect(zip.outputStream as Readable, Number.MAX_SAFE_INTEGER);
}

/**
 * The files of a playbook's bundle, as desktop's export gathers them: the manifest, each
 * document the configuration names (read from the Auto Run folder, confined to it; a missing one
 * is listed, not fatal), and the files of the `assets/` folder beside the first document
 * (regular files only: links are not followed).
 */
export async function bundleFiles(folder: string, name: string, config: RunConfig, now = Date.now()) {
  const manifest = bundleManifest(name, config, now);
  const files: { name: string; data: Buffer }[] = [{ name: BUNDLE_MANIFEST, data: Buffer.from(JSON.stringify(manifest, null, 2)) }];
  const missing: string[] = [];
  const exists = await fs.stat(folder).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const added = new Set<string>();
  let total = 0;
  const add = (entry: string, data: Buffer) => {
    total += data.length;
    if (total > MAX_BUNDLE_CONTENT_BYTES)
      throw new AppError(
        "BAD_INPUT",
        `This playbook's documents and assets are over ${formatBytes(MAX_BUNDLE_CONTENT_BYTES)}; too large to export.`,
      );
    files.push({ name: entry, data });
  };
  for (const doc of config.documents) {
    const rel = markdownName(doc.filename);
    if (added.has(rel)) continue;
    added.add(rel);
    const text = exists
      ? await readDocument(await documentPath(folder, rel), rel).catch((err: unknown) => {
          if (err instanceof AppError && err.code === "NOT_FOUND") return null;
          throw err;
        })
      : null;
    if (text === null) missing.push(rel);
    else add(`${BUNDLE_DOCUMENTS}${rel}`, Buffer.from(text));
  }
  if (exists)
    for (const asset of await listAssets(folder, assetsFolderFor(config.documents[0]?.filename)))
      add(`${BUNDLE_ASSETS}${asset.rel}`, asset.data);
  return { manifest, files, missing };
}

async function listAssets(folder: string, relative: string) {
  let root: string;
  try {
    root = await resolveInside(folder, relative);
  } catch (err) {
    if (err instanceof AppError && err.code === "FORBIDDEN")
      throw new AppError("FORBIDDEN", `The playbook's assets folder “${relative}” leads out of the Auto Run folder through a link.`);
    throw err;
  }
  const out: { rel: string; data: Buffer }[] = [];
  let total = 0;
  async function walk(dir: string, prefix: string, depth: number) {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory() && depth < 4) await walk(path.join(dir, e.name), rel, depth + 1);
      if (!e.isFile()) continue;
      if (out.length >= MAX_ASSETS)
        throw new AppError("BAD_INPUT", `“${relative}” holds more than ${MAX_ASSETS} files; too many to export.`);
      // Sized before it is read: an export never holds more than the limits in memory.
      const file = path.join(dir, e.name);
      const { size } = await fs.stat(file);
      if (size > MAX_ASSET_BYTES)
        throw new AppError(
          "BAD_INPUT",
          `“${relative}/${rel}” is ${formatBytes(size)}; assets are limited to ${formatBytes(MAX_ASSET_BYTES)}.`,
        );
      total += size;
      if (total > MAX_BUNDLE_CONTENT_BYTES)
        throw new AppError(
          "BAD_INPUT",
          `The files of “${relative}” add up to over ${formatBytes(MAX_BUNDLE_CONTENT_BYTES)}; too much to export.`,
        );
      const data = await fs.readFile(file);
      if (data.length > MAX_ASSET_BYTES)
        throw new AppError("BAD_INPUT", `“${relative}/${rel}” grew past ${formatBytes(MAX_ASSET_BYTES)} while exporting.`);
      out.push({ rel, data });
    }
  }
  await walk(root, "", 0);
  return out;
}
