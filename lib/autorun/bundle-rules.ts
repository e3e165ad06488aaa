/**
 * Rules for playbook bundles, Maestro desktop's `.maestro-playbook.zip`. Its layout, read from
 * desktop's `playbooks:export` (pedramamini/Maestro, src/main/ipc/handlers/playbooks.ts):
 * `manifest.json` at the root, `documents/<filename>.md` for each document, and `assets/<file>`
 * for the files of the `assets/` folder beside the first document. Pure: the bridge applies them
 * to a zip's central directory before it inflates or writes anything.
 */
import { BAD_CHARS, checkDocumentPath, MAX_DOCUMENT_BYTES } from "./documents";

export const BUNDLE_MANIFEST = "manifest.json";
export const BUNDLE_DOCUMENTS = "documents/";
export const BUNDLE_ASSETS = "assets/";
export const BUNDLE_EXTENSION = ".maestro-playbook.zip";

/** The zip file itself. Desktop's bundles are a few KB; this leaves room for images. */
export const MAX_BUNDLE_BYTES = 20 * 1024 * 1024;
/** Entries in one zip, counted from its central directory, read or not. */
export const MAX_BUNDLE_ENTRIES = 500;
export const MAX_ASSET_BYTES = 10 * 1024 * 1024;
export const MAX_ASSETS = 200;
/** Everything a bundle unpacks to (documents, assets, manifest), as the central directory declares it. */
export const MAX_BUNDLE_CONTENT_BYTES = 50 * 1024 * 1024;
export const MAX_MANIFEST_BYTES = 2_000_000;
const MAX_ENTRY_NAME = 1000;
const MAX_ASSET_PATH = 400;
const MAX_SEGMENT = 120;

export type NameCheck = { ok: true; path: string } | { ok: false; message: string };

const show = (name: string) => JSON.stringify(name.length > 120 ? `${name.slice(0, 117)}...` : name);

/**
 * Any entry name in a zip, whether we would unpack it or not: a name that is absolute, climbs
 * with `..` or hides control characters says the archive was made to attack, so it refuses the
 * whole zip. Backslashes count as separators (Windows zip tools write them).
 */
export function checkEntryName(name: string): NameCheck {
  if (!name) return { ok: false, message: "The zip holds an entry without a name." };
  if (name.length > MAX_ENTRY_NAME)
    return { ok: false, message: `The zip holds an entry whose name is over ${MAX_ENTRY_NAME} characters.` };
  if (/[\u0000-\u001f\u007f]/.test(name)) return { ok: false, message: `The zip holds ${show(name)}, a name with a control character.` };
  const slashed = name.replace(/\\/g, "/");
  if (slashed.startsWith("/") || /^[A-Za-z]:/.test(slashed))
    return { ok: false, message: `The zip holds ${show(name)}, an absolute path; entries must be relative.` };
  if (slashed.split("/").includes(".."))
    return { ok: false, message: `The zip holds ${show(name)}, a name that leads out of its folder with “..”.` };
  return { ok: true, path: slashed };
}

/** A path inside a playbook's assets folder ("config.yaml", "img/diagram.png"). */
export function checkAssetPath(input: string): NameCheck {
  const raw = input.trim();
  if (!raw || raw !== input) return { ok: false, message: `The asset name ${show(input)} is empty or starts or ends with a space.` };
  if (raw.startsWith("/") || /^[A-Za-z]:/.test(raw))
    return { ok: false, message: `The asset ${show(input)} must be a name inside the assets folder.` };
  const bad = BAD_CHARS.exec(raw);
  if (bad) return { ok: false, message: `The asset name ${show(input)} contains a character file systems refuse.` };
  if (raw.length > MAX_ASSET_PATH) return { ok: false, message: `The asset name ${show(input)} is over ${MAX_ASSET_PATH} characters.` };
  for (const s of raw.split("/")) {
    if (s === "..") return { ok: false, message: `The asset name ${show(input)} leads out of the assets folder.` };
    if (s === "" || s === ".") return { ok: false, message: `The asset name ${show(input)} has an empty part.` };
    if (s.length > MAX_SEGMENT) return { ok: false, message: `Each part of an asset name is at most ${MAX_SEGMENT} characters.` };
  }
  return { ok: true, path: raw };
}

