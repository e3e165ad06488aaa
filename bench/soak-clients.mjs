// The clients of bench/soak.ts and bench/reconnect.ts, in their own process (as phones would be).
// argv: base cookie config-json
//   config: { followers: [{ tabId, kind: "steady" | "reconnect" | "paused" | "offline" }],
//             terminals: [terminalId], reconnectMs, pauseMs, pauseEveryMs, offlineMs, flood }
// Each follower reads `turns.onEvent` over SSE from the start of its tab (lastEventId null):
//   steady     reads all along;
//   reconnect  drops its connection every reconnectMs and comes back with its last event id;
//   paused     stops calling reader.read() for pauseMs every pauseEveryMs, then reads on;
//   offline    (bench/reconnect.ts) drops its connection on "offline" (stdin) and comes back with its
//              last id on "online"; it reports when the caught-up marker of that reconnect arrived.
// Terminals: each attaches to /ws/terminal, types `flood` and counts the bytes it receives.
// Prints "ready" once every stream has said `connected`. On "done" (stdin): writes one JSON line
// with, per follower, the ids received (in order) and a latency histogram (1 ms buckets).
import readline from "node:readline";
import { WebSocket } from "ws";
import { sseBlocks } from "./sse-blocks.mjs";

const [base, cookie, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson);
const HIST = 60_001;
const followers = [];
const terminals = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function follower({ tabId, kind }) {
  const f = {
    tabId,
    kind,
    ids: [],
    hist: new Uint32Array(HIST),
    last: null,
    ac: null,
    stopped: false,
    reconnects: 0,
    paused: false,
    resume: null,
    // bench/reconnect.ts: when the reconnect started, when its caught-up marker came, how many events between
    online: null,
  };
  followers.push(f);
  return f;
}

/** One SSE connection; resolves once `connected` arrived, reads until aborted or ended. */
async function connect(f) {
  const ac = new AbortController();
  f.ac = ac;
  const input = encodeURIComponent(JSON.stringify({ json: { tabId: f.tabId, lastEventId: null } }));
  const headers = { cookie, accept: "text/event-stream" };
  // As tRPC's EventSource does: the reconnect id goes in the query string.
  const resume = f.last !== null ? `&lastEventId=${f.last}` : "";
  const res = await fetch(`${base}/api/trpc/turns.onEvent?input=${input}${resume}`, { headers, signal: ac.signal });
  const reader = res.body.getReader();
  const blocks = sseBlocks();
  let connected;
  const isConnected = new Promise((r) => (connected = r));
  void (async () => {
    try {
      for (;;) {
        if (f.paused) await new Promise((r) => (f.resume = r));
        const { done, value } = await reader.read();
        if (done) return;
        const now = Date.now();
        for (const block of blocks(value)) {
          if (/^event: connected$/m.test(block)) connected();
          const data = block.match(/^data: (.*)$/m)?.[1];
          if (!data) continue;
          const batch = JSON.parse(data).json;
          if (!Array.isArray(batch)) continue;
          const id = block.match(/^id: (\d+)$/m)?.[1];
          if (batch.length === 0 && f.online && f.online.caughtUpAt === null) f.online.caughtUpAt = now;
          for (const e of batch) {
            f.ids.push(e.id);
            if (f.online && f.online.caughtUpAt === null) f.online.missed++;
            const ms = now - Date.parse(e.at);
            f.hist[Math.max(0, Math.min(HIST - 1, ms))]++;
          }
          if (id) f.last = id;
        }
      }
    } catch {
      /* aborted */
    }
  })();
  if (process.env.SOAK_DEBUG) console.error(`connect ${f.tabId} ${res.status}`);
  await isConnected;
  if (process.env.SOAK_DEBUG) console.error(`connected ${f.tabId}`);
}

async function reconnectLoop(f) {
  while (!f.stopped) {
    await sleep(config.reconnectMs);
    if (f.stopped) return;
    f.ac.abort();
    f.reconnects++;
    await connect(f);
  }
}

async function pauseLoop(f) {
  while (!f.stopped) {
    await sleep(config.pauseEveryMs - config.pauseMs);
    if (f.stopped) return;
    f.paused = true;
    await sleep(config.pauseMs);
    f.paused = false;
    f.resume?.();
    f.resume = null;
  }
}

async function terminal(id) {
  const t = { id, bytes: 0, ws: null };
  terminals.push(t);
  const url = `${base.replace(/^http/, "ws")}/ws/terminal?id=${encodeURIComponent(id)}`;
  const ws = new WebSocket(url, { headers: { cookie, origin: base }, perMessageDeflate: false });
  t.ws = ws;
  ws.on("message", (data, isBinary) => {
    if (isBinary) t.bytes += data.length;
  });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  await sleep(300); // the prompt first
  ws.send(Buffer.from(`${config.flood}\r`), { binary: true });
}

const fs = config.followers.map(follower);
await Promise.all(fs.map(connect));
await Promise.all((config.terminals ?? []).map(terminal));
for (const f of fs) {
  if (f.kind === "reconnect") void reconnectLoop(f);
  if (f.kind === "paused") void pauseLoop(f);
}
console.log("ready");

readline.createInterface({ input: process.stdin }).on("line", async (line) => {
  if (line === "offline") {
    for (const f of followers) if (f.kind === "offline") f.ac.abort();
    console.log("ok");
  } else if (line === "online") {
    await Promise.all(
      followers
        .filter((f) => f.kind === "offline")
        .map((f) => {
          f.online = { startedAt: Date.now(), caughtUpAt: null, missed: 0, from: Number(f.last) };
          return connect(f);
        }),
    );
    console.log("ok");
  } else if (line === "done") {
    for (const f of followers) {
      f.stopped = true;
      f.paused = false;
      f.resume?.();
    }
    // Let the paused ones read what their sockets hold, then stop.
    await sleep(config.drainMs ?? 0);
    for (const f of followers) f.ac.abort();
    for (const t of terminals) {
      if (t.ws.readyState === WebSocket.OPEN) t.ws.send(Buffer.from("\x03"), { binary: true });
      t.ws.close();
    }
    const out = {
      followers: followers.map(({ tabId, kind, ids, hist, reconnects, online }) => ({
        tabId,
        kind,
        ids,
        reconnects,
        online,
        // sparse: [ms, count] pairs
        hist: Array.from(hist.entries()).filter(([, n]) => n > 0),
      })),
      terminals: terminals.map(({ id, bytes }) => ({ id, bytes })),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`, () => process.exit(0));
  }
});
