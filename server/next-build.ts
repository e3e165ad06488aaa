import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { serverBundleFresh } from "../scripts/server-bundle.mjs";
import { PROJECT_ROOT } from "./version";

const SOURCES = ["app", "components", "lib", "public", "next.config.ts", "package.json", "postcss.config.mjs"];
const BUILD_ENV = { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" } as const;

function newestMtime(p: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** True when there is no production build of the app, or its sources changed after it was made. */
export function needsNextBuild(root = PROJECT_ROOT): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

/**
 * True when the app or the bridge's bundle (scripts/build-server.mjs: server/**, the lib/ and
 * generated/ files it reaches) must be built again before a production start.
 */
export function needsBuild(root = PROJECT_ROOT): boolean {
  return needsNextBuild(root) || !serverBundleFresh(root);
}

/** The build's steps, as argv for node: `next build` when the app is stale (it empties .next/), then the bridge's bundle. */
function buildSteps(root: string): string[][] {
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const next = needsNextBuild(root);
  return [
    ...(next ? [[nextBin, "build"]] : []),
    ...(next || !serverBundleFresh(root) ? [[path.join(root, "scripts", "build-server.mjs")]] : []),
  ];
}

const failed = (how: string) => new Error(`the build failed (${how}). Fix the error above, then npm start again.`);

/** Builds what is stale (`next build`, the bridge's bundle; argv, no shell) with its output shown; throws if it fails. */
export function buildApp(root = PROJECT_ROOT): void {
  for (const argv of buildSteps(root)) {
    const r = spawnSync(process.execPath, argv, { cwd: root, stdio: "inherit", env: { ...process.env, ...BUILD_ENV } });
    if (r.status !== 0) throw failed(r.signal ?? `exit ${r.status}`);
  }
}

/**
 * The same build, each step as a child the caller can stop (the bridge's first start: a Ctrl-C
 * or SIGTERM during the build must stop the bridge at once, not after the build).
 */
export function startBuild(root = PROJECT_ROOT): { done: Promise<void>; kill: () => void } {
  let child: ReturnType<typeof spawn> | null = null;
  let killed = false;
  const run = (argv: string[]) =>
    new Promise<void>((resolve, reject) => {
      if (killed) return reject(failed("stopped"));
      child = spawn(process.execPath, argv, { cwd: root, stdio: "inherit", env: { ...process.env, ...BUILD_ENV } });
      child.once("error", reject);
      child.once("exit", (code, signal) => (code === 0 ? resolve() : reject(failed(signal ?? `exit ${code}`))));
    });
  const done = (async () => {
    for (const argv of buildSteps(root)) await run(argv);
  })();
  return {
    done,
    kill: () => {
      killed = true;
      child?.kill("SIGTERM");
    },
  };
}
