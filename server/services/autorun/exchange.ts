import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { MAX_ASSET_BYTES, MAX_BUNDLE_CONTENT_BYTES, MAX_BUNDLE_ENTRIES, MAX_MANIFEST_BYTES } from "../../../lib/autorun/bundle-rules";
import { formatBytes, markdownName, MAX_DOCUMENT_BYTES } from "../../../lib/autorun/documents";
import {
  checkExchangeUrl,
  DEFAULT_EXCHANGE_URL,
  EXCHANGE_CACHE_FILE,
  EXCHANGE_TIMEOUT_MS,
  EXCHANGE_URL_SETTING,
  exchangeBase,
  LOCAL_MANIFEST_FILE,
  mergeManifests,
  registryFileUrl,
  type ExchangeCatalogue,
  type OfficialStatus,
} from "../../../lib/autorun/exchange";
import { readEntries, readEntry, type CatalogueEntry } from "../../../lib/autorun/exchange-catalogue";
import { isManifest, readJson } from "../../../lib/autorun/playbook-formats";
import { AppError } from "../../errors";
import type { Logger } from "../../logger";
import type { SettingsService } from "../settings";
import { fetchCapped, FetchFailure, localRoot, readLocal } from "./exchange-fetch";
import type { PlaybooksService } from "./playbooks";

export interface ExchangeDeps {
  dataDir: string;
  settings: SettingsService;
  playbooks: Pick<PlaybooksService, "installBundle">;
  logger: Logger;
  /** What `~/` means in a local manifest's paths (default: the user's home). */
  home?: string;
  timeoutMs?: number;
  now?: () => number;
}

interface Cache {
  url: string;
  fetchedAt: number;
  playbooks: unknown[];
}

/** How old a catalogue may be when a preview or an import looks an entry up (browsing always fetches). */
const LOOKUP_FRESH_MS = 10 * 60 * 1000;
const CONCURRENCY = 4;

/** Runs `job` over `items`, `CONCURRENCY` at a time, in order; after a failure no new job starts. */
async function mapLimited<T, R>(items: T[], job: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await job(items[i]!);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return out;
}

/**
 * The Playbook Exchange: the registry's manifest (fetched from the URL in Settings, the last good
 * copy kept in `exchange-cache.json`) merged with `<dataDir>/local-manifest.json`; an entry's
 * README and documents for a preview; and an import, which fetches the entry's documents and
 * assets and hands them to `installBundle`. Network goes only to the manifest URL's origin.
 */
