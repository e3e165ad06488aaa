// maestro-sim: a stand-in for the agent CLIs (claude, codex, opencode, gemini) that prints
// exactly their batch-mode JSONL and really does the work in the folder.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import readline from "node:readline";
import * as claude from "./dialects/claude.mjs";
import * as codex from "./dialects/codex.mjs";
import * as opencode from "./dialects/opencode.mjs";
import * as gemini from "./dialects/gemini.mjs";
import { readFaults } from "./faults.mjs";
import { handoffCliArgs, withWorkerDirectives } from "./mission.mjs";
import { ask, inputEnded, onControlLine, sigintWhileAsking } from "./control.mjs";
import { emit, exitAfterFlush, installSignalHandlers, onSigint } from "./io.mjs";
import { listSessions, loadSession, newSession, saveSession } from "./sessions.mjs";
import { makeTurn } from "./turn.mjs";

/**
 * @typedef {object} Dialect
 * @property {string} name
 * @property {string} version
 * @property {(argv: string[], env: NodeJS.ProcessEnv, cwd: string) => import("./turn.mjs").Invocation | {error: string, code: number}} parse
 * @property {() => string} newSessionId
 * @property {(id: string) => "new" | {stderr: string, code: number}} unknownSession
 * @property {() => {stderr: string, code: number}} noPrompt
 * @property {(id: string, sessions: import("./sessions.mjs").SessionRecord[]) => string | null} [resolveResume]
 * @property {(id: string) => {stderr: string, code: number}} [sessionInUse]
 * @property {(line: string) => {text: string, images: number} | null} [readInputMessage]
 * @property {(ctx: import("./turn.mjs").TurnCtx) => Generator<import("./io.mjs").Item>} render
 * @property {(ctx: import("./turn.mjs").TurnCtx) => [string, object]} malformed
 * @property {(ctx: import("./turn.mjs").TurnCtx) => string} crashText
 * @property {(ctx: import("./turn.mjs").TurnCtx, lines: object[]) => string} summary
 */

/** @type {Record<string, Dialect>} */
export const DIALECTS = { claude, codex, opencode, gemini };

/** @param {string} text @param {number} code */
function fail(text, code) {
  process.stderr.write(text);
  exitAfterFlush(code);
}

async function readAllStdin() {
  if (process.stdin.isTTY) return "";
  /** @type {Buffer[]} */
  const chunks = [];
  for await (const c of process.stdin) chunks.push(/** @type {Buffer} */ (c));
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * claude's stream-json stdin, demultiplexed: user messages are prompts; control lines (answers
 * to permission requests, an interrupt) go to the control channel as they arrive, even mid-turn.
 * @param {Dialect} d
 * @returns {AsyncIterable<{text: string, images: number}>}
 */
function streamJsonInput(d) {
  /** @type {{text: string, images: number}[]} */
  const queue = [];
  let ended = false;
  /** @type {(() => void) | null} */
  let wake = null;
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let broken = false;
  rl.on("line", (line) => {
    if (broken || !line.trim()) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch (e) {
      broken = true;
      fail(`Error parsing streaming input line: ${line}: ${e instanceof Error ? e.message : e}\n`, 1);
      return;
    }
    if (msg && typeof msg.type === "string" && msg.type.startsWith("control_")) return onControlLine(msg);
    const m = d.readInputMessage?.(line);
    if (!m) return;
    queue.push(m);
    wake?.();
  });
  rl.on("close", () => {
    if (broken) return;
    ended = true;
    inputEnded();
    wake?.();
  });
  return (async function* () {
    for (;;) {
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (ended) return;
      await new Promise((r) => (wake = () => r(undefined)));
      wake = null;
    }
  })();
}

/** @param {string} s @param {number} n */
const clip = (s, n) => (s.length > n ? s.slice(0, n) : s);

/**
 * @param {string[]} argv   arguments after the program name
 * @param {NodeJS.ProcessEnv} [env]
 */
