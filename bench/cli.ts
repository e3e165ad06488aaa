/**
 * bench/cli.ts — cold starts of the `maestro` CLI (issue 13): median of 10 new processes of
 * `maestro --version`, and of `maestro list agents --json` against a running bridge (the real
 * `server/main.ts` on a temp data dir with 20 simulator agents, reached through bridge.json and
 * the CLI token like a user's shell would). Each run is timed from spawn to exit; a bare `node -e 0` is timed in the same rounds for scale.
 * Budgets (issue 13): list ≤ 400 ms, version ≤ 150 ms.
 * Last line: `cli: list <ms> ms, version <ms> ms`
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { callProcedure } from "../cli/trpc-http.mjs";
import { buildApp, needsBuild } from "../server/next-build";
import { PROJECT_ROOT } from "../server/version";

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const AGENTS = Number(process.env.BENCH_AGENTS ?? 20);
const BIN = path.join(PROJECT_ROOT, "bin", "maestro.mjs");

/** Polls until `check` returns a value (or throws after `ms`). */
async function until<T>(what: string, ms: number, check: () => Promise<T | null> | T | null): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`${what} did not happen in ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const readJson = (file: string): any => {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
};

/** Wall time of one cold `node bin/maestro.mjs …`, checked to succeed. */
function timeCli(args: string[], env: NodeJS.ProcessEnv): { ms: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: os.tmpdir(), env, encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`maestro ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

if (needsBuild()) buildApp();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-bench-cli-"));
const { MAESTRO_URL: _u, MAESTRO_TOKEN: _t, ...inherited } = process.env;
const bridge = spawn(process.execPath, ["--import", "tsx", "server/main.ts", "--port", "0", "--no-qr"], {
  cwd: PROJECT_ROOT,
  env: { ...inherited, MAESTRO_HOME: dataDir, MAESTRO_SIM_HOME: path.join(dataDir, "simulator"), NEXT_TELEMETRY_DISABLED: "1" },
  stdio: "ignore",
});
try {
  const info = await until("bridge.json", 60_000, () => readJson(path.join(dataDir, "bridge.json")));
  const token = await until("cli-token", 10_000, () => readJson(path.join(dataDir, "cli-token"))?.token ?? null);
  const target = { url: String(info.url).replace(/\/+$/, ""), token };
  for (let i = 0; i < AGENTS; i++) {
    const folder = fs.mkdtempSync(path.join(dataDir, "project-"));
    await callProcedure(target, "mutation", "agents.create", { name: `agent-${i}`, folder, provider: "simulator" });
  }
  const env = { ...inherited, MAESTRO_HOME: dataDir, NO_COLOR: "1" };
  // One warm-up each (the OS file cache), not counted.
  timeCli(["--version"], env);
  const listed = JSON.parse(timeCli(["list", "agents", "--json"], env).stdout);
  if (listed.length !== AGENTS) throw new Error(`list agents printed ${listed.length} agents, not ${AGENTS}`);

  // `node -e 0` runs in the same rounds, for scale: on a loaded machine node's own start moves
  // all three figures together, and what the CLI adds is the difference.
  const bareNode = () => {
    const t0 = performance.now();
    spawnSync(process.execPath, ["-e", "0"]);
    return performance.now() - t0;
  };
  const version: number[] = [];
  const list: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(bareNode());
    version.push(timeCli(["--version"], env).ms);
    list.push(timeCli(["list", "agents", "--json"], env).ms);
    console.log(`run ${i + 1}: node -e 0 ${bare[i]!.toFixed(0)} ms, version ${version[i]!.toFixed(0)} ms, list ${list[i]!.toFixed(0)} ms`);
  }
  console.log(`node -e 0: ${median(bare).toFixed(0)} ms (median)`);
  console.log(
    `load average: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}`,
  );
  console.log(`cli: list ${median(list).toFixed(0)} ms, version ${median(version).toFixed(0)} ms`);
} finally {
  bridge.kill("SIGTERM");
  await new Promise((r) => bridge.once("exit", r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
