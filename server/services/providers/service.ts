import { PROVIDER_IDS, type ProviderId } from "../../../lib/providers/catalog";
import type { SettingsService } from "../settings";
import { detectProviders, type DetectedProvider } from "./detect";

const CACHE_MS = 30_000;

/** Provider discovery with a short cache (detection spawns four `--version` processes). */
export function createProvidersService(settings: SettingsService, envPath: string) {
  let cached: { at: number; result: Promise<DetectedProvider[]> } | null = null;

  async function configuredPaths() {
    const rows = await settings.getMany("provider.");
    const paths: Partial<Record<ProviderId, string>> = {};
    for (const id of PROVIDER_IDS) {
      const p = rows[`provider.${id}.path`];
      if (p) paths[id] = p;
    }
    return paths;
  }

  return {
    detect(options: { fresh?: boolean } = {}): Promise<DetectedProvider[]> {
      if (!options.fresh && cached && Date.now() - cached.at < CACHE_MS) return cached.result;
      const result = configuredPaths().then((paths) => detectProviders({ configuredPaths: paths, envPath }));
      cached = { at: Date.now(), result };
      result.catch(() => (cached = null));
      return result;
    },
    async setPath(id: ProviderId, path: string | null) {
      await settings.set(`provider.${id}.path`, path);
      cached = null;
    },
  };
}
