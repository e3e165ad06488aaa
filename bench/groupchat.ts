/**
 * bench/groupchat.ts — a group chat's own cost when it fans out. A chat with a simulator
 * moderator and 5 simulator participants runs through the real service graph (createServices on
 * a temp data dir: real SQLite, the real turns pipeline, real child processes). The moderator
 * delegates to all 5 at once (the simulator's default `parallel` script); a round is timed from
 * the moderator's delegation being stored to the last of the 5 answers being stored. In the same
 * process, alternating with those rounds, the same 5 simulator commands (the argv, env and prompt
 * each participant's turn got, built by the turns service's own functions; sessions resumed from
 * the second round on, as the chat resumes them) are spawned bare in parallel and timed from
 * spawn to the last exit. Medians of BENCH_RUNS rounds each (default 11; each pair's ratio is printed too). Budget (issue 15): ratio ≤ 1.15.
 * Last line: `groupchat: <ms> ms/round, bare: <ms> ms, ratio: <x>`
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { StoredChatEvent } from "../lib/groupchat/types";
import { PARTICIPANT_OPENER } from "../lib/groupchat/prompt";
import { adapters } from "../lib/providers/registry";
import { SIMULATOR_BIN } from "../server/services/providers/detect";
import { maestroEnv, prepareInvocation, turnSpecFor } from "../server/services/turns/invocation";
import { AutogroupQueue, ownAutogroup } from "../server/services/turns/autogroup";
import { providerNiceness } from "../server/services/turns/process-runner";
import { createTestServices, tempDir } from "../server/testing/harness";

const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const PARTICIPANTS = Number(process.env.BENCH_PARTICIPANTS ?? 5);
const simHome = tempDir("maestro-bench-gc-sim-");
process.env.MAESTRO_SIM_HOME = simHome;
// The default script, whatever the caller's shell has set.
delete process.env.MAESTRO_SIM_MODERATOR;
delete process.env.MAESTRO_SIM_FAULT;
const root = tempDir("maestro-bench-gc-");
// BENCH_DEBUG: every simulator appends when it got going (epoch ms), for the rounds' timelines.
const stamps = path.join(simHome, "started.txt");
if (process.env.BENCH_DEBUG) process.env.MAESTRO_SIM_STARTED = stamps;
/** The simulators started at or after `fromMs` (epoch), as offsets from it. */
function startsSince(fromMs: number): string {
  if (!fs.existsSync(stamps)) return "";
  const at = fs
    .readFileSync(stamps, "utf8")
    .trim()
    .split("\n")
    .map((l) => Number(l.split(" ")[0]))
    .filter((t) => t >= fromMs);
  return at.map((t) => `+${t - fromMs}`).join(" ");
}

const services = createTestServices();
const folderOf = (name: string) => {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
};
const moderator = await services.agents.create({ name: "Moderator", folder: folderOf("moderator"), provider: "simulator" });
const participants: Awaited<ReturnType<typeof services.agents.create>>[] = [];
for (let i = 1; i <= PARTICIPANTS; i++)
  participants.push(await services.agents.create({ name: `Agent ${i}`, folder: folderOf(`agent-${i}`), provider: "simulator" }));
const { id: chatId } = await services.groupchat.create({
  name: "Bench",
  moderatorAgentId: moderator.id,
  participantAgentIds: participants.map((p) => p.id),
});

/** One round through the service: the time from the delegation stored to the last answer stored. */
async function chatRound(n: number): Promise<number> {
  let delegatedAt = 0;
  let answeredAt = 0;
  let delegatedWall = 0;
  let failure = "";
  const answered = new Set<string>();
  let roundEnded: (status: string) => void = () => {};
  const ended = new Promise<string>((resolve) => (roundEnded = resolve));
  const off = services.bus.subscribe("groupchat.events", (e: { chatId: string; events: StoredChatEvent[] }) => {
    if (e.chatId !== chatId) return;
    const now = performance.now();
    for (const ev of e.events) {
      if (ev.type === "message" && ev.message.kind === "delegation" && ev.message.status === "done" && !delegatedAt) {
        delegatedAt = now;
        delegatedWall = Date.now();
      }
      if (process.env.BENCH_DEBUG && ev.type === "message")
        console.log(
          `  +${(now - delegatedAt).toFixed(0)} ms ${ev.message.author} ${ev.message.agentName} ${ev.message.kind} ${ev.message.status}`,
        );
      if (ev.type === "message" && ev.message.author === "participant" && ev.message.status !== "streaming") {
        if (ev.message.status !== "done") failure ||= `${ev.message.agentName} ended ${ev.message.status}: ${ev.message.error}`;
        answered.add(ev.message.id);
        if (answered.size === PARTICIPANTS) answeredAt = now;
      }
      if (ev.type === "round" && ev.round.status !== "running") roundEnded(ev.round.status);
    }
  });
  const debug = process.env.BENCH_DEBUG
    ? [
        services.bus.subscribe("turn.status", (t: { tabId: string; status: string }) =>
          console.log(`  +${(performance.now() - delegatedAt).toFixed(0)} ms turn ${t.tabId.slice(-4)} ${t.status}`),
        ),
        services.bus.subscribe("turn.events", (t: { tabId: string; events: { type: string }[] }) =>
          console.log(
            `  +${(performance.now() - delegatedAt).toFixed(0)} ms events ${t.tabId.slice(-4)} ${t.events.map((x) => x.type).join(",")}`,
          ),
        ),
      ]
    : [];
  try {
    await services.groupchat.send({ chatId, text: `Round ${n}: how should we ship the next release?` }, { canAddParticipants: true });
    const status = await ended;
    if (status !== "done") throw new Error(`round ${n} ended ${status}`);
  } finally {
    off();
    for (const d of debug) d();
  }
  if (process.env.BENCH_DEBUG) console.log(`  CLIs started (ms after the delegation): ${startsSince(delegatedWall)}`);
  if (failure) throw new Error(`round ${n}: ${failure}`);
  if (!delegatedAt || !answeredAt) throw new Error(`round ${n}: delegation ${delegatedAt}, ${answered.size} of ${PARTICIPANTS} answers`);
  return answeredAt - delegatedAt;
}

