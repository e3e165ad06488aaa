// @ts-check
import { CliError, EXIT } from "./exit-codes.mjs";

/**
 * Headless mode: the Client for a data dir no bridge runs for. (Being built: until then, say so.)
 * @param {string} dataDir
 * @param {ReturnType<typeof import("./output.mjs").createOutput>} _out
 * @returns {Promise<import("./client.mjs").Client>}
 */
export async function openHeadless(dataDir, _out) {
  throw new CliError(
    `Maestro is not running for ${dataDir}. Start it with \`npm start\` (or \`maestro start\`).`,
    EXIT.UNREACHABLE,
    "UNREACHABLE",
  );
}
