/**
 * bench/stream.ts — N simulator agents each stream M events/s for S seconds while K SSE clients
 * follow every agent's tab through the real bridge (HTTP server, tRPC SSE, tracked ids).
 * Latency = client receipt − the time the bridge read the event from the CLI (the event's
 * createdAt), so it covers batching, the SQLite commit, the bus and the SSE hop.
 * Lost = events in the database that a client never received (or received twice).
 * Budget (issue 3): p99 ≤ 20 ms and 0 lost at 20 agents × 200 events/s with 5 clients.
 * Last line: `stream p99: <ms> ms, lost: <n>`
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import readline from "node:readline";
import os from "node:os";
import path from "node:path";
import { readServicesEnv } from "../server/env";
import { createServices } from "../server/services";
import { openDatabase } from "../server/db";
import { createBridgeServer } from "../server/http/bridge";
import { createRoutes } from "../server/http/routes";
import { createWsRoutes } from "../server/http/terminal-ws";

const AGENTS = Number(process.env.BENCH_AGENTS ?? 20);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-bench-stream-"));
const project = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-bench-project-"));
process.env.MAESTRO_SIM_HOME = path.join(dataDir, "sim");
const db = openDatabase(dataDir);
const services = createServices(db, { dataDir, env: readServicesEnv() });
const server = createBridgeServer({ services, log: () => {}, routes: createRoutes(), wsRoutes: createWsRoutes(services) });
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const { sessionToken } = await services.auth.pair((await services.auth.createPairingToken()).token, {
  deviceName: "bench",
  userAgent: "bench",
});
const cookie = `maestro_session=${sessionToken}`;

const tabs: string[] = [];
for (let i = 0; i < AGENTS; i++) {
  const agent = await services.agents.create({ name: `bench ${i}`, folder: project });
  tabs.push((await services.tabs.list(agent.id))[0]!.id);
}

// The clients run in their own process, like the phones they stand for.
const clients = spawn(process.execPath, [path.join(import.meta.dirname, "stream-clients.mjs"), base, cookie, String(CLIENTS), ...tabs], {
  stdio: ["pipe", "pipe", "inherit"],
});
const lines = readline.createInterface({ input: clients.stdout });
const nextLine = () => new Promise<string>((resolve) => lines.once("line", resolve));
if ((await nextLine()) !== "ready") throw new Error("clients did not connect");
await new Promise((r) => setTimeout(r, 300));

process.env.MAESTRO_SIM_EVENTS = String(RATE * SECONDS);
process.env.MAESTRO_SIM_RATE = String(RATE);
const t0 = Date.now();
const cpu0 = process.cpuUsage();
await Promise.all(tabs.map((tabId) => services.turns.send({ tabId, prompt: "stream" })));
await Promise.all(tabs.map((tabId) => services.turns.settled(tabId)));
const elapsed = (Date.now() - t0) / 1000;
const bridgeCpu = process.cpuUsage(cpu0);
await new Promise((r) => setTimeout(r, 500));
const resultLine = nextLine();
clients.stdin.write("done\n");
const followers = JSON.parse(await resultLine) as { tabId: string; ids: number[]; latencies: number[]; ats: number[] }[];

let lost = 0;
let total = 0;
const latencies: number[] = [];
/** Latencies by the second of the run their event happened in: start-up against steady state. */
const bySecond: number[][] = [];
for (const f of followers) {
  const stored = (await services.turns.eventsAfter(f.tabId, 0, 1_000_000)).map((e) => e.id);
  total += stored.length;
  const got = new Set(f.ids);
  lost += stored.filter((id) => !got.has(id)).length + (f.ids.length - got.size);
  for (const l of f.latencies) latencies.push(l);
  f.ats.forEach((at, i) => (bySecond[Math.floor((at - t0) / 1000)] ??= []).push(f.latencies[i]!));
}
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? NaN;
console.log(
  `${AGENTS} agents × ${RATE} events/s × ${SECONDS} s, ${CLIENTS} clients: ${total} deliveries expected, ${latencies.length} received in ${elapsed.toFixed(1)} s`,
);
console.log(
  `bridge CPU while streaming: ${((bridgeCpu.user + bridgeCpu.system) / 1000).toFixed(0)} ms over ${(elapsed * 1000).toFixed(0)} ms (${(bridgeCpu.system / 1000).toFixed(0)} ms in the kernel)`,
);
const p99of = (list: number[]) => list.sort((a, b) => a - b)[Math.floor(list.length * 0.99)];
console.log(`p99 by second of the run: ${bySecond.map((l, i) => `${i}s ${p99of(l ?? [])} ms (${l?.length ?? 0})`).join(", ")}`);
console.log(`latency p50 ${pct(50)} ms, p90 ${pct(90)} ms, max ${latencies.at(-1)} ms`);
server.closeAllConnections();
server.close();
await services.shutdown();
await db.$disconnect();
fs.rmSync(dataDir, { recursive: true, force: true });
fs.rmSync(project, { recursive: true, force: true });
console.log(`stream p99: ${pct(99)} ms, lost: ${lost}`);
