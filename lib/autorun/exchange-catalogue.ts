/**
 * The Exchange's entries read into what the browse screen shows and what an import needs. Pure;
 * it validates with the playbook schema (zod), so only the bridge imports it.
 */
import { markdownName } from "./documents";
import { importFolder, isLocalPath, registrySegments, type ExchangeEntry, type SourcedEntry } from "./exchange";
import { parsePlaybookObject, type RunConfig } from "./run-config";

/** An entry the catalogue can offer: its view, its configuration and where its files are. */
export interface CatalogueEntry {
  view: ExchangeEntry;
  config: RunConfig;
  /** A registry path (`Development/Security`) or, for a local entry, a folder on disk. */
  path: string;
  local: boolean;
}

/** An entry that cannot be offered, and why; still found by `id`, so asking for it says why. */
export interface SkippedEntry {
  key: string;
  label: string;
  reason: string;
}

const str = (v: unknown, max: number) => (typeof v === "string" && v.trim() ? v.trim().slice(0, max) : null);

function httpLink(v: unknown): string | null {
  const s = str(v, 500);
  if (!s) return null;
  try {
    const url = new URL(s);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** Where an entry's files are; an official entry must stay inside the registry. */
function entryPath(raw: Record<string, unknown>, source: SourcedEntry["source"]): { path: string; local: boolean } {
  const p = str(raw.path, 1000);
  if (!p) throw new Error("it has no path");
  if (source === "local" && isLocalPath(p)) return { path: p, local: true };
  const check = registrySegments(p);
  if (!check.ok) throw new Error(check.message);
  return { path: check.segments.join("/"), local: false };
}

/** One merged entry; throws with the reason it cannot be offered. */
export function readEntry({ raw, source }: SourcedEntry): CatalogueEntry {
  const key = str(raw.id, 200)!;
  const title = str(raw.title, 200) ?? str(raw.name, 200);
  if (!title) throw new Error("it has no title");
  const { path, local } = entryPath(raw, source);
  const { config } = parsePlaybookObject(raw);
  const category = str(raw.category, 80);
  return {
    path,
    local,
    config,
    view: {
      key,
      name: title,
      description: str(raw.description, 1000) ?? "",
      category,
      subcategory: str(raw.subcategory, 80),
      author: str(raw.author, 120),
      authorLink: httpLink(raw.authorLink),
      tags: Array.isArray(raw.tags) ? raw.tags.flatMap((t) => (str(t, 40) ? [str(t, 40)!] : [])).slice(0, 30) : [],
      lastUpdated: str(raw.lastUpdated, 40),
      documents: config.documents.length,
      documentNames: config.documents.map((d) => markdownName(d.filename)),
      assets: config.assets?.length ?? 0,
      loopEnabled: config.loopEnabled,
      maxLoops: config.maxLoops,
      source,
      folder: importFolder(category, title),
    },
  };
}

/** Every merged entry read; those that cannot be offered are named with their reason. */
export function readEntries(merged: SourcedEntry[]): { entries: CatalogueEntry[]; skipped: SkippedEntry[] } {
  const entries: CatalogueEntry[] = [];
  const skipped: SkippedEntry[] = [];
  for (const entry of merged.slice(0, 2000)) {
    const key = str(entry.raw.id, 200)!;
    try {
      entries.push(readEntry(entry));
    } catch (err) {
      const label = str(entry.raw.title, 80) ?? key;
      skipped.push({ key, label, reason: (err as Error).message.replace(/^Not a valid playbook: /, "") });
    }
  }
  return { entries, skipped };
}
