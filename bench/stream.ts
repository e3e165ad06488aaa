/**
 * bench/stream.ts — N simulator agents each stream M events/s for S seconds while K SSE clients
 * follow every agent's tab through the real bridge (HTTP server, tRPC SSE, tracked ids).
 * Latency = client receipt − the time the bridge read the event from the CLI (the event's
 * createdAt), so it covers batching, the SQLite commit, the bus and the SSE hop.
 * Lost = events in the database that a client never received (or received twice).
 * Budget (issue 3): p99 ≤ 20 ms and 0 lost at 20 agents × 200 events/s with 5 clients.
 * Last line: `stream p99: <ms> ms, lost: <n>`
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createServices } from "../server/services";
import { openDatabase } from "../server/db";
import { createBridgeServer } from "../server/http/bridge";

const AGENTS = Number(process.env.BENCH_AGENTS ?? 20);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-bench-stream-"));
const project = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-bench-project-"));
process.env.MAESTRO_SIM_HOME = path.join(dataDir, "sim");
const db = openDatabase(dataDir);
const services = createServices(db, { dataDir });
const server = createBridgeServer({ services, log: () => {} });
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const { sessionToken } = await services.auth.pair((await services.auth.createPairingToken()).token, { deviceName: "bench", userAgent: "bench" });
const cookie = `maestro_session=${sessionToken}`;

const tabs: string[] = [];
for (let i = 0; i < AGENTS; i++) {
  const agent = await services.agents.create({ name: `bench ${i}`, folder: project });
  tabs.push((await services.tabs.list(agent.id))[0]!.id);
}

interface Follower {
  tabId: string;
  ids: number[];
  latencies: number[];
  ready: Promise<void>;
  close(): void;
}

function follow(tabId: string): Follower {
  const ac = new AbortController();
  const f: Follower = { tabId, ids: [], latencies: [], ready: Promise.resolve(), close: () => ac.abort() };
  const input = encodeURIComponent(JSON.stringify({ json: { tabId, lastEventId: null } }));
  f.ready = (async () => {
    const res = await fetch(`${base}/api/trpc/turns.onEvent?input=${input}`, { headers: { cookie, accept: "text/event-stream" }, signal: ac.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          const now = Date.now();
          buf += decoder.decode(value, { stream: true });
          let split: number;
          while ((split = buf.indexOf("\n\n")) >= 0) {
            const block = buf.slice(0, split);
            buf = buf.slice(split + 2);
            const data = block.match(/^data: (.*)$/m)?.[1];
            if (!data) continue;
            const batch = (JSON.parse(data) as { json?: { id: number; at: string }[] }).json;
            if (!Array.isArray(batch)) continue;
            for (const e of batch) {
              f.ids.push(e.id);
              f.latencies.push(now - Date.parse(e.at));
            }
          }
        }
      } catch {
        /* aborted */
      }
    })();
  })();
  return f;
}

const followers = Array.from({ length: CLIENTS }, () => tabs.map(follow)).flat();
await Promise.all(followers.map((f) => f.ready));
await new Promise((r) => setTimeout(r, 300));

process.env.MAESTRO_SIM_EVENTS = String(RATE * SECONDS);
process.env.MAESTRO_SIM_RATE = String(RATE);
const t0 = Date.now();
await Promise.all(tabs.map((tabId) => services.turns.send({ tabId, prompt: "stream" })));
await Promise.all(tabs.map((tabId) => services.turns.settled(tabId)));
const elapsed = (Date.now() - t0) / 1000;
await new Promise((r) => setTimeout(r, 500));

let lost = 0;
let total = 0;
const latencies: number[] = [];
for (const f of followers) {
  const stored = (await services.turns.eventsAfter(f.tabId, 0, 1_000_000)).map((e) => e.id);
  total += stored.length;
  const got = new Set(f.ids);
  lost += stored.filter((id) => !got.has(id)).length + (f.ids.length - got.size);
  latencies.push(...f.latencies);
  f.close();
}
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? NaN;
console.log(`${AGENTS} agents × ${RATE} events/s × ${SECONDS} s, ${CLIENTS} clients: ${total} deliveries expected, ${latencies.length} received in ${elapsed.toFixed(1)} s`);
console.log(`latency p50 ${pct(50)} ms, p90 ${pct(90)} ms, max ${latencies.at(-1)} ms`);
server.closeAllConnections();
server.close();
await services.shutdown();
await db.$disconnect();
fs.rmSync(dataDir, { recursive: true, force: true });
fs.rmSync(project, { recursive: true, force: true });
console.log(`stream p99: ${pct(99)} ms, lost: ${lost}`);
