// @ts-check
import fs from "node:fs";
import path from "node:path";
import { CliError, EXIT } from "../exit-codes.mjs";
import { table } from "../output.mjs";
import { autorunFolder, resolveAgent, resolvePlaybook, resolveRun } from "./autorun-refs.mjs";
import { duration, money } from "./autorun-view.mjs";

/**
 * `list playbooks|runs`, `show playbook|run`, `playbook import|export`. `--json` uses desktop's
 * field names where desktop has the command (`list playbooks`, `show playbook`), ours beside them.
 * @typedef {import("../program/define.mjs").Ctx} Ctx
 * @typedef {import("./autorun-refs.mjs").Playbook} Playbook
 */

/**
 * @param {import("../client.mjs").Client} client
 * @param {Playbook} pb
 * @param {Map<string, { name: string, folder: string }>} agents
 */
async function playbookJson(client, pb, agents) {
  const agent = agents.get(pb.agentId);
  const folderPath = agent && client.mode !== "remote" ? await autorunFolder(client, { id: pb.agentId, ...agent, provider: "" }) : null;
  return {
    id: pb.id,
    name: pb.name,
    agentId: pb.agentId,
    agentName: agent?.name ?? null,
    folderPath,
    loopEnabled: pb.config.loopEnabled,
    maxLoops: pb.config.maxLoops,
    documents: pb.config.documents.map((d) => ({ filename: d.filename, resetOnCompletion: d.resetOnCompletion })),
    createdAt: pb.createdAt,
    updatedAt: pb.updatedAt,
  };
}

/** @param {import("../client.mjs").Client} client */
async function agentMap(client) {
  /** @type {{ id: string, name: string, folder: string }[]} */
  const agents = await client.query("agents.list");
  return new Map(agents.map((a) => [a.id, a]));
}

/**
 * `maestro list playbooks [-a AGENT]`
 * @param {Ctx} ctx
 * @param {string | undefined} agentRef
 */
export async function listPlaybooks(ctx, agentRef) {
  const client = await ctx.client({ headless: true });
  try {
    const agent = agentRef === undefined ? null : await resolveAgent(client, agentRef);
    /** @type {Playbook[]} */
    const playbooks = await client.query("playbooks.list", agent ? { agentId: agent.id } : {});
    const agents = await agentMap(client);
    const rows = await Promise.all(playbooks.map((pb) => playbookJson(client, pb, agents)));
    if (ctx.out.json) return ctx.out.data(rows);
    if (rows.length === 0) return ctx.out.line(agent ? `${agent.name} has no playbooks.` : "No playbooks yet.");
    ctx.out.result(
      table(
        ["ID", "NAME", "AGENT", "DOCUMENTS", "LOOP"],
        rows.map((p) => [
          p.id,
          p.name,
          p.agentName ?? "",
          p.documents.map((d) => d.filename).join(", "),
          p.loopEnabled ? (p.maxLoops ? `≤${p.maxLoops}` : "yes") : "no",
        ]),
      ),
    );
  } finally {
    await client.close();
  }
}

/**
 * `maestro show playbook PLAYBOOK`: desktop's shape, each document with its unticked tasks (as the
 * run would find them: the bridge's dry run).
 * @param {Ctx} ctx
 * @param {string} ref
 */
