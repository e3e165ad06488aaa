// @ts-check
import { createOutput } from "../output.mjs";

/** @typedef {import("../output.mjs").GlobalOptions} GlobalOptions */

/**
 * What every command's action gets: the global options, where to print, and the bridge (found
 * lazily, so `completions` or `--help` never touch the network).
 * @typedef {object} Ctx
 * @property {GlobalOptions} opts
 * @property {ReturnType<typeof createOutput>} out
 * @property {() => Promise<import("../target.mjs").Target>} target
 * @property {(options?: import("../client.mjs").ClientOptions) => Promise<import("../client.mjs").Client>} client
 *   the bridge, or headless when allowed and none runs (cli/client.mjs); close it when done
 */

/** A help section of example command lines. @param {string} text */
export const examples = (text) => `\nExamples:\n${text.replace(/^/gm, "  $ ")}\n`;
/**
 * Runs a command module's function with a context; modules load only when their command runs,
 * so the start path is commander and this file.
 * @param {import("commander").Command} cmd
 * @param {(ctx: Ctx) => Promise<void>} fn
 */
export async function run(cmd, fn) {
  /** @type {GlobalOptions} */
  const opts = cmd.optsWithGlobals();
  const out = createOutput(opts);
  const target = async () => {
    const found = await (await import("../target.mjs")).resolveTarget(opts);
    out.verbose(
      `${found.mode === "remote" ? "remote bridge" : `bridge for ${found.dataDir}`} at ${found.url} (version ${found.version ?? "?"})`,
    );
    return found;
  };
  const client = async (/** @type {import("../client.mjs").ClientOptions | undefined} */ options) =>
    (await import("../client.mjs")).openClient(opts, out, options);
  await fn({ opts, out, target, client });
}
