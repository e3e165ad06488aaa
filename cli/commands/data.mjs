// @ts-check
import { CliError, EXIT } from "../exit-codes.mjs";
import { resolveByRef } from "./agents.mjs";

/** @typedef {import("../client.mjs").Client} Client */
/** @typedef {import("../program/define.mjs").Ctx} Ctx */

/**
 * Runs `fn` with a Client and closes it whatever happens. Data commands pass `headless: true`
 * (they run in-process when no bridge runs); bridge-only ones (tunnel, share, terminals) false,
 * so a stopped bridge is exit 3 with how to start it.
 * @template T
 * @param {Ctx} ctx
 * @param {boolean} headless
 * @param {(client: Client) => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withClient(ctx, headless, fn) {
  const client = await ctx.client({ headless });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/**
 * @typedef {{ id: string, name: string, folder: string, provider: string, groupId: string | null,
 *   bookmarked: boolean, status: string }} AgentRow
 */

/**
 * The agent a command names (id, name in any case, or a unique id prefix). Not found is exit 4
 * with desktop's code AGENT_NOT_FOUND; `minPrefix` refuses a short prefix for a destructive
 * command (a lone agent would match `c`).
 * @param {Client} client
 * @param {string} ref
 * @param {{ minPrefix?: number }} [opts]
 * @returns {Promise<AgentRow>}
 */
export async function findAgent(client, ref, opts = {}) {
  /** @type {AgentRow[]} */
  const agents = await client.query("agents.list");
  const fold = (/** @type {string} */ s) => s.normalize("NFC").toLowerCase();
  const exact = agents.some((a) => a.id === ref || fold(a.name) === fold(ref));
  if (!exact && opts.minPrefix && ref.length < opts.minPrefix) {
    throw new CliError(
      `${JSON.stringify(ref)} is not an agent's id or name; name it by its id, its name, or at least ${opts.minPrefix} characters of its id.`,
      EXIT.USAGE,
      "USAGE",
    );
  }
  try {
    return resolveByRef(agents, ref, "agent");
  } catch (err) {
    if (err instanceof CliError && err.exitCode === EXIT.NOT_FOUND) throw new CliError(err.message, EXIT.NOT_FOUND, "AGENT_NOT_FOUND");
    throw err;
  }
}

/**
 * A point in time from `--since`: an ISO date, epoch seconds or milliseconds (desktop), or an
 * age such as 90s, 30m, 2h, 3d, 1w.
 * @param {string} text
 * @param {number} [now]
 * @returns {Date}
 */
export function parseSince(text, now = Date.now()) {
  const t = text.trim();
  const age = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/i.exec(t);
  if (age) {
    const unit = /** @type {Record<string, number>} */ ({ s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 })[(age[2] ?? "s").toLowerCase()];
    return new Date(now - Number(age[1]) * (unit ?? 1e3));
  }
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return new Date(n < 1e11 ? n * 1000 : n);
  }
  const d = new Date(t);
  if (!t || Number.isNaN(d.getTime())) {
    throw new CliError(
      `--since ${JSON.stringify(text)} is not a time: use an ISO date (2026-12-07T10:00Z), epoch seconds, or an age (2h, 3d).`,
      EXIT.USAGE,
      "USAGE",
    );
  }
  return d;
}

/**
 * A positive whole number from an option.
 * @param {string | undefined} text
 * @param {string} flag
 * @param {number} fallback
 */
export function positiveInt(text, flag, fallback) {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`${flag} needs a whole number of at least 1 (got ${JSON.stringify(text)}).`, EXIT.USAGE, "USAGE");
  return n;
}

/** One line of text for a table cell. @param {unknown} s @param {number} [max] */
export function oneLine(s, max = 80) {
  const line =
    String(s ?? "")
      .split("\n")
      .find((l) => l.trim()) ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
