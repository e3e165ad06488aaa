// The SSE clients of bench/stream.ts, in their own process (as phones would be): follows every
// tab given on argv K times, prints "ready" once connected, and on "done" (stdin) prints one
// JSON line with the ids received per follower and every event's latency; `fromWrite` times each
// simulator padding chunk from its write (MAESTRO_SIM_STAMP) to here, once per chunk.
import readline from "node:readline";
import { sseBlocks } from "./sse-blocks.mjs";

const [base, cookie, clients, ...tabs] = process.argv.slice(2);
const followers = [];

async function follow(tabId) {
  const f = { tabId, ids: [], latencies: [], ats: [], fromWrite: [], seen: new Set(), ac: new AbortController() };
  followers.push(f);
  const input = encodeURIComponent(JSON.stringify({ json: { tabId, lastEventId: null } }));
  const res = await fetch(`${base}/api/trpc/turns.onEvent?input=${input}`, {
    headers: { cookie, accept: "text/event-stream" },
    signal: f.ac.signal,
  });
  const reader = res.body.getReader();
  const blocks = sseBlocks();
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        const now = Date.now();
        for (const block of blocks(value)) {
          const data = block.match(/^data: (.*)$/m)?.[1];
          if (!data) continue;
          const batch = JSON.parse(data).json;
          if (!Array.isArray(batch)) continue;
          for (const e of batch) {
            f.ids.push(e.id);
            const at = Date.parse(e.at);
            f.latencies.push(now - at);
            f.ats.push(at);
            if (e.type !== "text" || typeof e.data?.text !== "string") continue;
            for (const m of e.data.text.matchAll(/padding (\d+)\/\d+ sent (\d+)\]/g)) {
              if (f.seen.has(m[1])) continue;
              f.seen.add(m[1]);
              f.fromWrite.push(now - Number(m[2]));
            }
          }
        }
      }
    } catch {
      /* aborted */
    }
  })();
}

await Promise.all(Array.from({ length: Number(clients) }, () => tabs.map(follow)).flat());
console.log("ready");
readline.createInterface({ input: process.stdin }).on("line", () => {
  for (const f of followers) f.ac.abort();
  // A pipe is asynchronous: exit only once the whole line is out.
  process.stdout.write(
    `${JSON.stringify(followers.map(({ tabId, ids, latencies, ats, fromWrite }) => ({ tabId, ids, latencies, ats, fromWrite })))}\n`,
    () => process.exit(0),
  );
});
