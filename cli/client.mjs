// @ts-check
import { CliError, EXIT } from "./exit-codes.mjs";

/**
 * How a command reaches the work, whatever is running. Every data command talks to a Client,
 * never to HTTP or the services directly, so the same command code runs against:
 * - the bridge for the data dir (tRPC over HTTP, subscriptions over SSE, the CLI token), or a
 *   remote bridge (--url/--token);
 * - **headless** when no bridge runs for the data dir: the same router called in-process on the
 *   same services and database (cli/headless.mjs), under the data-dir lock.
 * Values come back as the wire carries them (Dates as ISO strings) in both modes.
 *
 * @typedef {object} Client
 * @property {"bridge" | "remote" | "headless"} mode
 * @property {string | null} url the bridge's, null headless
 * @property {string | null} dataDir null for --url
 * @property {string | null} version the bridge's (or this package's, headless)
 * @property {(path: string, input?: unknown) => Promise<any>} query
 * @property {(path: string, input?: unknown) => Promise<any>} mutate
 * @property {(path: string, input?: unknown, opts?: { signal?: AbortSignal }) => AsyncIterable<any>} subscribe
 *   ends when the procedure returns; errors are CliErrors
 * @property {() => Promise<void>} close releases what it holds (headless: services, the lock)
 */

/**
 * @typedef {object} ClientOptions
 * @property {boolean} [headless] run in-process when no bridge runs for the data dir (local mode only)
 */

/**
 * Opens the Client for the global options.
 * @param {import("./output.mjs").GlobalOptions} opts
 * @param {ReturnType<typeof import("./output.mjs").createOutput>} out
 * @param {ClientOptions} [options]
 * @returns {Promise<Client>}
 */
export async function openClient(opts, out, options = {}) {
  const { resolveTarget, resolveDataDir } = await import("./target.mjs");
  let target;
  try {
    target = await resolveTarget(opts);
  } catch (err) {
    const local = !(opts.url ?? process.env.MAESTRO_URL);
    if (!(err instanceof CliError) || err.exitCode !== EXIT.UNREACHABLE || !local || !options.headless) throw err;
    const dataDir = resolveDataDir(opts.dataDir);
    out.verbose(`no bridge runs for ${dataDir}: running headless`);
    return (await import("./headless.mjs")).openHeadless(dataDir, out);
  }
  out.verbose(
    `${target.mode === "remote" ? "remote bridge" : `bridge for ${target.dataDir}`} at ${target.url} (version ${target.version ?? "?"})`,
  );
  return (await import("./client-http.mjs")).httpClient(target);
}
