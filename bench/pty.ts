/**
 * bench/pty.ts — command terminal throughput and echo latency through the real bridge.
 * Throughput: `cat` of a 100 MB file in a shell through pty → batching → websocket → a headless
 * client in its own process, against raw node-pty reading the same `cat` in this process (the
 * ceiling). Each path runs RUNS times, alternating; the best of each is compared.
 * The client stands in for a phone, which is another device: it runs at the lowest CPU priority
 * (nice 19, BENCH_CLIENT_NICE) so that on this machine it takes spare cycles only, instead of
 * competing with cat, the kernel's pty worker and the bridge, a pipeline that stalls whenever
 * one of them waits for a core. A third path, the terminal service read in this process with no
 * websocket, is printed too: it tells the bridge's own cost apart from the network's.
 * Echo: single keystrokes typed one after the other, time until each echo arrives.
 * Budgets (issue 5): ratio ≥ 0.9, echo p99 ≤ 10 ms.
 * Last line: `pty: ratio <x>, echo p99 <ms> ms`
 */
import { spawn as spawnChild } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { spawn } from "node-pty";
import { openDatabase } from "../server/db";
import { createBridgeServer } from "../server/http/bridge";
import { createWsRoutes } from "../server/http/terminal-ws";
import { createServices } from "../server/services";

