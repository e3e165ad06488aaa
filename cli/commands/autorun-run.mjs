// @ts-check
import fs from "node:fs";
import { once } from "node:events";
import { CliError, EXIT } from "../exit-codes.mjs";
import { documentNames, resolveAgent, resolvePlaybook } from "./autorun-refs.mjs";
import { createRunView, duration } from "./autorun-view.mjs";

/**
 * `run-doc` and `playbook run`: start the run, then print its events until its `complete`. With
 * --json each event is one line of desktop maestro-cli's JSONL, written and drained before the
 * next (a slow reader slows the printing, never loses a line); the process exits 0 only when the
 * last line is `complete` with `success: true`. The stream is the bridge's `autorun.onRunEvent`
 * with `fromStart`, over SSE or, headless, the same procedure in-process, so both modes print the
 * same lines.
 *
 * @typedef {import("../program/define.mjs").Ctx} Ctx
 * @typedef {import("../client.mjs").Client} Client
 * @typedef {{ type: string, timestamp: number } & Record<string, any>} Line
 */

/** How often an agent with an active run is asked again under --wait. */
const BUSY_POLL_MS = 2_000;

/**
 * Writes one JSON line and waits for stdout to take it (a pipe's reader may be slow).
 * @param {NodeJS.WritableStream} stdout
 */
export function jsonlWriter(stdout = process.stdout) {
  return async (/** @type {object} */ value) => {
    if (!stdout.write(`${JSON.stringify(value)}\n`)) await once(stdout, "drain");
  };
}

/**
 * What a failure is called in desktop's `error{code}` line.
 * @param {unknown} err
 * @param {"agent" | "playbook" | "start"} stage
 */
export function errorCode(err, stage) {
  const cli = err instanceof CliError ? err : null;
  const code = cli?.code ?? "EXECUTION_ERROR";
  const message = err instanceof Error ? err.message : String(err);
  if (stage !== "start" && code === "NOT_FOUND") return stage === "agent" ? "AGENT_NOT_FOUND" : "PLAYBOOK_NOT_FOUND";
  if (stage !== "start" && code === "AMBIGUOUS") return stage === "agent" ? "AMBIGUOUS_AGENT" : "AMBIGUOUS_PLAYBOOK";
  if (code === "CONFLICT" && /halt marker/.test(message)) return "HALT_MARKER_PRESENT";
  if (code === "CONFLICT" && /already has a/.test(message)) return "AGENT_BUSY";
  if (stage === "start" && code === "NOT_FOUND") return /agent/i.test(message) ? "AGENT_NOT_FOUND" : "DOCUMENT_NOT_FOUND";
  return code;
}

/**
 * Runs `body`; a failure becomes desktop's `error{message, code}` line with --json (and its exit
 * code), else it is reported as every command reports one.
 * @param {Ctx} ctx
 * @param {(fail: (err: unknown, stage: "agent" | "playbook" | "start") => never) => Promise<void>} body
 */
async function withJsonErrors(ctx, body) {
  /** @type {(err: unknown, stage: "agent" | "playbook" | "start") => never} */
  const fail = (err, stage) => {
    throw Object.assign(err instanceof Error ? err : new Error(String(err)), { stage });
  };
  try {
    await body(fail);
  } catch (err) {
    if (!ctx.out.json) throw err;
    const stage = /** @type {any} */ (err).stage ?? "start";
    const message = err instanceof Error ? err.message : String(err);
    // Desktop's emitError: the timestamp last.
    await jsonlWriter()({ type: "error", message, code: errorCode(err, stage), timestamp: Date.now() });
    process.exitCode = err instanceof CliError ? err.exitCode : EXIT.FAILED;
  }
}

/** @param {string | undefined} raw */
function maxLoopsOf(raw) {
  if (raw === undefined) return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new CliError("--max-loops must be a positive whole number.", EXIT.USAGE, "INVALID_MAX_LOOPS");
  return n;
}

/** @param {string | undefined} file */
function promptOf(file) {
  if (file === undefined) return "";
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new CliError(`cannot read the prompt file ${file} (${/** @type {any} */ (err).code ?? err}).`, EXIT.USAGE, "USAGE");
  }
}

/**
 * `maestro run-doc DOC… -a AGENT`
 * @param {Ctx} ctx
 * @param {string[]} docs
 * @param {{ agent: string, loop?: boolean, maxLoops?: string, resetOnCompletion?: boolean, prompt?: string, dryRun?: boolean, wait?: boolean }} o
 */
