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
 * @property {boolean} [quiet] no warnings on stderr
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
  const h = await probe(url);
  return h instanceof CliError ? null : h;
}

/**
 * Like health, but says why nothing answers: the CliError of the failed connection, or null when
 * something that is not Maestro answered.
 * @param {string} url
 * @returns {Promise<{ ok: boolean, instanceId?: string, version?: string } | CliError | null>}
 */
async function probe(url) {
  try {
    const { status, body } = await requestJson(`${url}/api/health`, { timeoutMs: HEALTH_TIMEOUT_MS });
    return status === 200 && body && typeof body === "object" && body.ok === true ? body : null;
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
}

/** Node's codes for a certificate it does not trust (a self-signed bridge, a private CA). */
const TLS_TRUST = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS/;

/** @param {string} hostname */
export function isLoopback(hostname) {
  const h = hostname.replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\./.test(h) || h === "::ffff:127.0.0.1";
}

const warned = new Set();
/**
 * One warning line on stderr, once per process, never under --quiet.
 * @param {TargetOptions} opts
 * @param {string} line
 */
function warnOnce(opts, line) {
  if (opts.quiet || warned.has(line)) return;
  warned.add(line);
  process.stderr.write(`maestro: ${line}\n`);
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
  if (url) {
    const token = opts.token ?? env.MAESTRO_TOKEN;
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
    if (base.protocol === "http:" && !isLoopback(base.hostname)) {
      warnOnce(
        opts,
        `warning: ${base.origin} is plain http://, so the token crosses the network unencrypted; use https:// (e.g. the tunnel).`,
      );
    }
    const h = await probe(clean);
    if (h instanceof CliError) {
      const code = /** @type {NodeJS.ErrnoException | undefined} */ (h.cause)?.code ?? "";
      if (TLS_TRUST.test(code)) {
        throw new CliError(
          `cannot reach the bridge at ${clean}: its certificate is not trusted (${code}). A self-signed certificate? Set NODE_EXTRA_CA_CERTS=<its CA .pem>.`,
          EXIT.UNREACHABLE,
          "UNREACHABLE",
        );
      }
      throw new CliError(`no Maestro bridge answers at ${clean} (${code || h.message}).`, EXIT.UNREACHABLE, "UNREACHABLE");
    }
    if (!h) throw new CliError(`no Maestro bridge answers at ${clean} (something else does).`, EXIT.UNREACHABLE, "UNREACHABLE");
    return { mode: "remote", url: clean, token, dataDir: null, version: h.version ?? null };
  }
  const dataDir = resolveDataDir(opts.dataDir, env);
  const info = readBridgeFile(dataDir);
  if (!info) throw notRunning(dataDir);
  const base = info.url.replace(/\/+$/, "");
  const h = await health(base);
  // A different instanceId: the pid was reused or the file is from an earlier bridge.
  if (!h || (info.instanceId && h.instanceId !== info.instanceId)) throw notRunning(dataDir);
  // MAESTRO_TOKEN belongs to MAESTRO_URL: one exported for a remote bridge must not reach the
  // local one (it would be refused, exit 5). --token on the command line is meant, so it is used.
  if (!opts.token && env.MAESTRO_TOKEN) {
    warnOnce(opts, `MAESTRO_TOKEN is ignored without --url or MAESTRO_URL; using ${path.join(dataDir, "cli-token")}.`);
  }
  return { mode: "bridge", url: base, token: opts.token ?? readCliToken(dataDir), dataDir, version: h.version ?? null };
}