const MB = Number(process.env.BENCH_MB ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const KEYS = Number(process.env.BENCH_KEYS ?? 300);
// sh, not the login shell: the same shell on both paths, with no rc file to wait for.
const SHELL = "/bin/sh";
const MARKER = "pty-bench-done";
interface Run {
  ms: number;
  bytes: number;
  /** CPU time of this process (the bridge) during the run. */
  cpu: number;
}
const CLIENT_NICE = process.env.BENCH_CLIENT_NICE ?? "19";
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
/** Whole-machine CPU counters: the idle share during a run shows whether it was CPU-bound. */
function cpuTimes() {
  const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { idle: fields[3]! + fields[4]!, total: fields.reduce((a, b) => a + b, 0) };
}
function idleShareSince(start: ReturnType<typeof cpuTimes>): number {
  const end = cpuTimes();
  return (end.idle - start.idle) / Math.max(1, end.total - start.total);
}
const idleShare: Record<"raw" | "ws", number[]> = { raw: [], ws: [] };
const sysMs: Record<string, number[]> = { raw: [], ws: [] };
const command = (file: string) => `cat ${file}; echo ${MARKER.slice(0, 4)}''${MARKER.slice(4)}\r`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-bench-pty-"));
const project = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-bench-project-"));
const file = path.join(project, "big.txt");
{
  const line = `${"0123456789abcdefghijklmnopqrstuvwxyz".repeat(3).slice(0, 99)}\n`;
  const block = Buffer.from(line.repeat(10_000));
  const fd = fs.openSync(file, "w");
  for (let written = 0; written < MB * 1e6; written += block.length) fs.writeSync(fd, block);
  fs.closeSync(fd);
}
const fileBytes = fs.statSync(file).size;

/** Raw node-pty: the same shell and command, bytes counted in this process, nothing else. */
async function rawRun(): Promise<Run> {
  const pty = spawn(SHELL, [], { name: "xterm-256color", cols: 120, rows: 40, cwd: project, env: { ...process.env, TERM: "xterm-256color" } as Record<string, string>, encoding: null });
  await new Promise((r) => setTimeout(r, 300));
  let bytes = 0;
  let tail = "";
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const times0 = cpuTimes();
  await new Promise<void>((resolve) => {
    pty.onData((d) => {
      const buf = d as unknown as Buffer;
      bytes += buf.length;
      tail = (tail + buf.subarray(-64).toString("latin1")).slice(-64);
      if (tail.includes(`${MARKER}\r\n`)) resolve();
    });
    pty.write(command(file));
  });
  const ms = performance.now() - t0;
  idleShare.raw.push(idleShareSince(times0));
  const used = process.cpuUsage(cpu0);
  const cpu = cpuMs(used);
  sysMs.raw!.push(used.system / 1000);
  pty.kill("SIGKILL");
  return { ms, bytes, cpu };
}

const db = openDatabase(dataDir);
const services = createServices(db, { dataDir });
const wsRoutes = process.env.BENCH_HIGH ? createWsRoutes(services, { terminal: { highWaterBytes: Number(process.env.BENCH_HIGH), lowWaterBytes: Number(process.env.BENCH_LOW) } }) : undefined;
const server = createBridgeServer({ services, log: () => {}, wsRoutes });
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const { sessionToken } = await services.auth.pair((await services.auth.createPairingToken()).token, { deviceName: "bench", userAgent: "bench" });
const agent = await services.agents.create({ name: "bench", folder: project });
await services.agents.updateSettings(agent.id, { terminalShell: SHELL });

async function client(mode: "cat" | "echo", arg: string) {
  const terminal = await services.terminals.create(agent.id, { cols: 120, rows: 40 });
  const url = `${base.replace("http", "ws")}/ws/terminal?id=${terminal.id}`;
  const argv = [process.execPath, path.join(import.meta.dirname, "pty-client.mjs"), url, `maestro_session=${sessionToken}`, base, mode, arg];
  const child = spawnChild("nice", ["-n", CLIENT_NICE, ...argv], { stdio: ["ignore", "pipe", "inherit"] });
  const cpu0 = process.cpuUsage();
  const times0 = cpuTimes();
  const line = await new Promise<string>((resolve) => readline.createInterface({ input: child.stdout! }).once("line", resolve));
  const used = process.cpuUsage(cpu0);
  const cpu = cpuMs(used);
  if (mode === "cat") {
    sysMs.ws!.push(used.system / 1000);
    idleShare.ws.push(idleShareSince(times0));
  }
  await new Promise((r) => child.once("exit", r));
  await services.terminals.close(terminal.id);
  return { ...JSON.parse(line), cpu };
}

/** The terminal service read in this process, no websocket: ms from the keystroke to the marker. */
async function serviceRun(): Promise<number> {
  const terminal = await services.terminals.create(agent.id, { cols: 120, rows: 40 });
  let tail = "";
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const attachment = services.terminals.attach(terminal.id, {
    data(chunk) {
      tail = (tail + chunk.subarray(-64).toString("latin1")).slice(-64);
      if (tail.includes(`${MARKER}\r\n`)) done();
    },
    exit() {},
    closed() {},
  });
  await new Promise((r) => setTimeout(r, 300));
  const t0 = performance.now();
  attachment.input(command(file));
  await finished;
  const ms = performance.now() - t0;
  attachment.detach();
  await services.terminals.close(terminal.id);
  return ms;
}

const raw: Run[] = [];
const viaWs: Run[] = [];
const viaService: number[] = [];
for (let i = 0; i < RUNS; i++) {
  raw.push(await rawRun());
  viaService.push(await serviceRun());
  viaWs.push(await client("cat", file));
}
const best = (runs: Run[]) => runs.reduce((a, b) => (b.bytes / b.ms > a.bytes / a.ms ? b : a));
const mbps = (r: Run) => r.bytes / 1e6 / (r.ms / 1000);
const rawBest = best(raw);
const wsBest = best(viaWs);
const ratio = mbps(wsBest) / mbps(rawBest);

const { latencies } = (await client("echo", String(KEYS))) as { latencies: number[] };
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? NaN;

server.closeAllConnections();
server.close();
await services.shutdown();
await db.$disconnect();
fs.rmSync(dataDir, { recursive: true, force: true });
fs.rmSync(project, { recursive: true, force: true });
console.log(`cat of ${(fileBytes / 1e6).toFixed(0)} MB, best of ${RUNS}: raw node-pty ${mbps(rawBest).toFixed(0)} MB/s (${rawBest.ms.toFixed(0)} ms), via websocket ${mbps(wsBest).toFixed(0)} MB/s (${wsBest.ms.toFixed(0)} ms)`);
console.log(`all runs MB/s: raw ${raw.map((r) => mbps(r).toFixed(0)).join(" ")}; websocket ${viaWs.map((r) => mbps(r).toFixed(0)).join(" ")}`);
console.log(`bridge CPU ms per run: raw ${raw.map((r) => r.cpu.toFixed(0)).join(" ")}; websocket ${viaWs.map((r) => r.cpu.toFixed(0)).join(" ")} (the client's own process not counted); of it in the kernel: raw ${sysMs.raw!.map((n) => n.toFixed(0)).join(" ")}; websocket ${sysMs.ws!.map((n) => n.toFixed(0)).join(" ")}`);
console.log(`terminal service in this process, no websocket: best ${(fileBytes / 1e6 / (Math.min(...viaService) / 1000)).toFixed(0)} MB/s; all runs ms: ${viaService.map((n) => n.toFixed(0)).join(" ")}`);
console.log(`machine idle share during the runs: raw ${idleShare.raw.map((n) => n.toFixed(2)).join(" ")}; websocket ${idleShare.ws.map((n) => n.toFixed(2)).join(" ")}`);
console.log(`load average while measuring: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} cores`);
console.log(`echo over ${latencies.length} keystrokes: p50 ${pct(50).toFixed(2)} ms, p90 ${pct(90).toFixed(2)} ms, max ${latencies.at(-1)!.toFixed(2)} ms`);
console.log(`pty: ratio ${ratio.toFixed(2)}, echo p99 ${pct(99).toFixed(2)} ms`);
process.exit(0);
