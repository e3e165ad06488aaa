#!/usr/bin/env node
// @ts-check
/**
 * Bundles the bridge (`server/main.ts` and every project module it reaches) into one ESM file,
 * `.next/maestro-server.mjs`, with node_modules left as imports. Run by `npm run build` after
 * `next build`, and by the bridge's own build step when the bundle is stale (server/next-build.ts).
 *
 * Why: under tsx a start spends most of its time loading ~300 TypeScript modules one by one
 * through the loader thread; the bundle is one file node parses at once (bench/README.md).
 *
 * The bundle sits one folder below the checkout, like server/, but modules deeper down locate
 * files from their own folder (`import.meta.dirname` + "../../../bin/…"), so each module's
 * `import.meta.dirname`, `.filename` and `.url` are rewritten to its original path, computed at
 * run time from the bundle's own place (the checkout may move).
 */
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";
import { bundleFile, ENTRY, manifestFile, ROOT } from "./server-bundle.mjs";

/** The scripts that decide how the bundle is made: a change to them makes it stale too. */
const RECIPE = ["scripts/build-server.mjs", "scripts/server-bundle.mjs"];

/**
 * @param {string} root
 * @returns {import("esbuild").Plugin}
 */
function ownImportMeta(root) {
  const fromBundle = path
    .relative(path.dirname(bundleFile(root)), root)
    .split(path.sep)
    .join("/");
  return {
    name: "own-import-meta",
    setup(b) {
      b.onLoad({ filter: /\.(ts|mts|mjs|js)$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const text = await fs.promises.readFile(args.path, "utf8");
        if (!text.includes("import.meta.")) return undefined;
        const rel = (/** @type {string} */ p) => JSON.stringify(`${fromBundle}/${path.relative(root, p).split(path.sep).join("/")}`);
        const contents = text
          .replaceAll("import.meta.dirname", `__maestroPath(${rel(path.dirname(args.path))})`)
          .replaceAll("import.meta.filename", `__maestroPath(${rel(args.path)})`)
          .replaceAll("import.meta.url", `__maestroUrl(${rel(args.path)})`);
        return { contents, loader: /\.m?ts$/.test(args.path) ? "ts" : "js" };
      });
    },
  };
}

/**
 * Builds the bundle and its manifest (what it was made from), each written whole (a temporary
 * file renamed over it): a bridge starting meanwhile sees the old pair, a new bundle with the old
 * manifest (stale: it runs tsx), or the new pair.
 * @param {string} [root]
 */
export async function buildServer(root = ROOT) {
  const builtAt = Date.now();
  const out = bundleFile(root);
  const result = await build({
    absWorkingDir: root,
    entryPoints: [path.join(root, ENTRY)],
    outfile: out,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    // Error names and `fn.name` stay as written (the bundler renames clashing top-level names).
    keepNames: true,
    sourcemap: "linked",
    metafile: true,
    write: false,
    logLevel: "warning",
    banner: {
      js: [
        'import { fileURLToPath as __maestroFileURLToPath } from "node:url";',
        "const __maestroUrl = (rel) => new URL(rel, import.meta.url).href;",
        "const __maestroPath = (rel) => __maestroFileURLToPath(__maestroUrl(rel));",
      ].join("\n"),
    },
    plugins: [ownImportMeta(root)],
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  for (const file of result.outputFiles) {
    const tmp = `${file.path}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, file.contents);
    fs.renameSync(tmp, file.path);
  }
  const inputs = [...Object.keys(result.metafile.inputs).filter((p) => !p.startsWith("node_modules/")), ...RECIPE];
  const manifest = manifestFile(root);
  fs.writeFileSync(`${manifest}.${process.pid}.tmp`, JSON.stringify({ builtAt, inputs }));
  fs.renameSync(`${manifest}.${process.pid}.tmp`, manifest);
  return { file: out, inputs };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, "scripts", "build-server.mjs")) {
  const started = performance.now();
  const { file, inputs } = await buildServer();
  console.log(`Bundled the bridge: ${path.relative(ROOT, file)} (${inputs.length} files, ${(performance.now() - started).toFixed(0)} ms)`);
}
