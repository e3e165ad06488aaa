/**
 * The Playbook Exchange: the community registry's catalogue (RunMaestro/Maestro-Playbooks, read
 * the way Maestro desktop reads it in src/main/ipc/handlers/marketplace.ts) merged with the
 * user's own `local-manifest.json` (desktop's docs/local-manifest.md). Pure and free of zod, so
 * the browse screen can use the filters; the bridge does the fetching.
 *
 * Where files live: the manifest sits at `<base>/manifest.json`, and an entry's files at
 * `<base>/<path>/<filename>.md`, `<base>/<path>/README.md` and `<base>/<path>/assets/<asset>`.
 * A local manifest's entry may instead give a folder on disk (`/abs/path` or `~/path`).
 */
import type { ManifestChoice } from "./playbook-formats";

/** Desktop's registry: `${GITHUB_RAW_BASE}/manifest.json`. */
export const DEFAULT_EXCHANGE_URL = "https://raw.githubusercontent.com/RunMaestro/Maestro-Playbooks/main/manifest.json";
/** The settings key of the Exchange URL; absent or empty means the default. */
export const EXCHANGE_URL_SETTING = "exchange.url";
export const LOCAL_MANIFEST_FILE = "local-manifest.json";
export const EXCHANGE_CACHE_FILE = "exchange-cache.json";
export const EXCHANGE_TIMEOUT_MS = 8000;
const MAX_URL = 2000;

export type ExchangeSource = "official" | "local";

/** One playbook of the catalogue, as the browse screen shows it. `key` is the entry's `id`. */
export interface ExchangeEntry extends ManifestChoice {
  source: ExchangeSource;
  subcategory: string | null;
  /** http(s) only; anything else is dropped. */
  authorLink: string | null;
  tags: string[];
  lastUpdated: string | null;
  /** The documents in run order, each with `.md`. */
  documentNames: string[];
  assets: number;
  loopEnabled: boolean;
  maxLoops: number | null;
  /** Where an import writes the files, inside the Auto Run folder (desktop's default: `category/title`). */
  folder: string;
}

export interface OfficialStatus {
  url: string;
  /** live: fetched now. cached: the fetch failed, this is the last good copy. unreachable: failed, no copy. */
  state: "live" | "cached" | "unreachable";
  /** When the catalogue shown was fetched (ISO). */
  fetchedAt: string | null;
  /** Why the fetch failed, in words. */
  error: string | null;
}

export interface ExchangeCatalogue {
  entries: ExchangeEntry[];
  /** Entries left out, each with the reason. */
  skipped: string[];
  official: OfficialStatus;
  local: { count: number; error: string | null };
}

export type UrlCheck = { ok: true; url: string } | { ok: false; message: string };