export async function main(argv, env = process.env) {
  // When each process got going (bench:groupchat's timeline): a wall-clock stamp and the folder.
  if (env.MAESTRO_SIM_STARTED) {
    try {
      fs.appendFileSync(env.MAESTRO_SIM_STARTED, `${Date.now()} ${process.cwd()}\n`);
    } catch {}
  }
  installSignalHandlers();
  onSigint(sigintWhileAsking);
  let dialectName = env.MAESTRO_SIM_DIALECT || "claude";
  if (argv[0] === "--dialect") {
    if (argv.length < 2) return fail("maestro-sim: --dialect needs a value (claude, codex, opencode, gemini)\n", 2);
    dialectName = argv[1];
    argv = argv.slice(2);
  } else if (argv[0]?.startsWith("--dialect=")) {
    dialectName = argv[0].slice("--dialect=".length);
    argv = argv.slice(1);
  }
  const d = DIALECTS[dialectName];
  if (!d) return fail(`maestro-sim: unknown dialect '${dialectName}' (claude, codex, opencode, gemini)\n`, 2);
  const dd = argv.indexOf("--");
  const dialectLater = argv.findIndex((a) => a === "--dialect" || a.startsWith("--dialect="));
  if (dialectLater >= 0 && (dd < 0 || dialectLater < dd)) return fail("maestro-sim: --dialect must come first\n", 2);
  if (argv.length === 1 && ["--version", "-v", "-V"].includes(argv[0])) {
    process.stdout.write(d.version + "\n");
    return exitAfterFlush(0);
  }

  const faults = readFaults(env);
  for (const u of faults.unknown) process.stderr.write(`maestro-sim: unknown fault '${u}' ignored\n`);
  const inv = d.parse(argv, env, process.cwd());
  if ("error" in inv) return fail(inv.error, inv.code);

  // The session: resumed, named (claude --session-id), continued, or new.
  /** @type {import("./sessions.mjs").SessionRecord | null} */
  let rec = null;
  if (inv.resume !== undefined) {
    const id = d.resolveResume ? d.resolveResume(inv.resume, listSessions(d.name, inv.cwd, env)) : inv.resume;
    rec = id ? loadSession(id, env) : null;
    if (rec && rec.dialect !== d.name) rec = null;
    if (!rec) {
      const u = d.unknownSession(id ?? inv.resume);
      if (u === "new") rec = newSession(d.newSessionId(), d.name, inv.cwd);
      else return fail(u.stderr, u.code);
    }
  } else if (inv.sessionId) {
    if (loadSession(inv.sessionId, env)) {
      const u = d.sessionInUse?.(inv.sessionId) ?? { stderr: `Error: Session ID ${inv.sessionId} is already in use.\n`, code: 1 };
      return fail(u.stderr, u.code);
    }
    rec = newSession(inv.sessionId, d.name, inv.cwd);
  } else if (d.name === "claude" && inv.opts.continue) {
    const list = listSessions(d.name, inv.cwd, env);
    if (!list.length) return fail("No conversation found to continue\n", 1);
    rec = list[list.length - 1];
  } else {
    rec = newSession(d.newSessionId(), d.name, inv.cwd);
  }
  const session = rec;

  /** @type {AsyncIterable<{text: string, images: number}>} */
  let prompts;
  if (inv.stdin === "claude-jsonl") {
    prompts = streamJsonInput(d);
  } else {
    let text = inv.prompt;
    if (inv.stdin === "text") {
      const piped = (await readAllStdin()).replace(/\r?\n$/, "");
      text = text === null ? piped : piped ? `${text}\n${piped}` : text;
    }
    if (text === null || text.trim() === "") {
      const u = d.noPrompt();
      return fail(u.stderr, u.code);
    }
    const one = text;
    prompts = (async function* () {
      yield { text: one, images: inv.images.length };
    })();
  }

  let code = 0;
  let first = true;
  for await (const p of prompts) {
    const n = session.turns.length + 1;
    // A mission worker's `[sim: …]` directives (mission.mjs) script this turn only.
    const turnFaults = withWorkerDirectives(faults, p.text);
    // `[sim: handoff-cli]`: the worker's own handoff, through the real CLI, before it replies.
    const handoff = handoffCliArgs(p.text);
    if (handoff && env.MAESTRO_CLI)
      spawnSync(process.execPath, [env.MAESTRO_CLI, ...handoff], { cwd: inv.cwd, env, stdio: "ignore", timeout: 30_000 });
    session.turns.push({ n, at: new Date().toISOString(), prompt: clip(p.text, 500), status: "started" });
    saveSession(session, env);
    const ctx = makeTurn({
      dialect: d.name,
      inv,
      sessionId: session.id,
      turn: n,
      first,
      prompt: p.text,
      images: p.images,
      faults: turnFaults,
      cacheRead: session.inputTokens + session.outputTokens,
      prior: { costUsd: session.costUsd ?? 0, usage: session.reportedUsage ?? { input: 0, cached: 0, output: 0 } },
    });
    first = false;
    const lines = await emit(d.render(ctx), {
      faults: turnFaults,
      silent: inv.output !== "jsonl",
      malformed: () => d.malformed(ctx),
      crashText: () => d.crashText(ctx),
      ask: (item) => ask(/** @type {any} */ (item)),
    });
    if (inv.output !== "jsonl") {
      const s = d.summary(ctx, lines);
      if (s) process.stdout.write(s + "\n");
    }
    session.inputTokens += ctx.inputTokens;
    session.outputTokens += ctx.outputTokens;
    // Like the real CLIs, what is reported on resume is cumulative for the session.
    session.costUsd = ctx.prior.costUsd + ctx.turnCostUsd;
    session.reportedUsage = ctx.reportedUsage ?? ctx.prior.usage;
    const t = session.turns[session.turns.length - 1];
    t.reply = clip(ctx.finalText, 500);
    t.status = ctx.exitCode ? "error" : "done";
    saveSession(session, env);
    if (ctx.exitCode) {
      code = ctx.exitCode;
      break;
    }
  }
  if (first && inv.stdin === "claude-jsonl") {
    const u = d.noPrompt();
    return fail(u.stderr, u.code);
  }
  exitAfterFlush(code);
}
