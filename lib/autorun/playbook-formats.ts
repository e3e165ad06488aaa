/**
 * The files Maestro desktop and its registry publish, told apart and read. Pure.
 *
 * - A playbook file: one playbook object (`documents`, `loopEnabled`, `maxLoops`, `prompt`, …),
 *   our JSON export or a desktop bundle's `manifest.json`.
 * - A manifest: `{"playbooks": [ … ]}`, the registry's `manifest.json`
 *   (RunMaestro/Maestro-Playbooks) or desktop's `local-manifest.json` (pedramamini/Maestro
 *   docs/local-manifest.md: "same structure as the official manifest"). Each entry has `id`,
 *   `title`, `description`, `category`, `author`, `path` (where its files live), `documents`
 *   (`filename` without `.md`, `resetOnCompletion`), `loopEnabled`, `maxLoops`, `prompt`
 *   (`null` = the built-in prompt) and optional `assets` (file names in `<path>/assets/`).
 */
import { withoutMarkdownExt } from "./documents";
import { parsePlaybookObject, PlaybookImportError, type RunConfig } from "./run-config";

/** One playbook of a manifest, as the picker shows it. */
export interface ManifestChoice {
  /** The entry's `id`, or `#<position>` for an entry without one. */
  key: string;
  name: string;
  description: string;
  category: string | null;
  author: string | null;
  documents: number;
}

export type ImportText =
  | { kind: "playbook"; name: string | null; config: RunConfig; path: string | null }
  | { kind: "manifest"; choices: ManifestChoice[]; skipped: string[] };

export const MAX_IMPORT_TEXT = 2_000_000;

/** Parses JSON text of at most `MAX_IMPORT_TEXT` characters, with errors a person can act on. */
export function readJson(text: string): unknown {
  if (text.length > MAX_IMPORT_TEXT) throw new PlaybookImportError("That file is too large to be a playbook (2 MB at most).");
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new PlaybookImportError(`That file is not valid JSON: ${(err as Error).message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A manifest lists playbooks and is not itself one. */
export function isManifest(raw: unknown): raw is { playbooks: unknown[] } {
  return isObject(raw) && Array.isArray(raw.playbooks) && !("documents" in raw);
}

const str = (v: unknown, max: number) => (typeof v === "string" && v.trim() ? v.trim().slice(0, max) : null);

interface ParsedEntry {
  key: string;
  raw: Record<string, unknown> | null;
  playbook: { name: string | null; config: RunConfig } | null;
  error: string | null;
}

function entriesOf(manifest: { playbooks: unknown[] }): ParsedEntry[] {
  const seen = new Set<string>();
  return manifest.playbooks.slice(0, 1000).map((raw, i) => {
    let key = (isObject(raw) && str(raw.id, 200)) || `#${i + 1}`;
    if (seen.has(key)) key = `${key}#${i + 1}`;
    seen.add(key);
    if (!isObject(raw)) return { key, raw: null, playbook: null, error: `entry ${i + 1} is not an object` };
    try {
      return { key, raw, playbook: parsePlaybookObject(raw), error: null };
    } catch (err) {
      const label = str(raw.title, 80) ?? str(raw.name, 80) ?? key;
      return { key, raw, playbook: null, error: `${label}: ${(err as Error).message.replace(/^Not a valid playbook: /, "")}` };
    }
  });
}

/**
 * What an imported JSON text is: a playbook, or a manifest. A manifest without `pick` answers
 * with its playbooks for a picker (entries that are not valid playbooks are left out and said
 * why); with `pick` (a choice's key) it is that one playbook.
 */
export function parseImportText(text: string, pick?: string): ImportText {
  const raw = readJson(text);
  if (!isObject(raw)) throw new PlaybookImportError("A playbook file is a JSON object with a documents list.");
  if (!isManifest(raw)) {
    if (pick) throw new PlaybookImportError("That file is one playbook, not a manifest to pick from.");
    return { kind: "playbook", ...parsePlaybookObject(raw), path: null };
  }
  return fromManifest(raw, pick);
}

/** A manifest object (parsed already): its choices, or the picked playbook. */
export function fromManifest(manifest: { playbooks: unknown[] }, pick?: string): ImportText {
  const entries = entriesOf(manifest);
  if (entries.length === 0) throw new PlaybookImportError("That manifest lists no playbooks.");
  if (pick !== undefined) {
    const entry = entries.find((e) => e.key === pick);
    if (!entry) throw new PlaybookImportError(`That manifest has no playbook “${pick}”.`);
    if (!entry.playbook) throw new PlaybookImportError(`Not a valid playbook: ${entry.error}`);
    return { kind: "playbook", ...entry.playbook, path: str(entry.raw?.path, 500) };
  }
  const valid = entries.filter((e) => e.playbook);
  const skipped = entries.flatMap((e) => (e.error ? [e.error] : []));
  if (valid.length === 0) throw new PlaybookImportError(`That manifest lists no playbook Maestro can read: ${skipped[0]}`);
  return {
    kind: "manifest",
    skipped,
    choices: valid.map((e) => ({
      key: e.key,
      name: e.playbook!.name ?? e.key,
      description: str(e.raw!.description, 500) ?? "",
      category: str(e.raw!.category, 80),
      author: str(e.raw!.author, 80),
      documents: e.playbook!.config.documents.length,
    })),
  };
}

/**
 * The `manifest.json` of a `.maestro-playbook.zip`, field for field and in the order desktop's
 * `playbooks:export` writes it: `version` (1), `name`, `documents` (filenames without `.md`),
 * `loopEnabled`, `maxLoops`, `prompt`, `worktreeSettings` (only when set: desktop's is optional,
 * so JSON.stringify drops it), `exportedAt` (ms). Ours only when they say something desktop has
 * no field for: `taskSelectionMode` when per document, the registry's `assets` when given.
 */
export function bundleManifest(name: string, config: RunConfig, exportedAt: number) {
  return {
    version: 1,
    name,
    documents: config.documents.map((d) => ({ filename: withoutMarkdownExt(d.filename), resetOnCompletion: d.resetOnCompletion })),
    loopEnabled: config.loopEnabled,
    maxLoops: config.maxLoops,
    prompt: config.prompt,
    ...(config.worktreeSettings ? { worktreeSettings: config.worktreeSettings } : {}),
    ...(config.taskSelectionMode === "document" ? { taskSelectionMode: "document" as const } : {}),
    ...(config.assets ? { assets: config.assets } : {}),
    exportedAt,
  };
}