/** The Exchange URL a person typed: an http(s) URL without credentials. */
export function checkExchangeUrl(input: string): UrlCheck {
  const text = input.trim();
  if (!text) return { ok: false, message: "Give the URL of a manifest.json." };
  if (text.length > MAX_URL) return { ok: false, message: `The URL is over ${MAX_URL} characters.` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: "That is not a URL (it starts with https://)." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return { ok: false, message: "The Exchange is fetched over https or http only." };
  if (url.username || url.password) return { ok: false, message: "Leave user names and passwords out of the URL." };
  url.hash = "";
  return { ok: true, url: url.href };
}

/** Where an entry's files are: the manifest's folder (desktop's `GITHUB_RAW_BASE`), without a trailing slash. */
export function exchangeBase(manifestUrl: string): string {
  const url = new URL(manifestUrl);
  url.search = "";
  url.hash = "";
  url.pathname = url.pathname.replace(/\/[^/]*$/, "");
  return url.href.replace(/\/$/, "");
}

/** A local manifest's folder on disk, as desktop tells them apart: absolute, or under `~`. */
export function isLocalPath(p: string): boolean {
  return p.startsWith("/") || p.startsWith("~/") || p === "~" || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith("\\\\");
}

export type SegmentsCheck = { ok: true; segments: string[] } | { ok: false; message: string };

/**
 * A path inside the registry (an entry's `path`, or a file below it): relative, `/`-separated,
 * no `..`, `.`, empty parts, backslashes or control characters. Each part is URL-encoded when the
 * address is built, so nothing in a name can reach another folder or another site.
 */
export function registrySegments(p: string): SegmentsCheck {
  const shown = JSON.stringify(p.length > 80 ? `${p.slice(0, 77)}...` : p);
  if (!p) return { ok: false, message: "The path is empty." };
  if (isLocalPath(p) || /^[a-z][a-z0-9+.-]*:/i.test(p))
    return { ok: false, message: `The path ${shown} is not a folder of the registry (absolute paths and addresses are refused).` };
  if (/[\u0000-\u001f\u007f\\]/.test(p)) return { ok: false, message: `The path ${shown} contains a backslash or a control character.` };
  const segments = p.replace(/\/+$/, "").split("/");
  for (const s of segments) {
    if (s === "..") return { ok: false, message: `The path ${shown} leads out of the registry with “..”.` };
    if (s === "" || s === ".") return { ok: false, message: `The path ${shown} has an empty part.` };
  }
  return { ok: true, segments };
}

/** The address of a file of an entry: `<base>/<path>/<file>`, each part encoded. */
export function registryFileUrl(base: string, entryPath: string, file: string): string {
  const dir = registrySegments(entryPath);
  if (!dir.ok) throw new Error(dir.message);
  const name = registrySegments(file);
  if (!name.ok) throw new Error(name.message);
  return `${base}/${[...dir.segments, ...name.segments].map(encodeURIComponent).join("/")}`;
}

/**
 * Where an import puts a playbook's files inside the Auto Run folder: desktop's default, the
 * `category/title` slug ("development/security-audit"). Empty parts are dropped.
 */
export function importFolder(category: string | null, title: string): string {
  const slug = `${category ? `${category}/` : ""}${title}`
    .toLowerCase()
    .replace(/[^a-z0-9/]+/g, "-")
    .split("/")
    .map((s) => s.replace(/^-+|-+$/g, "").slice(0, 80))
    .filter(Boolean)
    .join("/");
  return slug || "playbook";
}

/** A raw manifest entry and where it came from, after desktop's merge. */
export interface SourcedEntry {
  raw: Record<string, unknown>;
  source: ExchangeSource;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const idOf = (raw: unknown) => (isObject(raw) && typeof raw.id === "string" && raw.id.trim() ? raw.id.trim() : null);

/**
 * Desktop's merge (docs/local-manifest.md): a local entry with an official entry's `id` takes its
 * place, other local entries are appended, each is tagged with its source. Entries without an
 * `id` cannot be merged and are left out, named in `skipped`.
 */
export function mergeManifests(official: unknown[], local: unknown[]): { merged: SourcedEntry[]; skipped: string[] } {
  const skipped: string[] = [];
  const locals = new Map<string, Record<string, unknown>>();
  local.forEach((raw, i) => {
    const id = idOf(raw);
    if (!id) skipped.push(`local-manifest.json entry ${i + 1}: it has no id`);
    else if (!locals.has(id)) locals.set(id, raw as Record<string, unknown>);
  });
  const merged: SourcedEntry[] = [];
  const seen = new Set<string>();
  official.forEach((raw, i) => {
    const id = idOf(raw);
    if (!id) return skipped.push(`entry ${i + 1} of the Exchange: it has no id`);
    if (seen.has(id)) return skipped.push(`${id}: listed twice in the Exchange`);
    seen.add(id);
    const mine = locals.get(id);
    merged.push(mine ? { raw: mine, source: "local" } : { raw: raw as Record<string, unknown>, source: "official" });
  });
  for (const [id, raw] of locals) if (!seen.has(id)) merged.push({ raw, source: "local" });
  return { merged, skipped };
}

/** The category chips: every category with its count, in first-seen order. */
export function categoriesOf(entries: ExchangeEntry[]): { name: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const e of entries) if (e.category) counts.set(e.category, (counts.get(e.category) ?? 0) + 1);
  return [...counts].map(([name, count]) => ({ name, count }));
}

/** Desktop's search: title, description and tags (and the author), every word must match. */
export function filterEntries(entries: ExchangeEntry[], filter: { category?: string | null; query?: string }): ExchangeEntry[] {
  const words = (filter.query ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  return entries.filter((e) => {
    if (filter.category && e.category !== filter.category) return false;
    if (words.length === 0) return true;
    const text = [e.name, e.description, e.author ?? "", e.category ?? "", e.subcategory ?? "", ...e.tags].join("\n").toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
