// @ts-check
import http from "node:http";
import https from "node:https";
import { CliError, EXIT } from "./exit-codes.mjs";
import { callProcedure, errorFor, unreachable } from "./trpc-http.mjs";

/**
 * The Client (cli/client.mjs) for a bridge: queries and mutations are tRPC over plain HTTP
 * (cli/trpc-http.mjs), subscriptions tRPC 11's SSE wire format read straight off the socket:
 * `event: connected`, `data: {json}` (with `id:` when tracked), `event: serialized-error`, and
 * `event: return` when the procedure ends.
 * @param {import("./target.mjs").Target} target
 * @returns {import("./client.mjs").Client}
 */
export function httpClient(target) {
  return {
    mode: target.mode,
    url: target.url,
    dataDir: target.dataDir,
    version: target.version,
    query: (path, input) => callProcedure(target, "query", path, input),
    mutate: (path, input) => callProcedure(target, "mutation", path, input),
    subscribe: (path, input, opts) => subscribeSse(target, path, input, opts?.signal),
    close: async () => {},
  };
}

/**
 * One SSE message's fields, parsed from its lines (a field may repeat: `data` lines join with \n).
 * @param {string} block
 */
export function parseSseMessage(block) {
  /** @type {{ event?: string, data?: string, id?: string }} */
  const msg = {};
  for (const line of block.split("\n")) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "data") msg.data = msg.data === undefined ? value : `${msg.data}\n${value}`;
    else if (field === "event" || field === "id") msg[field] = value;
  }
  return msg;
}

/**
 * @param {import("./target.mjs").Target} target
 * @param {string} path
 * @param {unknown} input
 * @param {AbortSignal} [signal]
 * @returns {AsyncGenerator<any>}
 */
async function* subscribeSse(target, path, input, signal) {
  const u = new URL(`${target.url}/api/trpc/${path}`);
  if (input !== undefined) u.searchParams.set("input", JSON.stringify({ json: input }));
  const lib = u.protocol === "https:" ? https : http;
  /** @type {http.IncomingMessage} */
  const res = await new Promise((resolve, reject) => {
    const req = lib.request(u, { headers: { accept: "text/event-stream", authorization: `Bearer ${target.token}` }, signal });
    req.on("response", resolve);
    req.on("error", (err) => reject(signal?.aborted ? err : unreachable(u, err)));
    req.end();
  });
  if (res.statusCode !== 200 || !String(res.headers["content-type"] ?? "").startsWith("text/event-stream")) {
    let text = "";
    for await (const chunk of res) text += chunk;
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {}
    throw errorFor(res.statusCode ?? 0, body, path, target);
  }
  res.setEncoding("utf8");
  let buffer = "";
  let ended = false;
  try {
    for await (const chunk of res) {
      buffer += chunk.replace(/\r\n?/g, "\n");
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const msg = parseSseMessage(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
        if (msg.event === "return") {
          ended = true;
          return;
        }
        if (msg.event === "serialized-error") {
          let shape = null;
          try {
            shape = JSON.parse(msg.data ?? "null")?.json ?? null;
          } catch {}
          throw errorFor(shape?.data?.httpStatus ?? 500, { error: shape ?? {} }, path, target);
        }
        if (msg.event || msg.data === undefined) continue; // connected, restore-id, pings
        let value;
        try {
          value = JSON.parse(msg.data);
        } catch {
          throw new CliError(`the bridge sent a malformed event on ${path}.`, EXIT.FAILED, "FAILED");
        }
        yield value?.json;
      }
    }
  } finally {
    if (!ended) res.destroy();
  }
  if (!signal?.aborted) {
    throw new CliError(`the bridge closed ${path} before it ended (did it stop?).`, EXIT.UNREACHABLE, "UNREACHABLE");
  }
}
