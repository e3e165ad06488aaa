// Session store: $MAESTRO_SIM_HOME/sessions/<id>.json (default $HOME/.maestro-sim).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { atomicWrite } from "./work.mjs";

/**
 * @typedef {object} TurnRecord
 * @property {number} n
 * @property {string} at        ISO time
 * @property {string} prompt    first 500 chars
 * @property {string} [reply]   first 500 chars
 * @property {string} [status]  "started" | "done" | "error"
 */

/**
 * @typedef {object} SessionRecord
 * @property {string} id
 * @property {string} dialect
 * @property {string} cwd
 * @property {string} created
 * @property {string} updated
 * @property {number} inputTokens   cumulative, for cache-read figures
 * @property {number} outputTokens
 * @property {TurnRecord[]} turns
 */

/** @param {NodeJS.ProcessEnv} env */
export function simHome(env = process.env) {
  return env.MAESTRO_SIM_HOME || path.join(env.HOME || os.homedir(), ".maestro-sim");
}

/** @param {string} id */
function safeId(id) {
  return /^[A-Za-z0-9_-]{1,128}$/.test(id);
}

/** @param {string} id @param {NodeJS.ProcessEnv} [env] */
export function sessionFile(id, env = process.env) {
  return path.join(simHome(env), "sessions", `${id}.json`);
}

/**
 * @param {string} id
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {SessionRecord | null}
 */
export function loadSession(id, env = process.env) {
  if (!safeId(id)) return null;
  try {
    const rec = JSON.parse(fs.readFileSync(sessionFile(id, env), "utf8"));
    return rec && rec.id === id && Array.isArray(rec.turns) ? rec : null;
  } catch {
    return null;
  }
}

/** @param {SessionRecord} rec @param {NodeJS.ProcessEnv} [env] */
export function saveSession(rec, env = process.env) {
  rec.updated = new Date().toISOString();
  atomicWrite(sessionFile(rec.id, env), JSON.stringify(rec, null, 2) + "\n");
}

/**
 * @param {string} id @param {string} dialect @param {string} cwd
 * @returns {SessionRecord}
 */
export function newSession(id, dialect, cwd) {
  const now = new Date().toISOString();
  return { id, dialect, cwd, created: now, updated: now, inputTokens: 0, outputTokens: 0, turns: [] };
}

/**
 * Sessions of one dialect in one folder, oldest first.
 * @param {string} dialect @param {string} cwd @param {NodeJS.ProcessEnv} [env]
 * @returns {SessionRecord[]}
 */
export function listSessions(dialect, cwd, env = process.env) {
  const dir = path.join(simHome(env), "sessions");
  /** @type {SessionRecord[]} */
  const out = [];
  let names = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (!name.endsWith(".json")) continue;
    const rec = loadSession(name.slice(0, -5), env);
    if (rec && rec.dialect === dialect && rec.cwd === cwd) out.push(rec);
  }
  return out.sort((a, b) => a.created.localeCompare(b.created));
}