export async function showPlaybook(ctx, ref) {
  const client = await ctx.client({ headless: true });
  try {
    const pb = await resolvePlaybook(client, ref);
    const base = await playbookJson(client, pb, await agentMap(client));
    /** @type {Map<string, string[]>} */
    const tasks = new Map();
    let problem = null;
    try {
      /** @type {({ type: string } & Record<string, any>)[]} */
      const lines = await client.query("autorun.dryRun", { agentId: pb.agentId, config: { ...pb.config, prompt: "" }, name: pb.name });
      const docs = pb.config.documents;
      for (const l of lines) if (l.type === "task_preview") tasks.set(l.document, [...(tasks.get(l.document) ?? []), l.task]);
      for (const d of docs) if (!tasks.has(d.filename.replace(/\.md$/i, ""))) tasks.set(d.filename.replace(/\.md$/i, ""), []);
    } catch (err) {
      problem = err instanceof Error ? err.message : String(err);
    }
    const documents = pb.config.documents.map((d) => {
      const own = tasks.get(d.filename.replace(/\.md$/i, ""));
      return { ...d, taskCount: own ? own.length : null, tasks: own ?? [] };
    });
    const shown = {
      ...base,
      prompt: pb.config.prompt,
      documents,
      totalTasks: documents.reduce((n, d) => n + (d.taskCount ?? 0), 0),
      ...(problem ? { error: problem } : {}),
    };
    if (ctx.out.json) return ctx.out.data(shown);
    ctx.out.result(ctx.out.colors.bold(pb.name));
    ctx.out.result(`  id            ${pb.id}`);
    ctx.out.result(`  agent         ${shown.agentName ?? pb.agentId}`);
    ctx.out.result(`  folder        ${shown.folderPath ?? "?"}`);
    ctx.out.result(`  loop          ${pb.config.loopEnabled ? (pb.config.maxLoops ? `up to ${pb.config.maxLoops}` : "until done") : "no"}`);
    ctx.out.result(`  prompt        ${pb.config.prompt.trim() ? `${pb.config.prompt.trim().split("\n")[0]}…` : "the built-in one"}`);
    for (const d of documents) {
      ctx.out.result(`  ${d.filename}${d.resetOnCompletion ? " (reset each loop)" : ""}: ${d.taskCount ?? "?"} task(s) to do`);
      for (const t of d.tasks) ctx.out.result(`    - ${t}`);
    }
    if (problem) ctx.out.result(`  ${ctx.out.colors.yellow(problem)}`);
  } finally {
    await client.close();
  }
}

/**
 * `maestro list runs [-a AGENT] [--active]`
 * @param {Ctx} ctx
 * @param {{ agent?: string, active?: boolean }} o
 */
export async function listRuns(ctx, o) {
  const client = await ctx.client({ headless: true });
  try {
    const agent = o.agent === undefined ? null : await resolveAgent(client, o.agent);
    /** @type {any[]} */
    const runs = await client.query("autorun.list", { ...(agent ? { agentId: agent.id } : {}), ...(o.active ? { active: true } : {}) });
    if (ctx.out.json) return ctx.out.data(runs);
    if (runs.length === 0) return ctx.out.line(o.active ? "No active runs." : "No runs yet.");
    ctx.out.result(
      table(
        ["ID", "STATUS", "AGENT", "NAME", "TASKS", "COST", "TIME", "STARTED"],
        runs.map((r) => [
          r.id,
          r.status,
          r.agentName,
          r.name,
          `${r.tasksDone}${r.tasksFailed ? ` (${r.tasksFailed} failed)` : ""}`,
          money(r.costUsd),
          duration(r.elapsedMs),
          r.startedAt,
        ]),
      ),
    );
  } finally {
    await client.close();
  }
}

/**
 * `maestro show run RUN`
 * @param {Ctx} ctx
 * @param {string} ref
 */
export async function showRun(ctx, ref) {
  const client = await ctx.client({ headless: true });
  try {
    const { id } = await resolveRun(client, ref);
    const view = await client.query("autorun.byId", { id });
    if (ctx.out.json) return ctx.out.data(view);
    const r = view.run;
    ctx.out.result(ctx.out.colors.bold(r.name));
    /** @type {[string, unknown][]} */
    const rows = [
      ["id", r.id],
      ["agent", view.agentName],
      ["status", r.pauseReason && r.status === "paused" ? `paused (${r.pauseKind}): ${r.pauseReason}` : r.status],
      ["loop", r.loop],
      ["tasks", `${r.tasksDone} done, ${r.tasksFailed} failed`],
      ["time", duration(r.elapsedMs)],
      ["cost", money(r.costUsd)],
      ["started", r.startedAt],
      ["ended", r.endedAt ? `${r.endedAt}${r.endReason ? ` (${r.endReason})` : ""}` : "not yet"],
    ];
    for (const [k, v] of rows) ctx.out.result(`  ${k.padEnd(10)}${String(v)}`);
    for (const d of view.documents ?? []) ctx.out.result(`  ${d.filename}: ${d.done ?? "?"} of ${d.total ?? "?"} ticked`);
  } finally {
    await client.close();
  }
}

