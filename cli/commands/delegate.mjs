// @ts-check
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bridgeArgv } from "../../scripts/server-bundle.mjs";
import { resolveDataDir } from "../target.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Within this, a repeated signal is the same one delivered twice (as server/bridge-stop.ts counts it). */
const REPEAT_MS = 1_000;

/** What each delegated command runs (the same entry points as `npm start|run doctor|run pair`). */
const SCRIPTS = { start: "server/main.ts", doctor: "server/cli/doctor.ts", pair: "server/cli/pair.ts" };

/**
 * `maestro start|doctor|pair`: run the existing TypeScript entry under tsx in a child, with the
 * CLI's data dir, and exit as it does (a child killed by signal n: 128 + n, as a shell reports
 * it). `start` runs the bridge's prebuilt bundle instead when it is fresh and this is not `--dev`
 * (scripts/server-bundle.mjs: it starts in about half the time). The CLI itself never loads tsx
 * (its start budget); `--import tsx` resolves from `cwd`, the checkout.
 *
 * `start` keeps the bridge tied to this process: it stays in maestro's process group (job control,
 * a terminal's Ctrl-C and hang-up reach both), SIGINT/SIGTERM/SIGHUP sent to maestro alone are
 * passed on (once per second at most: npm and the terminal can each deliver the same Ctrl-C),
 * and an IPC channel ends when maestro dies however it dies (SIGKILL from a supervisor,
 * `timeout -s KILL`), which the bridge takes as its cue to stop (server/bridge-stop.ts; with
 * MAESTRO_SUPERVISED=1 it also watches its parent pid). Nothing is ever sent over the channel.
 * @param {import("../main.mjs").Ctx} ctx
 * @param {keyof typeof SCRIPTS} script
 * @param {string[]} args
 */
export async function delegate(ctx, script, args) {
  const env = /** @type {NodeJS.ProcessEnv} */ ({ ...process.env, MAESTRO_HOME: resolveDataDir(ctx.opts.dataDir) });
  if (ctx.opts.color === false) env.NO_COLOR = "1";
  const own = script === "start";
  if (own) env.MAESTRO_SUPERVISED = "1";
  const entry = own ? bridgeArgv({ dev: args.includes("--dev") }) : ["--import", "tsx", path.join(ROOT, SCRIPTS[script])];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: ROOT,
    env,
    stdio: own ? ["ignore", "inherit", "inherit", "ipc"] : "inherit",
  });
  let passedAt = 0;
  /** @param {NodeJS.Signals} signal */
  const pass = (signal) => {
    if (Date.now() - passedAt < REPEAT_MS) return;
    passedAt = Date.now();
    child.kill(signal);
  };
  const onInt = () => pass("SIGINT");
  const onTerm = () => pass("SIGTERM");
  const onHup = () => pass("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  process.on("SIGHUP", onHup);
  const code = await new Promise((resolve) => {
    child.on("exit", (c, signal) => resolve(c ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)));
    child.on("error", () => resolve(1));
  });
  process.off("SIGINT", onInt);
  process.off("SIGTERM", onTerm);
  process.off("SIGHUP", onHup);
  process.exitCode = /** @type {number} */ (code);
}

/**
 * Runs one of the TypeScript entries for its output (a JSON answer on stdout), not for the terminal.
 * @param {import("../main.mjs").Ctx} ctx
 * @param {keyof typeof SCRIPTS} script
 * @param {string[]} args
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export function runScript(ctx, script, args) {
  const env = { ...process.env, MAESTRO_HOME: resolveDataDir(ctx.opts.dataDir), NO_COLOR: "1" };
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, SCRIPTS[script]), ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  return new Promise((resolve) => {
    child.on("error", (err) => resolve({ code: 1, stdout, stderr: err.message }));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
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
