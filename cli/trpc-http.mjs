// @ts-check
import http from "node:http";
import https from "node:https";
import { CliError, EXIT } from "./exit-codes.mjs";

/**
 * The bridge's tRPC over plain HTTP, without @trpc/client or superjson (each costs start time):
 * procedures live under `/api/trpc/<path>`, a query is a GET with `?input=` and a mutation a
 * POST, both carrying superjson's envelope `{ json }`. The bridge sends its Dates as ISO strings
 * inside `json` (superjson only adds a `meta` naming them), so `result.data.json` is the value.
 */

/**
 * @typedef {object} Target
 * @property {string} url the bridge's base URL, no trailing slash
 * @property {string} token the CLI token, sent as `Authorization: Bearer`
 * @property {string} [mode] "bridge" | "remote" (the hint a refused token gets)
 * @property {string | null} [version] the bridge's, from /api/health (named when it is too old)
 */

const REQUEST_TIMEOUT_MS = 15_000;
/**
 * A mutation may do slow work before it answers (`pr` pushes, `create-worktree` checks out and
 * runs the setup script): the socket waits this long for the answer, not a query's 15 s.
 */
const MUTATION_TIMEOUT_MS = 15 * 60_000;

/**
 * One HTTP exchange with a JSON answer. A connection that fails before any answer is exit 3.
 * @param {string} url
 * @param {{ method?: string, headers?: Record<string, string>, body?: string, timeoutMs?: number }} [init]
 * @returns {Promise<{ status: number, body: any }>}
 */
export function requestJson(url, init = {}) {
  const u = new URL(url);
  const lib = u.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      u,
      {
        method: init.method ?? "GET",
        headers: { accept: "application/json", ...init.headers },
        timeout: init.timeoutMs ?? REQUEST_TIMEOUT_MS,
      },
      (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("error", (err) => reject(unreachable(u, err)));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body = null;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {}
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })));
    req.on("error", (err) => reject(unreachable(u, err)));
    if (init.body !== undefined) req.end(init.body);
    else req.end();
  });
}

/**
 * @param {URL} u
 * @param {Error & { code?: string }} err
 */
export function unreachable(u, err) {
  const cli = new CliError(`cannot reach the bridge at ${u.origin} (${err.code ?? err.message}).`, EXIT.UNREACHABLE, "UNREACHABLE");
  cli.cause = err; // its code tells a refused connection from an untrusted certificate
  return cli;
}

/**
 * Calls a tRPC procedure and returns its result, or throws a CliError (see errorFor).
 * @param {Target} target
 * @param {"query" | "mutation"} type
 * @param {string} path e.g. "agents.list"
 * @param {unknown} [input]
 * @returns {Promise<any>}
 */
export async function callProcedure(target, type, path, input) {
  const envelope = input === undefined ? undefined : JSON.stringify({ json: input });
  let url = `${target.url}/api/trpc/${path}`;
  if (type === "query" && envelope) url += `?input=${encodeURIComponent(envelope)}`;
  const { status, body } = await requestJson(url, {
    method: type === "query" ? "GET" : "POST",
    headers: {
      // Bearer stands in for the Origin the bridge asks of browsers (docs/ARCHITECTURE.md, "CLI ↔ bridge").
      authorization: `Bearer ${target.token}`,
      ...(type === "mutation" ? { "content-type": "application/json" } : {}),
    },
    body: type === "mutation" ? (envelope ?? "") : undefined,
    timeoutMs: type === "mutation" ? MUTATION_TIMEOUT_MS : REQUEST_TIMEOUT_MS,
  });
  if (status >= 200 && status < 300 && body && typeof body === "object" && "result" in body) {
    return body.result?.data?.json;
  }
  throw errorFor(status, body, path, target);
}

/**
 * What a refused answer means, as an exit code:
 * - 401 / UNAUTHORIZED, and the bridge's own (non-tRPC) 403s: 5, the bridge's message plus one hint;
 * - a tRPC FORBIDDEN is a business refusal ("That path leaves the agent's folder."): 1, as is;
 * - tRPC's "No procedure found": the bridge is older than this CLI, 1;
 * - other NOT_FOUND: 4; BAD_REQUEST / 400: 2; anything else: 1.
 * @param {number} status
 * @param {any} body
 * @param {string} path
 * @param {{ mode?: string, version?: string | null }} [target]
 */
export function errorFor(status, body, path, target = {}) {
  // tRPC errors arrive superjson-wrapped ({ error: { json: {...} } }); the bridge's own routes
  // answer { error: { message } }.
  const error = body?.error?.json ?? body?.error ?? {};
  const message = typeof error.message === "string" && error.message ? error.message : `HTTP ${status}`;
  const trpcCode = typeof error.data?.code === "string" ? error.data.code : undefined;
  if (status === 401 || trpcCode === "UNAUTHORIZED" || (status === 403 && !trpcCode)) {
    const hint =
      target.mode === "remote"
        ? "Check --token (mint one on the bridge's machine with `maestro pair --cli`)."
        : "Restart the bridge (it rewrites the token file), or pass --url and --token.";
    return new CliError(`${withStop(message)} ${hint}`, EXIT.AUTH, "AUTH");
  }
  if (trpcCode === "FORBIDDEN") return new CliError(message, EXIT.FAILED, "FORBIDDEN");
  if (/^No procedure found/i.test(message)) {
    return new CliError(
      `the bridge (version ${target.version ?? "unknown"}) is older than this CLI: it has no ${path}. Restart it from this version.`,
      EXIT.FAILED,
      "BRIDGE_OUTDATED",
    );
  }
  if (status === 404 || trpcCode === "NOT_FOUND") {
    return new CliError(
      trpcCode ? message : `the bridge has no procedure ${path} (${message}). Is it an older version?`,
      EXIT.NOT_FOUND,
      "NOT_FOUND",
    );
  }
  if (status === 400 || trpcCode === "BAD_REQUEST") return new CliError(message, EXIT.USAGE, trpcCode ?? "USAGE");
  return new CliError(message, EXIT.FAILED, trpcCode ?? "FAILED");
}

/** @param {string} text */
const withStop = (text) => (/[.!?]$/.test(text) ? text : `${text}.`);