/** The prompt each participant's turn got in the chat's last round, read back from its tab. */
async function lastPrompts(): Promise<{ agentId: string; prompt: string }[]> {
  const view = await services.groupchat.get(chatId);
  return Promise.all(
    view.participants.map(async (p) => {
      if (!p.tabId) throw new Error(`${p.name} has no tab for the chat`);
      const turn = await services.db.turn.findFirstOrThrow({ where: { tabId: p.tabId }, orderBy: { startedAt: "desc" } });
      return { agentId: p.agentId, prompt: turn.prompt };
    }),
  );
}

const bareSessions = new Map<string, string>();
// The runner lowers a CLI's autogroup too (its session is a scheduling group of its own); without
// it the bare side would outweigh the chat's participants on a busy machine.
const autogroups = new AutogroupQueue();

/** The same 5 commands, spawned bare in parallel, as the turns service would build them. */
async function bareRound(prompts: { agentId: string; prompt: string }[]): Promise<number> {
  const invocations = await Promise.all(
    prompts.map(async ({ agentId, prompt }) => {
      const agent = participants.find((a) => a.id === agentId)!;
      const spec = turnSpecFor({
        provider: "simulator",
        settings: {},
        folder: agent.folder,
        binary: SIMULATOR_BIN,
        prompt,
        images: [],
        resumeSessionId: bareSessions.get(agentId) ?? null,
        isRoot: process.getuid?.() === 0,
      });
      const inv = await prepareInvocation(adapters.simulator, spec);
      return { agentId, inv: { ...inv, env: { ...maestroEnv({ dataDir: services.dataDir, agentId }), ...inv.env } } };
    }),
  );
  const started = performance.now();
  const startedWall = Date.now();
  await Promise.all(
    invocations.map(
      ({ agentId, inv }) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(inv.command, inv.args, {
            cwd: inv.cwd,
            env: { ...process.env, PWD: inv.cwd, ...inv.env },
            stdio: [inv.stdin === null ? "ignore" : "pipe", "pipe", "pipe"],
            detached: true,
          });
          // The same priority the turn runner gives provider CLIs (process-runner.ts).
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
          child.on("close", (code) => {
            if (code !== 0) return reject(new Error(`bare spawn exited ${code}`));
            const session = /"session_id":"([^"]+)"/.exec(out)?.[1];
            if (!session || !out.includes('"type":"result"')) return reject(new Error("bare spawn printed no result"));
            bareSessions.set(agentId, session);
            resolve();
          });
        }),
    ),
  );
  const ms = performance.now() - started;
  if (process.env.BENCH_DEBUG) console.log(`  bare CLIs started (ms after the spawns): ${startsSince(startedWall)}`);
  return ms;
}

const chat: number[] = [];
const bare: number[] = [];
try {
  // A warm-up pair (module caches, SQLite pages, the simulator's first start), not counted.
  await chatRound(0);
  await bareRound(await lastPrompts());
  for (let n = 1; n <= RUNS; n++) {
    const c = await chatRound(n);
    const prompts = await lastPrompts();
    if (!prompts.every((p) => p.prompt.startsWith(PARTICIPANT_OPENER)))
      throw new Error("the participants' turns did not get the contract's prompt");
    const b = await bareRound(prompts);
    chat.push(c);
    bare.push(b);
    console.log(`round ${n}: groupchat ${c.toFixed(1)} ms, bare ${b.toFixed(1)} ms`);
  }
} finally {
  await services.cleanup();
  for (const d of [root, simHome]) fs.rmSync(d, { recursive: true, force: true });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const c = median(chat);
const b = median(bare);
// Each pair's own ratio (measured back to back), so a reader can tell noise from a regression.
const pairs = chat.map((x, i) => x / bare[i]!).sort((x, y) => x - y);
console.log(`pair ratios: min ${pairs[0]!.toFixed(2)}, median ${median(pairs).toFixed(2)}, max ${pairs[pairs.length - 1]!.toFixed(2)}`);
console.log(`groupchat: ${c.toFixed(1)} ms/round, bare: ${b.toFixed(1)} ms, ratio: ${(c / b).toFixed(2)}`);
