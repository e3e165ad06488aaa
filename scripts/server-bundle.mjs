// @ts-check
/**
 * The bridge as one prebuilt file: where it lives, whether it still matches its sources, and the
 * argv that starts the bridge (the bundle when it is fresh, else the TypeScript entry under tsx).
 * Plain JavaScript with no dependencies, so `maestro start` (which never loads tsx), the e2e
 * harness, the benches and the bridge's own build step (server/next-build.ts) share one answer.
 * `scripts/build-server.mjs` makes the bundle.
 */
import fs from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..");

/** Inside `.next/`: `next build` empties it, so an app rebuild always makes the bridge's bundle again too. */
export const bundleFile = (root = ROOT) => path.join(root, ".next", "maestro-server.mjs");
/** `{ builtAt, inputs }`: the time the build started and every project file it read. */
export const manifestFile = (root = ROOT) => path.join(root, ".next", "maestro-server.json");
export const ENTRY = "server/main.ts";

/**
 * True when the bundle exists and none of the files it was made from (every project file the
 * bundler read, and the two bundle scripts) is missing or was changed after its build started.
 * @param {string} [root]
 */
export function serverBundleFresh(root = ROOT) {
  let manifest;
  try {
    manifest = /** @type {{ builtAt: number, inputs: string[] }} */ (JSON.parse(fs.readFileSync(manifestFile(root), "utf8")));
    fs.statSync(bundleFile(root));
  } catch {
    return false;
  }
  if (typeof manifest.builtAt !== "number" || !Array.isArray(manifest.inputs)) return false;
  return manifest.inputs.every((rel) => {
    try {
      return fs.statSync(path.join(root, rel)).mtimeMs <= manifest.builtAt;
    } catch {
      return false; // a file it was made from is gone
    }
  });
}

/**
 * Node's arguments that start the bridge: the bundle when it is fresh and this is not a dev start
 * (dev runs the sources as they are), else `server/main.ts` under tsx (whose build step, outside
 * dev, makes the bundle again for the next start).
 * @param {{ dev?: boolean, root?: string }} [opts]
 * @returns {string[]}
 */
export function bridgeArgv({ dev = false, root = ROOT } = {}) {
  return !dev && serverBundleFresh(root) ? [bundleFile(root)] : ["--import", "tsx", path.join(root, ENTRY)];
}
