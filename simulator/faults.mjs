// Scripted faults and pacing, from the environment.

export const FAULTS = ["crash", "malformed", "slow", "hang", "halt", "ratelimit", "auth"];

/**
 * @typedef {object} Faults
 * @property {boolean} crash
 * @property {boolean} malformed
 * @property {boolean} slow
 * @property {boolean} hang
 * @property {boolean} halt
 * @property {boolean} ratelimit
 * @property {boolean} auth
 * @property {number} delayMs      pause between events
 * @property {number} extraEvents  MAESTRO_SIM_EVENTS padding chunks
 * @property {string[]} unknown    names in MAESTRO_SIM_FAULT we don't know
 */

/** @param {string|undefined} v @param {number} dflt */
function num(v, dflt) {
  const n = Number(v);
  return v !== undefined && v !== "" && Number.isFinite(n) && n >= 0 ? n : dflt;
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @returns {Faults}
 */
export function readFaults(env = process.env) {
  const names = (env.MAESTRO_SIM_FAULT ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const has = (/** @type {string} */ n) => names.includes(n);
  const slow = has("slow");
  const rate = num(env.MAESTRO_SIM_RATE, 0);
  let delayMs = 0;
  if (slow) delayMs = num(env.MAESTRO_SIM_DELAY_MS, 250);
  else if (rate > 0) delayMs = 1000 / rate;
  return {
    crash: has("crash"),
    malformed: has("malformed"),
    slow,
    hang: has("hang"),
    halt: has("halt"),
    ratelimit: has("ratelimit") || has("rate-limit") || has("rate_limit"),
    auth: has("auth"),
    delayMs,
    extraEvents: Math.floor(num(env.MAESTRO_SIM_EVENTS, 0)),
    unknown: names.filter((n) => !FAULTS.includes(n) && !["rate-limit", "rate_limit"].includes(n)),
  };
}

/**
 * A reset moment ~60 s ahead (MAESTRO_SIM_RESET_SEC seconds, for tests that wait for it).
 * @param {number} [now]
 */
export function resetTime(now = Date.now()) {
  const sec = num(process.env.MAESTRO_SIM_RESET_SEC, 60);
  return new Date(Math.ceil((now + sec * 1000) / 1000) * 1000);
}
