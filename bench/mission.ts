/**
 * bench/mission.ts — what running a mission costs over the work itself. A 20-feature plan of
 * width 4 (5 layers of 4; each feature depends on 2 of the layer before) runs on the simulator
 * with concurrency 4 and no verification commands, through the real service graph
 * (createTestServices: real SQLite, the missions service and its executor, the turns pipeline,
 * real git worktrees, commits and --no-ff merges, real child processes), timed from approve() to
 * the mission stored completed. Against the critical-path bound: the longest chain of the plan (weighted by
 * each feature's turn time in that run), its features' simulator commands (the argv, env and
 * prompt their turns got, built by the turns service's own functions, at the priority the turn
 * runner gives provider CLIs) spawned bare one after another, from the first spawn to the last exit. Missions and bounds alternate; medians of
 * BENCH_RUNS pairs (default 3).
 *
 * Every simulator turn, on both sides, is paced by the simulator's slow fault
 * (MAESTRO_SIM_FAULT=slow, MAESTRO_SIM_DELAY_MS=BENCH_DELAY_MS, default 250 ms between events,
 * the simulator's own default for "slow"; a turn is then about 4 s): a real worker takes minutes,
 * a bare simulator 100 ms, and without a fixed turn time the ratio
 * would compare git and SQLite to node's start-up. So the figure is the orchestration overhead
 * (worktrees, tabs, prompts, commits, handoffs, merges, scheduling) on turns of a fixed length.
 * Budget (issue 18): ratio ≤ 1.25.
 * Last line: `mission: <ms> ms, bound: <ms> ms, ratio: <x>`
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { criticalPath } from "../lib/missions/graph";
import { adapters } from "../lib/providers/registry";
import { SIMULATOR_BIN } from "../server/services/providers/detect";
import { AutogroupQueue, ownAutogroup } from "../server/services/turns/autogroup";
import { maestroEnv, prepareInvocation, turnSpecFor } from "../server/services/turns/invocation";
import { providerNiceness } from "../server/services/turns/process-runner";
import { gitProject, until } from "../server/services/missions/exec.testkit";
import { createTestServices, tempDir } from "../server/testing/harness";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DELAY = Number(process.env.BENCH_DELAY_MS ?? 250);
const WIDTH = 4;
const LAYERS = 5;
const simHome = tempDir("maestro-bench-mission-sim-");
process.env.MAESTRO_SIM_HOME = simHome;
process.env.MAESTRO_SIM_FAULT = "slow";
process.env.MAESTRO_SIM_DELAY_MS = String(DELAY);
const scratch = tempDir("maestro-bench-mission-bare-");
const folders: string[] = [scratch, simHome];

const features: { id: string; milestoneId: string; title: string; dependsOn: string[] }[] = [];
for (let l = 0; l < LAYERS; l++)
  for (let w = 0; w < WIDTH; w++)
    features.push({
      id: `l${l}-${w}`,
      milestoneId: "all",
      title: `Layer ${l} part ${w}`,
      dependsOn: l === 0 ? [] : [`l${l - 1}-${w}`, `l${l - 1}-${(w + 1) % WIDTH}`],
    });
const plan = { title: "Bench", milestones: [{ id: "all", title: "All of it" }], features };

const services = createTestServices();
// The runner lowers a CLI's priority and its autogroup's (process-runner.ts): the bare side too.
const autogroups = new AutogroupQueue();

async function missionRun(n: number) {
  const folder = gitProject("maestro-bench-mission-");
  folders.push(folder, `${folder}.worktrees`);
  const agent = await services.agents.create({ name: `Bench ${n}`, folder, provider: "simulator" });
  const { id } = await services.missions.create({ agentId: agent.id, plan, concurrency: WIDTH, finishMode: "none" });
  const startedWall = Date.now();
  await services.missions.approve(id);
  // Read back slowly (a view a second), timed by the completion's stored time: the bench's own reads stay out of the figure.
  const v = await until(
    "the mission to end",
    () => services.missions.get(id),
    (x) => x.status !== "executing",
    300_000,
    1000,
  );
  const ms = Date.parse(v.completedAt ?? new Date().toISOString()) - startedWall;
  if (v.status !== "completed")
    throw new Error(
      `mission ${n} ended ${v.status}: ${v.statusDetail} ${v.features
        .filter((f) => f.status === "failed")
        .map((f) => `${f.key}: ${f.statusDetail}`)
        .join("; ")}`,
    );
  const maxParallel = Math.max(
    ...v.features.map((f) => v.features.filter((g) => g.startedAt! <= f.startedAt! && g.endedAt! > f.startedAt!).length),
  );
  if (process.env.BENCH_DEBUG) {
    const t0 = Date.parse(v.features[0]!.startedAt!) - 0;
    for (const f of v.features)
      console.log(`  ${f.key}: +${Date.parse(f.startedAt!) - t0} → +${Date.parse(f.endedAt!) - t0} ms (turn ${f.durationMs} ms)`);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const turn = med(v.features.map((f) => f.durationMs));
  const around = med(v.features.map((f) => Date.parse(f.endedAt!) - Date.parse(f.startedAt!) - f.durationMs));
  return { ms, view: v, maxParallel, turn, around };
}

/** The critical path's commands, spawned bare one after another. */
async function boundRun(v: Awaited<ReturnType<typeof missionRun>>["view"]): Promise<{ ms: number; path: string[] }> {
  const cp = criticalPath(
    v.features.map((f) => ({ id: f.key, dependsOn: f.dependsOn })),
    (key) => v.features.find((f) => f.key === key)!.durationMs,
  );
  const invocations = [];
  for (const key of cp.path) {
    const f = v.features.find((x) => x.key === key)!;
    const turn = await services.db.turn.findUniqueOrThrow({ where: { id: f.turnId! } });
    const cwd = fs.mkdtempSync(path.join(scratch, `${key}-`));
    const spec = turnSpecFor({
      provider: "simulator",
      settings: {},
      folder: cwd,
      binary: SIMULATOR_BIN,
      prompt: turn.prompt,
      images: [],
      resumeSessionId: null,
      isRoot: process.getuid?.() === 0,
    });
    const inv = await prepareInvocation(adapters.simulator, spec);
    invocations.push({ ...inv, env: { ...maestroEnv({ dataDir: services.dataDir, agentId: f.worktreeAgentId! }), ...inv.env } });
  }
  const started = performance.now();
  for (const inv of invocations)
    await new Promise<void>((resolve, reject) => {
      const child = spawn(inv.command, inv.args, {
        cwd: inv.cwd,
        env: { ...process.env, PWD: inv.cwd, ...inv.env },
        stdio: [inv.stdin === null || inv.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
        detached: true,
      });
      const niceness = providerNiceness(process.env);
      if (child.pid !== undefined && niceness > 0) {
        os.setPriority(child.pid, Math.min(19, os.getPriority(process.pid) + niceness));
        const own = ownAutogroup();
        if (own) autogroups.lower(child.pid, own.nice + niceness);
      }
      if (inv.stdin !== null && inv.stdin !== undefined) child.stdin!.end(inv.stdin);
      let out = "";
      child.stdout!.setEncoding("utf8");
      child.stdout!.on("data", (d: string) => (out += d));
      child.stderr!.resume();
      child.on("error", reject);
      child.on("close", (code) =>
        code === 0 && out.includes('"type":"result"') ? resolve() : reject(new Error(`bare spawn exited ${code}`)),
      );
    });
  return { ms: performance.now() - started, path: cp.path };
}

const missions: number[] = [];
const bounds: number[] = [];
try {
  for (let n = 1; n <= RUNS; n++) {
    const m = await missionRun(n);
    const b = await boundRun(m.view);
    missions.push(m.ms);
    bounds.push(b.ms);
    console.log(
      `run ${n}: mission ${m.ms.toFixed(0)} ms (${m.maxParallel} at most at once; a feature's turn ${m.turn} ms and ${m.around} ms around it, medians), bound ${b.ms.toFixed(0)} ms along ${b.path.join(" → ")} (${(b.ms / b.path.length).toFixed(0)} ms a turn)`,
    );
  }
} finally {
  await services.cleanup();
  for (const d of folders) fs.rmSync(d, { recursive: true, force: true });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const m = median(missions);
const b = median(bounds);
console.log(`turn pacing: ${DELAY} ms between events on both sides (MAESTRO_SIM_FAULT=slow)`);
console.log(`mission: ${m.toFixed(0)} ms, bound: ${b.toFixed(0)} ms, ratio: ${(m / b).toFixed(2)}`);