export type BundleEntryKind =
  | { kind: "manifest" }
  /** `path`: the document relative to the Auto Run folder, `.md` included. */
  | { kind: "document"; path: string }
  /** `path`: relative to the playbook's assets folder. */
  | { kind: "asset"; path: string }
  /** Folders, archivers' litter (`__MACOSX/`, `.DS_Store`, `._x`), anything outside the layout: not unpacked. */
  | { kind: "ignored" }
  | { kind: "refused"; message: string };

/** What an entry (already through `checkEntryName`) is in desktop's layout. */
export function classifyEntry(path: string): BundleEntryKind {
  if (path === BUNDLE_MANIFEST) return { kind: "manifest" };
  if (path.endsWith("/")) return { kind: "ignored" };
  const segments = path.split("/");
  if (segments.some((s) => s === "__MACOSX" || s === ".DS_Store" || s === "Thumbs.db" || s.startsWith("._"))) return { kind: "ignored" };
  if (path.startsWith(BUNDLE_DOCUMENTS)) {
    const rel = path.slice(BUNDLE_DOCUMENTS.length);
    if (!/\.md$/i.test(rel)) return { kind: "ignored" };
    const check = checkDocumentPath(rel);
    // checkDocumentPath trims; a name that only passes trimmed has spaces at an end.
    if (!check.ok || check.path !== rel)
      return { kind: "refused", message: `${show(path)}: ${check.ok ? "Names cannot start or end with a space." : check.message}` };
    return { kind: "document", path: rel };
  }
  if (path.startsWith(BUNDLE_ASSETS)) {
    const check = checkAssetPath(path.slice(BUNDLE_ASSETS.length));
    return check.ok ? { kind: "asset", path: check.path } : { kind: "refused", message: check.message };
  }
  return { kind: "ignored" };
}

/** How many bytes an entry of this kind may unpack to. */
export function entryLimit(kind: "manifest" | "document" | "asset"): number {
  return kind === "manifest" ? MAX_MANIFEST_BYTES : kind === "document" ? MAX_DOCUMENT_BYTES : MAX_ASSET_BYTES;
}

const S_IFMT = 0o170000;

/**
 * What a zip entry is, from its central directory: the host that made it (high byte of "version
 * made by"; 3 is Unix, 19 macOS) and, for those, the Unix mode in the high 16 bits of the external
 * attributes. A link or a device is never unpacked: it would let a later entry write through it.
 */
export function entryFileType(versionMadeBy: number, externalAttributes: number, name: string): "file" | "folder" | "symlink" | "special" {
  const host = versionMadeBy >> 8;
  const mode = externalAttributes >>> 16;
  if ((host === 3 || host === 19) && mode & S_IFMT) {
    const type = mode & S_IFMT;
    if (type === 0o120000) return "symlink";
    if (type === 0o040000) return "folder";
    if (type === 0o100000) return name.endsWith("/") ? "folder" : "file";
    return "special";
  }
  // MS-DOS attributes: 0x10 is a folder.
  return name.endsWith("/") || externalAttributes & 0x10 ? "folder" : "file";
}

/**
 * Where a playbook's assets live, relative to the Auto Run folder: `assets/` beside its first
 * document, the folder desktop's export reads them from.
 */
export function assetsFolderFor(firstDocument: string | undefined): string {
  const cut = firstDocument ? firstDocument.lastIndexOf("/") : -1;
  return cut > 0 ? `${firstDocument!.slice(0, cut)}/assets` : "assets";
}

/** The download name, as desktop names its exports. */
export function bundleFileName(name: string): string {
  return `${name.replace(/[^a-zA-Z0-9-_]/g, "_") || "playbook"}${BUNDLE_EXTENSION}`;
}
