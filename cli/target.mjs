// @ts-check
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CliError, EXIT } from "./exit-codes.mjs";
import { requestJson } from "./trpc-http.mjs";

/**
 * The data dir: --data-dir, else $MAESTRO_HOME, else ~/.maestro. The same rule as the bridge's
 * `resolveDataDir` in server/env.ts (cli/target.test.ts holds the two together).
 * @param {string | undefined} flag
 * @param {Record<string, string | undefined>} [env]
 */
export function resolveDataDir(flag, env = process.env) {
  return path.resolve(flag || env.MAESTRO_HOME || path.join(os.homedir(), ".maestro"));
}

/**
 * @typedef {object} Target
 * @property {"bridge" | "remote"} mode
 * @property {string} url
 * @property {string} token
 * @property {string | null} dataDir null for --url
 * @property {string | null} version the bridge's, from /api/health
 */

/**
 * @typedef {object} TargetOptions
 * @property {string} [dataDir]
 * @property {string} [url]
 * @property {string} [token]
 */

const HEALTH_TIMEOUT_MS = 3_000;

/** @param {number} pid */
function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but another user's (the token file will tell).
    return /** @type {NodeJS.ErrnoException} */ (err).code === "EPERM";
  }
}

/**
 * The bridge's health answer, or null when nothing Maestro-like answers there.
 * @param {string} url
 * @returns {Promise<{ ok: boolean, instanceId?: string, version?: string } | null>}
 */
export async function health(url) {
  try {
    const { status, body } = await requestJson(`${url}/api/health`, { timeoutMs: HEALTH_TIMEOUT_MS });
    return status === 200 && body && typeof body === "object" && body.ok === true ? body : null;
  } catch {
    return null;
  }
}

/** @param {string} dataDir */
function notRunning(dataDir) {
  return new CliError(
    `Maestro is not running for ${dataDir}. Start it with \`npm start\` (or \`maestro start\`), or pass --url and --token.`,
    EXIT.UNREACHABLE,
    "UNREACHABLE",
  );
}

/**
 * Reads `<dataDir>/bridge.json`: null when absent, unreadable, or its process is gone.
 * @param {string} dataDir
 * @returns {{ pid: number, url: string, instanceId?: string } | null}
 */
export function readBridgeFile(dataDir) {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dataDir, "bridge.json"), "utf8"));
    if (!info || typeof info.url !== "string" || !Number.isInteger(info.pid)) return null;
    return pidAlive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/**
 * The CLI token the bridge wrote for this user (`<dataDir>/cli-token`, JSON `{ token, id }`).
 * @param {string} dataDir
 */
export function readCliToken(dataDir) {
  const file = path.join(dataDir, "cli-token");
  let raw;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = /** @type {NodeJS.ErrnoException} */ (err).code;
    throw new CliError(
      code === "EACCES"
        ? `cannot read ${file} (EACCES). Run this as the user who runs the bridge.`
        : `no CLI token in ${file}. Restart the bridge (it writes one), or pass --token.`,
      EXIT.AUTH,
      "AUTH",
    );
  }
  try {
    const parsed = JSON.parse(raw);
    if (typeof parsed?.token === "string" && parsed.token) return /** @type {string} */ (parsed.token);
  } catch {}
  throw new CliError(`${file} is not a CLI token file. Restart the bridge to rewrite it.`, EXIT.AUTH, "AUTH");
}

/**
 * Finds the bridge to talk to: --url (+ --token) for a remote one, else the bridge that runs for
 * the data dir (its bridge.json, a live pid, and /api/health answering with the same instance).
 * @param {TargetOptions} opts
 * @param {Record<string, string | undefined>} [env]
 * @returns {Promise<Target>}
 */
export async function resolveTarget(opts, env = process.env) {
  const url = opts.url ?? env.MAESTRO_URL;
  const token = opts.token ?? env.MAESTRO_TOKEN;
  if (url) {
    let base;
    try {
      base = new URL(url);
    } catch {
      throw new CliError(`--url ${JSON.stringify(url)} is not a URL (e.g. http://127.0.0.1:4280).`, EXIT.USAGE, "USAGE");
    }
    if (base.protocol !== "http:" && base.protocol !== "https:") {
      throw new CliError(`--url must be http:// or https:// (got ${base.protocol}).`, EXIT.USAGE, "USAGE");
    }
    if (!token) throw new CliError("--url needs --token (or MAESTRO_TOKEN).", EXIT.USAGE, "USAGE");
    const clean = base.origin + base.pathname.replace(/\/+$/, "");
    const h = await health(clean);
    if (!h) throw new CliError(`no Maestro bridge answers at ${clean}.`, EXIT.UNREACHABLE, "UNREACHABLE");
    return { mode: "remote", url: clean, token, dataDir: null, version: h.version ?? null };
  }
  const dataDir = resolveDataDir(opts.dataDir, env);
  const info = readBridgeFile(dataDir);
  if (!info) throw notRunning(dataDir);
  const base = info.url.replace(/\/+$/, "");
  const h = await health(base);
  // A different instanceId: the pid was reused or the file is from an earlier bridge.
  if (!h || (info.instanceId && h.instanceId !== info.instanceId)) throw notRunning(dataDir);
  return { mode: "bridge", url: base, token: token ?? readCliToken(dataDir), dataDir, version: h.version ?? null };
}
