import http from "node:http";
import { initTRPC, TRPCError, tracked } from "@trpc/server";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { z } from "zod";
import { transformer } from "../plain-json";
import { serveSubscription } from "./sse-subscriptions";

/**
 * The fast SSE writer must be indistinguishable from tRPC's own: the same procedures served
 * both ways must give the same status, headers and bytes, whatever the procedure does.
 */
// Stacks differ by call site, not by format; the app drops them from error shapes anyway.
const t = initTRPC
  .context<{ user: string | null }>()
  .create({ transformer, errorFormatter: ({ shape }) => ({ ...shape, data: { ...shape.data, stack: undefined } }) });
const authed = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Pair this device first." });
  return next();
});
let endlessOpen = 0;
/** A change signal, like the bus: a listener attached when the procedure starts. */
const signals = new Set<(v: string) => void>();
const slowAuth = authed.use(async ({ next }) => {
  await new Promise((r) => setTimeout(r, 50)); // a session lookup in the database
  return next();
});
const router = t.router({
  changes: slowAuth.subscription(async function* ({ signal }) {
    const queue: string[] = [];
    let wake: (() => void) | null = null;
    const listener = (v: string) => {
      queue.push(v);
      wake?.();
    };
    signals.add(listener);
    try {
      while (!signal?.aborted) {
        if (!queue.length) await new Promise<void>((r) => (wake = r));
        wake = null;
        yield queue.shift()!;
      }
    } finally {
      signals.delete(listener);
    }
  }),
  counter: authed.input(z.object({ to: z.number().int().max(50), lastEventId: z.string().nullish() })).subscription(async function* ({
    input,
  }) {
    const from = input.lastEventId ? Number(input.lastEventId) + 1 : 1;
    for (let i = from; i <= input.to; i++) yield tracked(String(i), { i, at: new Date(0), text: `line\n${i} "quoted"` });
  }),
  mixed: authed.subscription(async function* () {
    yield "untracked first";
    yield tracked("7", [1, 2]);
    yield "untracked after an id";
  }),
  failing: authed.subscription(async function* () {
    yield tracked("1", "ok");
    throw new Error("the provider went away");
  }),
  endless: authed.subscription(async function* ({ signal }) {
    endlessOpen++;
    try {
      for (let i = 1; !signal?.aborted; i++) {
        yield tracked(String(i), i);
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      endlessOpen--;
    }
  }),
  bad: authed.subscription(async function* () {
    yield tracked("1", 1);
    throw new TRPCError({ code: "FORBIDDEN", message: "Not in this link's scope." });
  }),
});

let server: http.Server;
let base = "";
beforeAll(async () => {
  server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? "/", "http://x");
  const [, mode, path] = url.pathname.split("/");
  const createContext = () => ({ user: req.headers.authorization ? "owner" : null });
  // Like the bridge revoking a device: the server destroys the response mid-stream.
  const cutAfter = Number(req.headers["x-cut-after"] ?? 0);
  if (cutAfter) {
    const write = res.write.bind(res) as (chunk: string) => boolean;
    res.write = ((chunk: string) => {
      const ok = write(chunk);
      if (String(chunk).includes(`id: ${cutAfter}\n`)) setImmediate(() => res.destroy());
      return ok;
    }) as typeof res.write;
  }
  if (mode === "fast" && (await serveSubscription({ router, path: path!, req, res, url, createContext }))) return;
  await nodeHTTPRequestHandler({ router, req, res, path: path!, createContext });
}

async function get(mode: "trpc" | "fast", path: string, opts: { input?: unknown; headers?: Record<string, string>; query?: string } = {}) {
  const input = opts.input === undefined ? "" : `input=${encodeURIComponent(JSON.stringify(superjson.serialize(opts.input)))}`;
  const res = await fetch(`${base}/${mode}/${path}?${[input, opts.query].filter(Boolean).join("&")}`, {
    headers: { accept: "text/event-stream", ...opts.headers },
  });
  const headers = Object.fromEntries([...res.headers].filter(([k]) => !["date", "transfer-encoding", "keep-alive"].includes(k)));
  return { status: res.status, headers, body: await res.text() };
}

const owner = { authorization: "Bearer x" };
describe("the fast SSE writer speaks tRPC's wire format byte for byte", () => {
  test.each([
    ["tracked events, then the end of the stream", "counter", { input: { to: 5 }, headers: owner }],
    ["a reconnect with Last-Event-Id resumes after it", "counter", { input: { to: 5 }, headers: { ...owner, "last-event-id": "3" } }],
    ["a reconnect with ?lastEventId= too", "counter", { input: { to: 4 }, headers: owner, query: "lastEventId=2" }],
    ["untracked events before and after a tracked one", "mixed", { headers: owner }],
    ["a procedure that throws mid-stream", "failing", { headers: owner }],
    ["a TRPCError mid-stream", "bad", { headers: owner }],
    ["a middleware that refuses before the stream", "counter", { input: { to: 2 } }],
    ["input that fails validation", "counter", { input: { to: 500 }, headers: owner }],
    // Left to tRPC itself (the writer declines before writing a byte):
    ["input that is not JSON", "counter", { query: "input=%7Bnot-json", headers: owner }],
    ["an unknown procedure", "nope", { headers: owner }],
  ])("%s", async (_, path, opts) => {
    const [viaTrpc, viaFast] = [await get("trpc", path, opts), await get("fast", path, opts)];
    expect(viaTrpc.body.length).toBeGreaterThan(0);
    expect(viaFast).toEqual(viaTrpc);
  });

  test("the stream really is SSE that tRPC's reader understands: data, ids, the end", async () => {
    const { body, headers } = await get("fast", "counter", { input: { to: 2 }, headers: owner });
    expect(headers["content-type"]).toBe("text/event-stream");
    expect(body).toContain("event: connected\n");
    expect(body).toMatch(/data: \{"json":\{"i":1,.*\}\nid: 1\n/);
    expect(body.trimEnd().endsWith("event: return\ndata:")).toBe(true);
  });

  test("`connected` comes only once the procedure listens: a change signalled on `connected` is not missed", async () => {
    const ac = new AbortController();
    const res = await fetch(`${base}/fast/changes`, { headers: { accept: "text/event-stream", ...owner }, signal: ac.signal });
    const reader = res.body!.getReader();
    let text = "";
    while (!text.includes("event: connected")) text += new TextDecoder().decode((await reader.read()).value);
    // What a client does on `connected`: something changes right then (here: signalled at once).
    for (const l of signals) l("changed");
    expect(signals.size).toBe(1);
    while (!text.includes("changed")) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toMatch(/data: .*changed/);
    ac.abort();
  });

  test("a client that goes away ends the procedure (its finally runs, nothing keeps producing)", async () => {
    const ac = new AbortController();
    const res = await fetch(`${base}/fast/endless`, { headers: { accept: "text/event-stream", ...owner }, signal: ac.signal });
    const reader = res.body!.getReader();
    let text = "";
    while (!text.includes("id: 3\n")) text += new TextDecoder().decode((await reader.read()).value);
    expect(endlessOpen).toBe(1);
    ac.abort();
    const end = Date.now() + 3000;
    while (endlessOpen > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(endlessOpen).toBe(0);
  });

  test("a stream the server cuts (a revoked device) ends the procedure too", async () => {
    const before = endlessOpen;
    const res = await fetch(`${base}/fast/endless`, { headers: { accept: "text/event-stream", ...owner, "x-cut-after": "3" } });
    // The body ends abruptly (a destroyed socket): read what arrived until it breaks.
    const reader = res.body!.getReader();
    let text = "";
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
    } catch {
      /* cut off, as intended */
    }
    expect(text).toContain("id: 3\n");
    const end = Date.now() + 3000;
    while (endlessOpen > before && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(endlessOpen).toBe(before);
  });
});
