/**
 * bench/autorun.ts — Auto Run's own cost per task. A 200-task document is run end to end with
 * the simulator (real SQLite, real turns pipeline, real child processes, the file re-read after
 * every task), and, in the same process, the same simulator command is spawned 200 times bare
 * with the same kind of prompt on a copy of the document. Budget (issue 4): ratio ≤ 1.10.
 * Last line: `autorun: <ms> ms/task, bare: <ms> ms/task, ratio: <x>`
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseChecklist } from "../lib/autorun/checklist";
import { DEFAULT_PROMPT } from "../lib/autorun/run-prompt";
import { fillTemplate } from "../lib/autorun/template";
import { adapters } from "../lib/providers/registry";
import { SIMULATOR_BIN } from "../server/services/providers/detect";
import { providerNiceness } from "../server/services/turns/process-runner";
import { createTestServices, tempDir } from "../server/testing/harness";

const TASKS = Number(process.env.BENCH_TASKS ?? 200);
const simHome = tempDir("maestro-bench-sim-");
process.env.MAESTRO_SIM_HOME = simHome;
const project = tempDir("maestro-bench-autorun-");
const folder = path.join(project, ".maestro", "playbooks");
fs.mkdirSync(folder, { recursive: true });
const doc = `# Bench\n\n${Array.from({ length: TASKS }, (_, i) => `- [ ] task number ${i + 1}`).join("\n")}\n`;
fs.writeFileSync(path.join(folder, "bench.md"), doc);
fs.writeFileSync(path.join(folder, "bare.md"), doc);

const services = createTestServices();
const agent = await services.agents.create({ name: "bench", folder: project, provider: "simulator" });

/** The exact command a turn runs, with a fresh session (no resume id). */
function invocationFor(prompt: string) {
  return adapters.simulator.buildInvocation({
    prompt,
    cwd: project,
    binary: SIMULATOR_BIN,
    resumeSessionId: null,
    model: null,
    readOnly: false,
    autoApprove: true,
    isSandbox: false,
    isRoot: process.getuid?.() === 0,
    images: [],
    simulator: { dialect: "claude", nodePath: process.execPath, simBin: SIMULATOR_BIN },
  });
}

async function bare(): Promise<number> {
  const file = path.join(folder, "bare.md");
  const started = performance.now();
  for (let i = 0; i < TASKS; i++) {
    const prompt = fillTemplate(DEFAULT_PROMPT, {
      AGENT_NAME: "bench",
      AGENT_PATH: project,
      DOCUMENT_NAME: "bare",
      DOCUMENT_PATH: file,
      LOOP_NUMBER: 1,
      GIT_BRANCH: "(none)",
      DATE: new Date(),
    });
    const inv = invocationFor(prompt);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(inv.command, inv.args, {
        cwd: inv.cwd,
        env: { ...process.env, ...inv.env },
        stdio: [inv.stdin !== undefined ? "pipe" : "ignore", "pipe", "pipe"],
      });
      // The same priority the turn runner gives provider CLIs, so both sides run the same command.
      if (child.pid !== undefined && providerNiceness(process.env) > 0)
        os.setPriority(child.pid, Math.min(19, os.getPriority(process.pid) + providerNiceness(process.env)));
      if (inv.stdin !== undefined) child.stdin!.end(inv.stdin);
      child.stdout!.resume();
      child.stderr!.resume();
      child.on("error", reject);
      child.on("exit", () => resolve());
    });
  }
  const ms = performance.now() - started;
  const ticked = parseChecklist(fs.readFileSync(file, "utf8")).done;
  if (ticked !== TASKS) throw new Error(`bare spawns ticked ${ticked} of ${TASKS}`);
  return ms / TASKS;
}

async function autorun(): Promise<number> {
  const started = performance.now();
  const run = await services.autorun.start({ agentId: agent.id, config: { documents: [{ filename: "bench.md" }] } });
  await services.autorun.settled(run.id);
  const ms = performance.now() - started;
  const done = await services.db.autorunRun.findUniqueOrThrow({ where: { id: run.id } });
  if (done.status !== "done" || done.tasksDone !== TASKS)
    throw new Error(`run ended ${done.status} with ${done.tasksDone} of ${TASKS} tasks`);
  return ms / TASKS;
}

// Warm both paths a little (module caches, SQLite pages), then measure bare, run, bare again.
const bareA = await bare();
fs.writeFileSync(path.join(folder, "bare.md"), doc);
const runMs = await autorun();
const bareB = await bare();
const bareMs = (bareA + bareB) / 2;
await services.cleanup();
for (const d of [project, simHome]) fs.rmSync(d, { recursive: true, force: true });
console.log(`bare runs: ${bareA.toFixed(1)} and ${bareB.toFixed(1)} ms/task`);
console.log(`autorun: ${runMs.toFixed(1)} ms/task, bare: ${bareMs.toFixed(1)} ms/task, ratio: ${(runMs / bareMs).toFixed(2)}`);