export function createExchangeService(deps: ExchangeDeps) {
  const timeoutMs = deps.timeoutMs ?? EXCHANGE_TIMEOUT_MS;
  const now = deps.now ?? Date.now;
  const home = deps.home ?? os.homedir();
  const cacheFile = path.join(deps.dataDir, EXCHANGE_CACHE_FILE);
  const localFile = path.join(deps.dataDir, LOCAL_MANIFEST_FILE);
  let memo: Cache | null | undefined;
  const inflight = new Map<string, Promise<unknown[]>>();

  async function currentUrl(): Promise<string> {
    const stored = (await deps.settings.get(EXCHANGE_URL_SETTING))?.trim();
    if (!stored) return DEFAULT_EXCHANGE_URL;
    const check = checkExchangeUrl(stored);
    if (!check.ok) throw new AppError("BAD_INPUT", `The Playbook Exchange URL in Settings is not usable: ${check.message}`);
    return check.url;
  }

  async function readCache(): Promise<Cache | null> {
    if (memo !== undefined) return memo;
    try {
      const raw = JSON.parse(await fs.readFile(cacheFile, "utf8")) as Partial<Cache>;
      memo =
        typeof raw.url === "string" && typeof raw.fetchedAt === "number" && Array.isArray(raw.playbooks)
          ? { url: raw.url, fetchedAt: raw.fetchedAt, playbooks: raw.playbooks }
          : null;
    } catch {
      memo = null;
    }
    return memo;
  }

  async function writeCache(cache: Cache) {
    memo = cache;
    const tmp = `${cacheFile}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await fs.writeFile(tmp, JSON.stringify(cache));
      await fs.rename(tmp, cacheFile);
    } catch (err) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      deps.logger.error(`Playbook Exchange: could not write ${cacheFile}: ${(err as Error).message}`);
    }
  }

  function fetchManifest(url: string): Promise<unknown[]> {
    const running = inflight.get(url);
    if (running) return running;
    const job = (async () => {
      const body = await fetchCapped(url, { origin: new URL(url).origin, maxBytes: MAX_MANIFEST_BYTES, timeoutMs });
      let raw: unknown;
      try {
        raw = readJson(body.toString("utf8"));
      } catch (err) {
        throw new FetchFailure(
          `it answered with something that is not JSON (${(err as Error).message.replace(/^That file is not valid JSON: /, "")})`,
        );
      }
      if (!isManifest(raw)) throw new FetchFailure("it answered with JSON that is not a manifest (no playbooks list)");
      return raw.playbooks;
    })().finally(() => inflight.delete(url));
    inflight.set(url, job);
    return job;
  }

  /** The official playbooks: fetched, or the last good copy when younger than `maxAgeMs` or when the fetch fails. */
  async function official(url: string, maxAgeMs: number): Promise<{ playbooks: unknown[]; status: OfficialStatus }> {
    const cache = await readCache();
    const mine = cache?.url === url ? cache : null;
    const at = (ms: number) => new Date(ms).toISOString();
    if (mine && maxAgeMs > 0 && now() - mine.fetchedAt <= maxAgeMs)
      return { playbooks: mine.playbooks, status: { url, state: "live", fetchedAt: at(mine.fetchedAt), error: null } };
    try {
      const playbooks = await fetchManifest(url);
      const fetchedAt = now();
      await writeCache({ url, fetchedAt, playbooks });
      return { playbooks, status: { url, state: "live", fetchedAt: at(fetchedAt), error: null } };
    } catch (err) {
      if (!(err instanceof FetchFailure)) throw err;
      if (mine) return { playbooks: mine.playbooks, status: { url, state: "cached", fetchedAt: at(mine.fetchedAt), error: err.message } };
      return { playbooks: [], status: { url, state: "unreachable", fetchedAt: null, error: err.message } };
    }
  }

  /** `<dataDir>/local-manifest.json`: absent is no error; a broken one is said, and lists nothing. */
  async function local(): Promise<{ playbooks: unknown[]; error: string | null }> {
    let text: string;
    try {
      const stat = await fs.stat(localFile);
      if (stat.size > MAX_MANIFEST_BYTES) return { playbooks: [], error: `${LOCAL_MANIFEST_FILE} is over 2 MB.` };
      text = await fs.readFile(localFile, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { playbooks: [], error: null };
      return { playbooks: [], error: `${LOCAL_MANIFEST_FILE} cannot be read: ${(err as Error).message}` };
    }
    try {
      const raw = readJson(text);
      if (!isManifest(raw)) return { playbooks: [], error: `${LOCAL_MANIFEST_FILE} has no playbooks list.` };
      return { playbooks: raw.playbooks, error: null };
    } catch (err) {
      return { playbooks: [], error: `${LOCAL_MANIFEST_FILE}: ${(err as Error).message}` };
    }
  }

  /** One entry by its id, with where its files are; an entry that cannot be offered says why. */
  async function lookup(key: string) {
    const url = await currentUrl();
    const [off, mine] = await Promise.all([official(url, LOOKUP_FRESH_MS), local()]);
    const found = mergeManifests(off.playbooks, mine.playbooks).merged.find((m) => String(m.raw.id).trim() === key);
    if (!found)
      throw new AppError("NOT_FOUND", `“${key}” is not in the Playbook Exchange's catalogue.`, { hint: "Refresh the catalogue." });
    let entry: CatalogueEntry;
    try {
      entry = readEntry(found);
    } catch (err) {
      throw new AppError("BAD_INPUT", `“${key}” cannot be imported: ${(err as Error).message.replace(/^Not a valid playbook: /, "")}`);
    }
    const base = exchangeBase(url);
    return { entry, base, origin: new URL(url).origin };
  }

  type Found = Awaited<ReturnType<typeof lookup>>;

  /** A file of an entry (relative to its folder); null when the registry or the folder has no such file. */
  async function readFile({ entry, base, origin }: Found, rel: string, maxBytes: number): Promise<Buffer | null> {
    if (entry.local) return readLocal(await localRoot(entry.path, home), rel, maxBytes);
    let url: string;
    try {
      url = registryFileUrl(base, entry.path, rel);
    } catch (err) {
      throw new AppError("BAD_INPUT", (err as Error).message);
    }
    try {
      return await fetchCapped(url, { origin, maxBytes, timeoutMs });
    } catch (err) {
      if (err instanceof FetchFailure && err.status === 404) return null;
      throw err;
    }
  }

  /** A file every import needs: missing or unreadable refuses the whole import. */
  async function required(found: Found, rel: string, maxBytes: number): Promise<Buffer> {
    const title = found.entry.view.name;
    try {
      const data = await readFile(found, rel, maxBytes);
      if (data) return data;
    } catch (err) {
      const reason = (err instanceof FetchFailure || err instanceof AppError ? err.message : String(err)).replace(/\.$/, "");
      throw new AppError("BAD_INPUT", `Could not fetch “${rel}” of “${title}”: ${reason}. Nothing was imported.`);
    }
    throw new AppError(
      "BAD_INPUT",
      `“${rel}” of “${title}” is not in the ${found.entry.local ? "local folder" : "Exchange"}. Nothing was imported.`,
    );
  }

  return {
    /** The URL in Settings (null: the default) and the default. */
    async settings() {
      return { url: (await deps.settings.get(EXCHANGE_URL_SETTING)) || null, defaultUrl: DEFAULT_EXCHANGE_URL };
    },
    async setUrl(input: string | null) {
      const text = input?.trim() ?? "";
      if (!text) await deps.settings.set(EXCHANGE_URL_SETTING, null);
      else {
        const check = checkExchangeUrl(text);
        if (!check.ok) throw new AppError("BAD_INPUT", check.message, { field: "url" });
        await deps.settings.set(EXCHANGE_URL_SETTING, check.url);
      }
      return this.settings();
    },

    /** The catalogue: the registry fetched now (else its last good copy) merged with the local manifest. */
    async catalogue(): Promise<ExchangeCatalogue> {
      const url = await currentUrl();
      const [off, mine] = await Promise.all([official(url, 0), local()]);
      const { merged, skipped } = mergeManifests(off.playbooks, mine.playbooks);
      const read = readEntries(merged);
      return {
        entries: read.entries.map((e) => e.view),
        skipped: [...skipped, ...read.skipped.map((s) => `${s.label}: ${s.reason}`)],
        official: off.status,
        local: { count: mine.playbooks.length, error: mine.error },
      };
    },

    /** An entry's README (default) or one of its documents, as text; `content` null when there is none. */
    async preview(input: { key: string; file?: string }) {
      const found = await lookup(input.key);
      const documents = found.entry.view.documentNames;
      const file = input.file ? markdownName(input.file) : "README.md";
      if (file !== "README.md" && !documents.includes(file))
        throw new AppError("BAD_INPUT", `“${input.file}” is not a document of “${found.entry.view.name}”.`);
      try {
        const data = await readFile(found, file, MAX_DOCUMENT_BYTES);
        return { key: input.key, file, documents, content: data ? data.toString("utf8") : null, error: null };
      } catch (err) {
        if (!(err instanceof FetchFailure || err instanceof AppError)) throw err;
        return { key: input.key, file, documents, content: null, error: err.message };
      }
    },

    /**
     * Imports an entry into an agent: its documents (into `<folder>/` of the Auto Run folder, as
     * desktop does) and its assets (`<folder>/assets/`), then the playbook, all through
     * `installBundle`, so a clash is refused unless `overwrite`.
     */
    async import(input: { agentId: string; key: string; overwrite?: boolean }) {
      const found = await lookup(input.key);
      const { config, view } = found.entry;
      const assetNames = config.assets ?? [];
      // The bundle's limits hold while fetching, not only once everything is in memory: a count
      // first, then one byte budget the fetches draw from.
      if (config.documents.length + assetNames.length > MAX_BUNDLE_ENTRIES)
        throw new AppError("BAD_INPUT", `“${view.name}” lists over ${MAX_BUNDLE_ENTRIES} files. Nothing was imported.`);
      let budget = MAX_BUNDLE_CONTENT_BYTES;
      const take = async (rel: string, limit: number) => {
        if (budget <= 0)
          throw new AppError("BAD_INPUT", `“${view.name}” adds up to over ${formatBytes(MAX_BUNDLE_CONTENT_BYTES)}. Nothing was imported.`);
        const data = await required(found, rel, Math.min(limit, budget));
        budget -= data.length;
        return data;
      };
      const documents = await mapLimited(config.documents, async (d) => ({
        filename: `${view.folder}/${markdownName(d.filename)}`,
        content: (await take(markdownName(d.filename), MAX_DOCUMENT_BYTES)).toString("utf8"),
      }));
      const assets = await mapLimited(assetNames, async (name) => ({ path: name, data: await take(`assets/${name}`, MAX_ASSET_BYTES) }));
      const prefixed = { ...config, documents: config.documents.map((d) => ({ ...d, filename: `${view.folder}/${d.filename}` })) };
      const installed = await deps.playbooks.installBundle(
        input.agentId,
        { name: view.name, config: prefixed, documents, assets },
        { overwrite: input.overwrite },
      );
      return { ...installed, folder: view.folder };
    },
  };
}

export type ExchangeService = ReturnType<typeof createExchangeService>;
