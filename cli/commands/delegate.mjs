// @ts-check
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { resolveDataDir } from "../target.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** What each delegated command runs (the same entry points as `npm start|run doctor|run pair`). */
const SCRIPTS = { start: "server/main.ts", doctor: "server/cli/doctor.ts", pair: "server/cli/pair.ts" };

/**
 * `maestro start|doctor|pair`: run the existing TypeScript entry under tsx in a child, with the
 * CLI's data dir, and exit as it does. The CLI itself never loads tsx (its start budget);
 * `--import tsx` resolves from `cwd`, the checkout. SIGINT/SIGTERM are passed on, so stopping
 * `maestro start` stops the bridge the way stopping `npm start` does (its own shutdown). The
 * bridge runs in a process group of its own: a Ctrl-C in the terminal signals the whole
 * foreground group, and a bridge that got it from there and again from us would take the second
 * as "exit now" and skip its shutdown.
 * @param {import("../main.mjs").Ctx} ctx
 * @param {keyof typeof SCRIPTS} script
 * @param {string[]} args
 */
export async function delegate(ctx, script, args) {
  const env = /** @type {NodeJS.ProcessEnv} */ ({ ...process.env, MAESTRO_HOME: resolveDataDir(ctx.opts.dataDir) });
  if (ctx.opts.color === false) env.NO_COLOR = "1";
  const own = script === "start";
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, SCRIPTS[script]), ...args], {
    cwd: ROOT,
    env,
    // Outside the terminal's foreground group the bridge must not read the terminal (SIGTTIN).
    stdio: own ? ["ignore", "inherit", "inherit"] : "inherit",
    detached: own,
  });
  /** @param {NodeJS.Signals} signal */
  const pass = (signal) => child.kill(signal);
  // A closed terminal hangs up on maestro only (the bridge has its own session): stop it too.
  const hangup = () => child.kill("SIGTERM");
  process.on("SIGINT", pass);
  process.on("SIGTERM", pass);
  process.on("SIGHUP", hangup);
  const code = await new Promise((resolve) => {
    child.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0)));
    child.on("error", () => resolve(1));
  });
  process.off("SIGINT", pass);
  process.off("SIGTERM", pass);
  process.off("SIGHUP", hangup);
  process.exitCode = /** @type {number} */ (code);
}

/**
 * `maestro start`'s options as server/main.ts's flags.
 * @param {{ host?: string, port?: string, dev?: boolean, qr?: boolean, tunnel?: boolean }} o
 */
export function startArgs(o) {
  return [
    ...(o.host ? ["--host", o.host] : []),
    ...(o.port ? ["--port", o.port] : []),
    ...(o.dev ? ["--dev"] : []),
    ...(o.qr === false ? ["--no-qr"] : []),
    ...(o.tunnel ? ["--tunnel"] : []),
  ];
}
