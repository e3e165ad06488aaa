/**
 * bench/stream.ts — N simulator agents each stream M events/s for S seconds while K SSE clients
 * follow every agent's tab through the real bridge (HTTP server, tRPC SSE, tracked ids).
 * Latency = client receipt − the time the bridge read the event from the CLI (the event's
 * createdAt), so it covers batching, the SQLite commit, the bus and the SSE hop.
 * Lost = events in the database that a client never received (or received twice).
 *
 * The floor, in the same run and first: the same simulator processes (the invocation the bridge
 * runs, niced the same) read by a bare process that only timestamps their lines
 * (bench/stream-floor.mjs). Its latency runs from the simulator's write (MAESTRO_SIM_STAMP marks
 * each padding chunk with it) to the bare read; the bridge's "end to end" figure runs from the
 * same write to the phone-side client's receipt, so the two compare like for like.
 * Budget (issues 3, 16): p99 ≤ 20 ms (or ≤ floor p99 + 5 ms where the floor is above 15 ms) and
 * 0 lost at 20 agents × 200 events/s with 5 clients. BENCH_PROFILE=<dir> writes a CPU profile of
 * the bridge's streaming window only.
 * Last line: `stream p99: <ms> ms, end to end <ms> ms, floor <ms> ms, lost: <n>`
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import readline from "node:readline";
import os from "node:os";
import path from "node:path";
import { adapters } from "../lib/providers/registry";
import { DEFAULT_PROVIDER_NICE, readServicesEnv } from "../server/env";
import { SIMULATOR_BIN } from "../server/services/providers/detect";
import { prepareInvocation, turnSpecFor } from "../server/services/turns/invocation";
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
process.env.MAESTRO_SIM_EVENTS = String(RATE * SECONDS);
process.env.MAESTRO_SIM_RATE = String(RATE);
process.env.MAESTRO_SIM_STAMP = "1";

const pct = (list: number[], p: number) => list[Math.min(list.length - 1, Math.floor((list.length * p) / 100))] ?? NaN;

/** The floor: the bridge's own simulator invocation, AGENTS at once, read by a bare process. */
async function measureFloor(): Promise<number[]> {
  const spec = turnSpecFor({
    provider: "simulator",
    settings: {},
    folder: project,
    binary: SIMULATOR_BIN,
    prompt: "stream",
    images: [],
    resumeSessionId: null,
    isRoot: process.getuid?.() === 0,
  });
  const invocation = await prepareInvocation(adapters.simulator, spec);
  const floor = spawn(
    process.execPath,
    [path.join(import.meta.dirname, "stream-floor.mjs"), JSON.stringify(invocation), String(AGENTS), String(DEFAULT_PROVIDER_NICE)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let out = "";
  floor.stdout.setEncoding("utf8").on("data", (t: string) => (out += t));
  await new Promise((r) => floor.once("close", r));
  const { latencies } = JSON.parse(out) as { latencies: number[] };
  return latencies.sort((a, b) => a - b);
}
const floor = await measureFloor();
console.log(
  `floor (bare reader, same simulators): ${floor.length} lines, p50 ${pct(floor, 50)} ms, p90 ${pct(floor, 90)} ms, p99 ${pct(floor, 99)} ms, max ${floor.at(-1)} ms`,
);
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

const profiler = process.env.BENCH_PROFILE ? new Session() : null;
if (profiler) {
  profiler.connect();
  await profiler.post("Profiler.enable");
  await profiler.post("Profiler.start");
}
const t0 = Date.now();
const cpu0 = process.cpuUsage();
await Promise.all(tabs.map((tabId) => services.turns.send({ tabId, prompt: "stream" })));
await Promise.all(tabs.map((tabId) => services.turns.settled(tabId)));
const elapsed = (Date.now() - t0) / 1000;
const bridgeCpu = process.cpuUsage(cpu0);
if (profiler) {
  const { profile } = await profiler.post("Profiler.stop");
  fs.mkdirSync(process.env.BENCH_PROFILE!, { recursive: true });
  fs.writeFileSync(path.join(process.env.BENCH_PROFILE!, `stream-${Date.now()}.cpuprofile`), JSON.stringify(profile));
}
await new Promise((r) => setTimeout(r, 500));
const resultLine = nextLine();
clients.stdin.write("done\n");
const followers = JSON.parse(await resultLine) as {
  tabId: string;
  ids: number[];
  latencies: number[];
  ats: number[];
  fromWrite: number[];
}[];

let lost = 0;
let total = 0;
const latencies: number[] = [];
const fromWrite: number[] = [];
/** Latencies by the second of the run their event happened in: start-up against steady state. */
const bySecond: number[][] = [];
for (const f of followers) {
  const stored = (await services.turns.eventsAfter(f.tabId, 0, 1_000_000)).map((e) => e.id);
  total += stored.length;
  const got = new Set(f.ids);
  lost += stored.filter((id) => !got.has(id)).length + (f.ids.length - got.size);
  for (const l of f.latencies) latencies.push(l);
  for (const l of f.fromWrite) fromWrite.push(l);
  f.ats.forEach((at, i) => (bySecond[Math.floor((at - t0) / 1000)] ??= []).push(f.latencies[i]!));
}
latencies.sort((a, b) => a - b);
fromWrite.sort((a, b) => a - b);
console.log(
  `${AGENTS} agents × ${RATE} events/s × ${SECONDS} s, ${CLIENTS} clients: ${total} deliveries expected, ${latencies.length} received in ${elapsed.toFixed(1)} s`,
);
console.log(
  `bridge CPU while streaming: ${((bridgeCpu.user + bridgeCpu.system) / 1000).toFixed(0)} ms over ${(elapsed * 1000).toFixed(0)} ms (${(bridgeCpu.system / 1000).toFixed(0)} ms in the kernel)`,
);
const p99of = (list: number[]) => list.sort((a, b) => a - b)[Math.floor(list.length * 0.99)];
console.log(`p99 by second of the run: ${bySecond.map((l, i) => `${i}s ${p99of(l ?? [])} ms (${l?.length ?? 0})`).join(", ")}`);
console.log(`latency from the bridge's read: p50 ${pct(latencies, 50)} ms, p90 ${pct(latencies, 90)} ms, max ${latencies.at(-1)} ms`);
console.log(
  `end to end (simulator's write → client): ${fromWrite.length} chunks, p50 ${pct(fromWrite, 50)} ms, p90 ${pct(fromWrite, 90)} ms, p99 ${pct(fromWrite, 99)} ms, max ${fromWrite.at(-1)} ms`,
);
server.closeAllConnections();
server.close();
await services.shutdown();
await db.$disconnect();
fs.rmSync(dataDir, { recursive: true, force: true });
fs.rmSync(project, { recursive: true, force: true });
console.log(`stream p99: ${pct(latencies, 99)} ms, end to end ${pct(fromWrite, 99)} ms, floor ${pct(floor, 99)} ms, lost: ${lost}`);
