// Test harness for the simulator contract tests: spawn the real bin/maestro-sim.mjs and
// describe each dialect's argv and event shapes.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const BIN = path.resolve(import.meta.dirname, "../bin/maestro-sim.mjs");

export type Ev = Record<string, any>;

export type Run = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout split into lines (no trailing empty line) */
  lines: string[];
  /** the lines that parse as JSON objects */
  events: Ev[];
  /** arrival time of each line, ms since spawn */
  times: number[];
};

export type RunOptions = {
  cwd: string;
  home: string;
  env?: Record<string, string>;
  /** text for stdin; stdin is /dev/null ('ignore') when absent */
  input?: string;
  /** send this signal as soon as the first stdout line arrives */
  killOnFirstLine?: NodeJS.Signals;
  timeoutMs?: number;
};

/** Spawn the simulator with an argv array. */
export function runSim(args: string[], o: RunOptions): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("MAESTRO_SIM_") && k !== "IS_SANDBOX") env[k] = v;
  Object.assign(env, { MAESTRO_SIM_HOME: o.home, TZ: "UTC" }, o.env ?? {});
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const opts: SpawnOptions = {
      cwd: o.cwd,
      env: env as NodeJS.ProcessEnv,
      stdio: [o.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    };
    const child: ChildProcess = spawn(process.execPath, [BIN, ...args], opts);
    const out = child.stdout!;
    const err = child.stderr!;
    let stdout = "";
    let stderr = "";
    let pending = "";
    const times: number[] = [];
    let killed = false;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`maestro-sim timed out: ${args.join(" ")}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, o.timeoutMs ?? 10_000);
    out.setEncoding("utf8");
    err.setEncoding("utf8");
    out.on("data", (d: string) => {
      stdout += d;
      pending += d;
      let nl: number;
      while ((nl = pending.indexOf("\n")) >= 0) {
        pending = pending.slice(nl + 1);
        times.push(Date.now() - started);
        if (o.killOnFirstLine && !killed) {
          killed = true;
          child.kill(o.killOnFirstLine);
        }
      }
    });
    err.on("data", (d: string) => (stderr += d));
    if (o.input !== undefined && child.stdin) child.stdin.end(o.input);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const lines = stdout.split("\n");
      if (lines[lines.length - 1] === "") lines.pop();
      const events: Ev[] = [];
      for (const l of lines) {
        try {
          const v = JSON.parse(l);
          if (v && typeof v === "object") events.push(v);
        } catch {}
      }
      resolve({ code, signal, stdout, stderr, lines, events, times });
    });
  });
}

/** A fresh temp root with a working folder `work/` (so `../x` lands inside the root) and a sim home. */
export function tempWorld(prefix = "maestro-sim-") {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const cwd = path.join(root, "work");
  const home = path.join(root, "home");
  fs.mkdirSync(cwd);
  fs.mkdirSync(home);
  return { root, cwd, home, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export type DialectName = "claude" | "codex" | "opencode" | "gemini";

export type ArgOptions = { resume?: string; write?: boolean; extra?: string[] };

export type DialectCase = {
  name: DialectName;
  args(prompt: string, o?: ArgOptions): string[];
  /** the session id announced by the session-start event(s) */
  sessionId(events: Ev[]): string | undefined;
  /** every session id a line carries */
  idsOn(ev: Ev): string[];
  /** a short signature of an event, for order checks */
  sig(ev: Ev): string;
  isFinal(ev: Ev): boolean;
  isStart(ev: Ev): boolean;
  /** the event types this dialect really has */
  known: string[];
  /** the assistant's final reply text */
  reply(events: Ev[]): string;
  /** a ticking turn, in order */
  tickSeq: string[];
  /** a text-only turn, in order */
  textSeq: string[];
};

export const DIALECTS: DialectCase[] = [
  {
    name: "claude",
    args: (p, o = {}) => [
      "--dialect",
      "claude",
      "-p",
      "--verbose",
      "--output-format",
      "stream-json",
      ...(o.write ? ["--permission-mode", "acceptEdits"] : []),
      ...(o.resume ? ["--resume", o.resume] : []),
      ...(o.extra ?? []),
      "--",
      p,
    ],
    sessionId: (ev) => ev[0]?.session_id,
    idsOn: (ev) => (typeof ev.session_id === "string" ? [ev.session_id] : []),
    sig: (ev) =>
      ev.type === "assistant"
        ? `assistant:${ev.message.content[0].type}`
        : ev.type === "user"
          ? `user:${ev.message.content[0].type}`
          : ev.type === "system"
            ? `system:${ev.subtype}`
            : ev.type,
    isFinal: (ev) => ev.type === "result",
    isStart: (ev) => ev.type === "system" && ev.subtype === "init",
    known: ["system", "assistant", "user", "result", "stream_event", "rate_limit_event"],
    reply: (evs) => evs.find((e) => e.type === "result")?.result ?? "",
    tickSeq: ["system:init", "assistant:thinking", "assistant:text", "assistant:tool_use", "user:tool_result", "assistant:text", "result"],
    textSeq: ["system:init", "assistant:thinking", "assistant:text", "result"],
  },
  {
    name: "codex",
    args: (p, o = {}) => [
      "--dialect",
      "codex",
      "exec",
      "--json",
      "--skip-git-repo-check",
      ...(o.write ? ["--sandbox", "workspace-write"] : []),
      ...(o.extra ?? []),
      ...(o.resume ? ["resume", o.resume] : []),
      "--",
      p,
    ],
    sessionId: (ev) => ev[0]?.thread_id,
    idsOn: (ev) => (typeof ev.thread_id === "string" ? [ev.thread_id] : []),
    sig: (ev) => (ev.item ? `${ev.type}:${ev.item.type}` : ev.type),
    isFinal: (ev) => ev.type === "turn.completed" || ev.type === "turn.failed",
    isStart: (ev) => ev.type === "thread.started",
    known: ["thread.started", "turn.started", "turn.completed", "turn.failed", "item.started", "item.updated", "item.completed", "error"],
    reply: (evs) =>
      evs
        .filter((e) => e.type === "item.completed" && e.item.type === "agent_message")
        .map((e) => e.item.text)
        .join(""),
    tickSeq: [
      "thread.started",
      "turn.started",
      "item.completed:reasoning",
      "item.started:command_execution",
      "item.completed:command_execution",
      "item.completed:file_change",
      "item.completed:agent_message",
      "turn.completed",
    ],
    textSeq: ["thread.started", "turn.started", "item.completed:reasoning", "item.completed:agent_message", "turn.completed"],
  },
  {
    name: "opencode",
    args: (p, o = {}) => [
      "--dialect",
      "opencode",
      "run",
      "--format",
      "json",
      ...(o.resume ? ["--session", o.resume] : []),
      ...(o.extra ?? []),
      "--",
      ...p.split(" "),
    ],
    sessionId: (ev) => ev[0]?.sessionID,
    idsOn: (ev) => [ev.sessionID, ev.part?.sessionID].filter((x): x is string => typeof x === "string"),
    sig: (ev) => ev.type,
    isFinal: (ev) => ev.type === "step_finish" && ev.part?.reason === "stop",
    isStart: (ev) => ev.type === "step_start",
    known: ["step_start", "text", "reasoning", "tool_use", "step_finish", "error", "done"],
    reply: (evs) => {
      const lastStart = evs.map((e) => e.type).lastIndexOf("step_start");
      return evs
        .slice(lastStart)
        .filter((e) => e.type === "text")
        .map((e) => e.part.text)
        .join("");
    },
    tickSeq: ["step_start", "text", "tool_use", "step_finish", "step_start", "text", "step_finish", "done"],
    textSeq: ["step_start", "text", "step_finish", "done"],
  },
  {
    name: "gemini",
    args: (p, o = {}) => [
      "--dialect",
      "gemini",
      "-p",
      p,
      "--output-format",
      "stream-json",
      ...(o.write ? ["--approval-mode", "auto_edit"] : []),
      ...(o.resume ? ["--resume", o.resume] : []),
      ...(o.extra ?? []),
    ],
    sessionId: (ev) => ev[0]?.session_id,
    idsOn: (ev) => (typeof ev.session_id === "string" ? [ev.session_id] : []),
    sig: (ev) => (ev.type === "message" ? `message:${ev.role}` : ev.type),
    isFinal: (ev) => ev.type === "result",
    isStart: (ev) => ev.type === "init",
    known: ["init", "message", "tool_use", "tool_result", "error", "result"],
    reply: (evs) => {
      const lastTool = Math.max(evs.map((e) => e.type).lastIndexOf("tool_result"), 1);
      return evs
        .slice(lastTool)
        .filter((e) => e.type === "message" && e.role === "assistant")
        .map((e) => e.content)
        .join("");
    },
    tickSeq: [
      "init",
      "message:user",
      "message:assistant",
      "tool_use",
      "tool_result",
      "message:assistant",
      "message:assistant",
      "message:assistant",
      "result",
    ],
    textSeq: ["init", "message:user", "message:assistant", "message:assistant", "message:assistant", "result"],
  },
];

export const byName = (n: DialectName) => DIALECTS.find((d) => d.name === n)!;

/** Every stdout line must be a JSON object. */
export function allJson(r: Run) {
  return r.lines.every((l) => {
    try {
      const v = JSON.parse(l);
      return v !== null && typeof v === "object" && !Array.isArray(v);
    } catch {
      return false;
    }
  });
}