/**
 * `maestro playbook import FILE -a AGENT`: a .zip is desktop's bundle (documents and assets go into
 * the Auto Run folder), anything else a playbook JSON or a manifest.
 * @param {Ctx} ctx
 * @param {string} file
 * @param {{ agent: string, name?: string, overwrite?: boolean, pick?: string }} o
 */
export async function importPlaybook(ctx, file, o) {
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new CliError(`cannot read ${file} (${/** @type {any} */ (err).code ?? err}).`, EXIT.USAGE, "USAGE");
  }
  const client = await ctx.client({ headless: true });
  try {
    const agent = await resolveAgent(client, o.agent);
    const zip = file.toLowerCase().endsWith(".zip");
    const answer = zip
      ? await client.mutate("playbooks.importZip", {
          agentId: agent.id,
          zip: bytes.toString("base64"),
          name: o.name,
          overwrite: o.overwrite,
          pick: o.pick,
        })
      : await client.mutate("playbooks.import", { agentId: agent.id, text: bytes.toString("utf8"), name: o.name, pick: o.pick });
    if (answer.kind === "manifest") {
      const keys = answer.choices.map((/** @type {{ key: string, name: string }} */ c) => `${c.key} (${c.name})`).join(", ");
      throw new CliError(`${file} holds ${answer.choices.length} playbooks: ${keys}. Choose one with --pick KEY.`, EXIT.USAGE, "USAGE");
    }
    if (ctx.out.json) {
      const { kind: _kind, ...pb } = answer;
      return ctx.out.data({ success: true, ...pb });
    }
    ctx.out.line(`Imported ${answer.name} for ${agent.name} (playbook ${answer.id}).`);
    if (answer.written?.length) ctx.out.line(`  wrote ${answer.written.join(", ")}`);
    if (answer.missing?.length) ctx.out.line(`  not in the Auto Run folder yet: ${answer.missing.join(", ")}`);
  } finally {
    await client.close();
  }
}

/**
 * `maestro playbook export PLAYBOOK [-o FILE]`: desktop's JSON on stdout, or into FILE; a FILE
 * ending in .zip gets the bundle with its documents. An existing FILE is never replaced.
 * @param {Ctx} ctx
 * @param {string} ref
 * @param {{ output?: string }} o
 */
export async function exportPlaybook(ctx, ref, o) {
  const client = await ctx.client({ headless: true });
  try {
    const pb = await resolvePlaybook(client, ref);
    const zip = Boolean(o.output?.toLowerCase().endsWith(".zip"));
    const made = zip ? await client.query("playbooks.exportZip", { id: pb.id }) : await client.query("playbooks.export", { id: pb.id });
    const body = zip ? Buffer.from(made.zip, "base64") : `${JSON.stringify(made.json, null, 2)}\n`;
    if (!o.output) return void process.stdout.write(body);
    const out = path.resolve(o.output);
    try {
      fs.writeFileSync(out, body, { flag: "wx" });
    } catch (err) {
      const code = /** @type {any} */ (err).code;
      throw new CliError(
        code === "EEXIST" ? `${out} exists; pick another name (nothing was replaced).` : `cannot write ${out} (${code ?? err}).`,
        code === "EEXIST" ? EXIT.USAGE : EXIT.FAILED,
      );
    }
    if (ctx.out.json) return ctx.out.data({ success: true, id: pb.id, file: out, missing: made.missing ?? [] });
    ctx.out.line(`Wrote ${out}.`);
    if (made.missing?.length) ctx.out.line(`  not found, so not in the zip: ${made.missing.join(", ")}`);
  } finally {
    await client.close();
  }
}