export async function runDoc(ctx, docs, o) {
  await withJsonErrors(ctx, async (fail) => {
    const maxLoops = maxLoopsOf(o.maxLoops);
    const prompt = o.dryRun ? "" : promptOf(o.prompt);
    const client = await ctx.client({ headless: true });
    try {
      const agent = await resolveAgent(client, o.agent).catch((err) => fail(err, "agent"));
      const filenames = await documentNames(client, agent, docs);
      const config = {
        documents: filenames.map((filename) => ({ filename, resetOnCompletion: Boolean(o.resetOnCompletion) })),
        loopEnabled: Boolean(o.loop) || maxLoops !== null,
        maxLoops,
        prompt,
      };
      // Desktop's ephemeral playbook name: the document, or "N documents".
      const name = filenames.length === 1 ? String(filenames[0]).replace(/\.md$/i, "") : `${filenames.length} documents`;
      if (o.dryRun) return await dryRun(ctx, client, { agentId: agent.id, config, name });
      await follow(ctx, client, {
        agentId: agent.id,
        wait: Boolean(o.wait),
        start: () => client.mutate("autorun.start", { agentId: agent.id, config, name }),
      });
    } finally {
      await client.close();
    }
  });
}

/**
 * `maestro playbook run PLAYBOOK`
 * @param {Ctx} ctx
 * @param {string} ref
 * @param {{ dryRun?: boolean, wait?: boolean }} o
 */
export async function runPlaybook(ctx, ref, o) {
  await withJsonErrors(ctx, async (fail) => {
    const client = await ctx.client({ headless: true });
    try {
      const pb = await resolvePlaybook(client, ref).catch((err) => fail(err, "playbook"));
      if (o.dryRun) {
        const config = { ...pb.config, prompt: "" };
        return await dryRun(ctx, client, { agentId: pb.agentId, config, name: pb.name, playbookId: pb.id });
      }
      await follow(ctx, client, { agentId: pb.agentId, wait: Boolean(o.wait), start: () => client.mutate("playbooks.run", { id: pb.id }) });
    } finally {
      await client.close();
    }
  });
}

/**
 * @param {Ctx} ctx
 * @param {Client} client
 * @param {{ agentId: string, config: object, name: string, playbookId?: string }} input
 */
async function dryRun(ctx, client, input) {
  /** @type {Line[]} */
  const lines = await client.query("autorun.dryRun", input);
  if (ctx.out.json) {
    const write = jsonlWriter();
    for (const l of lines) await write(l);
  } else {
    for (const l of lines) {
      // The preview is what was asked for (-q keeps it); why it cannot run is an error line.
      if (l.type === "document_start") ctx.out.result(`${l.document}: ${l.taskCount} task(s)`);
      else if (l.type === "task_preview") ctx.out.result(`  ${l.taskIndex + 1}. ${l.task}`);
      else if (l.type === "complete") ctx.out.result(`Would run ${l.wouldProcess} task(s). Nothing was started.`);
      else if (l.type === "error") process.stderr.write(`maestro: ${String(l.message)}\n`);
    }
  }
  process.exitCode = lines.at(-1)?.type === "complete" && lines.at(-1)?.success === true ? EXIT.OK : EXIT.FAILED;
}

/**
 * Starts the run (waiting for the agent with --wait), then prints its events to the end.
 * @param {Ctx} ctx
 * @param {Client} client
 * @param {{ agentId: string, wait: boolean, start: () => Promise<{ id: string }> }} how
 */
export async function follow(ctx, client, how) {
  const began = Date.now();
  let waited = false;
  /** @type {{ id: string }} */
  let run;
  for (;;) {
    try {
      run = await how.start();
      break;
    } catch (err) {
      if (!how.wait || errorCode(err, "start") !== "AGENT_BUSY") throw err;
      // Headless, this process holds the data dir: nothing else can end that run while it waits.
      if (client.mode === "headless") {
        throw new CliError(
          `${err instanceof Error ? err.message : String(err)} (--wait cannot help headless: no bridge drives that run; resume or abort it.)`,
          EXIT.FAILED,
          "CONFLICT",
        );
      }
      if (!waited && !ctx.out.json) process.stderr.write("maestro: the agent has an active Auto Run; waiting for it to end…\n");
      waited = true;
      await untilFree(client, how.agentId);
    }
  }
  const write = jsonlWriter();
  // Desktop's: only after a wait, before `start`, timestamp last.
  if (waited && ctx.out.json) await write({ type: "wait_complete", waitDurationMs: Date.now() - began, timestamp: Date.now() });
  else if (waited) process.stderr.write(`maestro: waited ${duration(Date.now() - began)}.\n`);
  const view = ctx.out.json ? null : createRunView(ctx);
  /** @type {Line | null} */
  let last = null;
  try {
    for await (const l of client.subscribe("autorun.onRunEvent", { runId: run.id, fromStart: true })) {
      last = l;
      if (view) view.event(l);
      else await write(l);
    }
  } finally {
    view?.end();
  }
  process.exitCode = last?.type === "complete" && last.success === true ? EXIT.OK : EXIT.FAILED;
}

/**
 * @param {Client} client
 * @param {string} agentId
 */
async function untilFree(client, agentId) {
  for (;;) {
    const active = await client.query("autorun.list", { agentId, active: true });
    if (!active.length) return;
    await new Promise((r) => setTimeout(r, BUSY_POLL_MS));
  }
}
