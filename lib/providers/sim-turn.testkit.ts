// Test-only (spawns processes; never imported by app code): run one simulator turn through a
// dialect's real adapter, buildInvocation → spawn → createParser, the way the runner will.
import fs from "node:fs";
import path from "node:path";
import { BIN, runSim, tempWorld, type Ev, type Run } from "../../simulator/harness";
import type { AgentEvent } from "./events";
import { adapters, classifyExit } from "./registry";
import type { DialectId, Invocation, TurnSpec } from "./types";

export { tempWorld, type Ev };

export const IS_ROOT = typeof process.getuid === "function" && process.getuid() === 0;

export interface SimTurn {
  inv: Invocation;
  run: Run;
  /** the raw JSON objects the simulator printed */
  raw: Ev[];
  /** what the parser made of every stdout line, then end() */
  events: AgentEvent[];
  /** classifyExit for this run */
  exit: AgentEvent | null;
}

export interface SimTurnOptions {
  home: string;
  fault?: string;
  env?: Record<string, string>;
  now?: () => number;
}

export async function simTurn(
  dialect: DialectId,
  spec: Omit<TurnSpec, "binary"> & { binary?: string },
  o: SimTurnOptions,
): Promise<SimTurn> {
  const inv = adapters.simulator.buildInvocation({
    isRoot: IS_ROOT,
    binary: BIN,
    ...spec,
    simulator: { dialect, nodePath: process.execPath },
  });
  if (inv.command !== process.execPath || inv.args[0] !== BIN)
    throw new Error(`unexpected simulator invocation: ${inv.command} ${inv.args[0]}`);
  const run = await runSim(inv.args.slice(1), {
    cwd: inv.cwd,
    home: o.home,
    env: { ...inv.env, ...(o.fault ? { MAESTRO_SIM_FAULT: o.fault } : {}), ...o.env },
    input: inv.stdin ?? undefined,
  });
  const parser = adapters.simulator.createParser({ dialect, timeZone: "UTC", now: o.now, model: spec.model });
  const events = run.lines.flatMap((l) => parser.parse(l));
  events.push(...(parser.end?.() ?? []));
  const exit = classifyExit({
    exitCode: run.code,
    signal: run.signal,
    stderrTail: run.stderr.slice(-4096),
    sawDone: events.some((e) => e.type === "done"),
    dialect,
    provider: "simulator",
  });
  return { inv, run, raw: run.events, events, exit };
}

export const PLAN = "# Plan\n\n- [x] Set up\n- [ ] Write the README\n- [ ] Ship it\n";

/** A fresh project folder under the world with docs/plan.md. */
export function project(world: { cwd: string }, name: string): string {
  const dir = path.join(world.cwd, name);
  fs.mkdirSync(path.join(dir, "docs"), { recursive: true });
  fs.writeFileSync(path.join(dir, "docs", "plan.md"), PLAN);
  return dir;
}

export const TEXT_PROMPT = "Say hello and describe yourself in one line.";
export const TICK_PROMPT = "Do the first unchecked task in docs/plan.md and tick its box, then write notes/hello.txt.";

/** Sum of the usage events. */
export function totals(events: AgentEvent[]) {
  const t = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, cost: 0 };
  for (const e of events)
    if (e.type === "usage") {
      t.input += e.inputTokens;
      t.output += e.outputTokens;
      t.cacheRead += e.cacheReadTokens ?? 0;
      t.cacheWrite += e.cacheWriteTokens ?? 0;
      t.cost += e.costUsd ?? 0;
    }
  t.cost = Math.round(t.cost * 1e8) / 1e8;
  return t;
}

/** Every tool_call id has exactly one tool_result, and every result a call. */
export function pairedTools(events: AgentEvent[]) {
  const calls = [...new Set(events.flatMap((e) => (e.type === "tool_call" ? [e.id] : [])))];
  const results = events.flatMap((e) => (e.type === "tool_result" ? [e.id] : []));
  return { calls, results, paired: calls.length === results.length && calls.every((id) => results.filter((r) => r === id).length === 1) };
}

/** The reply as a reader sees it: text events joined. */
export const joinedText = (events: AgentEvent[]) => events.flatMap((e) => (e.type === "text" ? [e.text] : [])).join("");
