// @ts-check
import fs from "node:fs/promises";
import path from "node:path";
import { CliError, EXIT } from "../exit-codes.mjs";
import { table } from "../output.mjs";
import { findAgent, oneLine, withClient } from "./data.mjs";
import { findMission, projectAgent } from "./mission-find.mjs";

/** @typedef {import("../client.mjs").Client} Client */
/** @typedef {import("../program/define.mjs").Ctx} Ctx */
/** @typedef {import("./mission-find.mjs").MissionRow} MissionRow */

/**
 * The mission and the thing it holds from `<mission> <item>` or the reference's `<item> --mission M`.
 * @param {string | undefined} a
 * @param {string | undefined} b
 * @param {{ mission?: string }} o
 * @param {string} what "feature", "assertion", "milestone"
 */
export function missionAnd(a, b, o, what) {
  if (o.mission) {
    if (b !== undefined)
      throw new CliError(`give the ${what} once: \`<${what}> --mission M\` or \`<mission> <${what}>\`.`, EXIT.USAGE, "USAGE");
    return { mission: o.mission, item: /** @type {string} */ (a) };
  }
  if (!a || b === undefined)
    throw new CliError(`name the mission and the ${what}: \`<mission> <${what}>\` or \`<${what}> --mission M\`.`, EXIT.USAGE, "USAGE");
  return { mission: a, item: b };
}

/** `<mission>` or `--mission M`. @param {string | undefined} a @param {{ mission?: string }} o */
export function missionArg(a, o) {
  const m = o.mission ?? a;
  if (!m) throw new CliError("name the mission (its id or its .maestro id), or --mission M.", EXIT.USAGE, "USAGE");
  if (o.mission && a && a !== o.mission) throw new CliError("name the mission once.", EXIT.USAGE, "USAGE");
  return m;
}

const GITIGNORE_LINES = [".maestro/handoffs/", ".maestro/missions/", ".maestro/sessions/"];

const CONFIG_YAML = `sessionDetection:
  enabled: true
  agents:
    - claude-code
defaultWorkflow: plan-implement
ui:
  missionControl:
    backgroundMode: solid
memory:
  enabled: true
  corrections:
    enabled: true
    matching: keyword
    auto_capture: prompt
    severity_default: soft
  learnings:
    enabled: true
    compile_threshold: 5
    max_age_days: 7
  ratchet:
    enabled: false
    enforcement: warn
  graph:
    enabled: true
`;

/**
 * `maestro init [--agent A]`: the reference's project folders and config.yaml (its DEFAULT_CONFIG),
 * made in the agent's folder on this machine; existing files are kept.
 * @param {Ctx} ctx
 * @param {{ agent?: string }} o
 */
export async function init(ctx, o) {
  const agent = await withClient(ctx, true, async (client) => {
    if (client.mode === "remote")
      throw new CliError("init writes into the agent's folder: run it on the bridge's machine.", EXIT.USAGE, "USAGE");
    return projectAgent(client, o.agent);
  });
  const root = path.join(agent.folder, ".maestro");
  const stat = await fs.lstat(root).catch(() => null);
  if (stat?.isSymbolicLink())
    throw new CliError(`${root} is a link: Maestro writes only into a real .maestro folder.`, EXIT.FAILED, "FAILED");
  /** @type {string[]} */
  const created = [];
  /** @type {string[]} */
  const skipped = [];
  for (const dir of ["", "handoffs", "skills", "missions", "memory"]) {
    const p = path.join(root, dir);
    if (await fs.stat(p).catch(() => null)) {
      if (dir) skipped.push(p);
    } else {
      await fs.mkdir(p, { recursive: true });
      created.push(p);
    }
  }
  const config = path.join(root, "config.yaml");
  try {
    await fs.writeFile(config, CONFIG_YAML, { flag: "wx" });
    created.push(config);
  } catch {
    skipped.push(config);
  }
  // As the reference's init: its runtime state stays out of git.
  const gitignore = path.join(agent.folder, ".gitignore");
  const ignored = await fs.readFile(gitignore, "utf8").catch(() => "");
  const missing = GITIGNORE_LINES.filter((l) => !ignored.split(/\r?\n/).includes(l));
  if (missing.length > 0) {
    const lead = ignored && !ignored.endsWith("\n") ? "\n" : "";
    await fs.appendFile(gitignore, `${lead}${ignored ? "\n" : ""}# Maestro runtime state\n${missing.join("\n")}\n`);
    created.push(`${gitignore} (${missing.join(", ")})`);
  }
  if (ctx.out.json) return ctx.out.data({ created, skipped, scope: "project", folder: agent.folder });
  ctx.out.result(
    ["[ok] Initialized project bootstrap", ...created.map((p) => `  --> ${p}`), ...skipped.map((p) => `  [skip] ${p}`)].join("\n"),
  );
}

/** A plan file's text, `-` for stdin. @param {string} file */
async function readPlan(file) {
  if (file === "-") {
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    return Buffer.concat(chunks).toString("utf8");
  }
  try {
    return await fs.readFile(file, "utf8");
  } catch {
    throw new CliError(`Plan file not found: ${file}`, EXIT.NOT_FOUND, "NOT_FOUND");
  }
}

/** @param {string | undefined} text @param {string} flag */
function intOption(text, flag) {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} takes a whole number ≥ 1.`, EXIT.USAGE, "USAGE");
  return n;
}

/** @param {string | undefined} value @param {string[]} allowed @param {string} flag */
function oneOf(value, allowed, flag) {
  if (value !== undefined && !allowed.includes(value)) throw new CliError(`${flag} is one of ${allowed.join(", ")}.`, EXIT.USAGE, "USAGE");
  return value;
}

/**
 * `maestro mission create --file plan.json [--agent A]`
 * @param {Ctx} ctx
 * @param {{ file: string, agent?: string, concurrency?: string, policy?: string, finish?: string }} o
 */
export async function missionCreate(ctx, o) {
  const concurrency = intOption(o.concurrency, "--concurrency");
  const failurePolicy = oneOf(o.policy, ["continue", "stop"], "--policy");
  const finishMode = oneOf(o.finish, ["pr", "merge", "none"], "--finish");
  const plan = await readPlan(o.file);
  if (!plan.trim()) throw new CliError("the plan file is empty.", EXIT.USAGE, "USAGE");
  await withClient(ctx, true, async (client) => {
    const agent = await projectAgent(client, o.agent);
    /** @type {{ id: string, refId: string }} */
    const created = await client.mutate("missions.create", {
      agentId: agent.id,
      plan,
      ...(concurrency ? { concurrency } : {}),
      ...(failurePolicy ? { failurePolicy } : {}),
      ...(finishMode ? { finishMode } : {}),
    });
    /** @type {{ title: string, status: string, milestones: unknown[], features: unknown[] }} */
    const view = await client.query("missions.get", { missionId: created.id });
    if (ctx.out.json) return ctx.out.data({ ...created, mission: view });
    ctx.out.result(
      [
        `[ok] Mission created: ${created.refId}`,
        `  Id: ${created.id}`,
        `  Title: ${view.title}`,
        `  Status: ${view.status}`,
        `  Milestones: ${view.milestones.length}`,
        `  Features: ${view.features.length}`,
      ].join("\n"),
    );
  });
}

/**
 * `maestro mission list [--agent A] [--status S]`
 * @param {Ctx} ctx
 * @param {{ agent?: string, status?: string }} o
 */
export async function missionList(ctx, o) {
  await withClient(ctx, true, async (client) => {
    const agentId = o.agent ? (await findAgent(client, o.agent)).id : undefined;
    /** @type {MissionRow[]} */
    let missions = await client.query("missions.list", agentId ? { agentId } : undefined);
    if (o.status) missions = missions.filter((m) => m.status === o.status);
    if (ctx.out.json) return ctx.out.data(missions);
    if (missions.length === 0) return ctx.out.line("No missions.");
    ctx.out.result(
      table(
        ["MISSION", "STATUS", "DONE", "AGENT", "TITLE", "ID"],
        missions.map((m) => {
          const total = Object.values(m.counts).reduce((a, b) => a + b, 0);
          return [m.refId, m.status, `${(m.counts.done ?? 0) + (m.counts.skipped ?? 0)}/${total}`, m.agentName, oneLine(m.title, 40), m.id];
        }),
      ),
    );
  });
}

/**
 * `maestro mission show M`
 * @param {Ctx} ctx
 * @param {string} ref
 */
export async function missionShow(ctx, ref) {
  await withClient(ctx, true, async (client) => {
    const row = await findMission(client, ref);
    /** @type {import("../../lib/missions/types").MissionView} */
    const view = await client.query("missions.get", { missionId: row.id });
    if (ctx.out.json) return ctx.out.data(view);
    const lines = [
      `${view.title} (${view.refId}) · ${view.status}${view.statusDetail ? ` (${oneLine(view.statusDetail, 60)})` : ""}`,
      `agent ${view.agentName}; concurrency ${view.concurrency}; on failure ${view.failurePolicy}; finish ${view.finishMode}${view.branch ? `; branch ${view.branch}` : ""}`,
      "",
    ];
    for (const m of [...view.milestones].sort((a, b) => a.order - b.order)) {
      lines.push(`${m.order + 1}. [${m.kind === "validation" ? "GATE" : "WORK"}] ${m.key}  ${m.status}  ${m.title}`);
      for (const f of view.features.filter((x) => x.milestoneKey === m.key))
        lines.push(
          `   - ${f.key}  ${f.status}${f.statusDetail ? ` (${oneLine(f.statusDetail, 50)})` : ""}  ${oneLine(f.title, 50)}${f.dependsOn.length ? `  ← ${f.dependsOn.join(", ")}` : ""}`,
        );
    }
    if (view.assertions.length > 0) {
      lines.push("", "Assertions:");
      for (const a of view.assertions) lines.push(`  ${a.key}  ${a.status}${a.evidence ? `  ${oneLine(a.evidence, 60)}` : ""}`);
    }
    if (view.prUrl) lines.push("", `Pull request: ${view.prUrl}`);
    ctx.out.result(lines.join("\n"));
  });
}

/**
 * `maestro mission approve|pause|resume M`
 * @param {Ctx} ctx
 * @param {"approve" | "pause" | "resume"} action
 * @param {string} ref
 */
export async function missionAction(ctx, action, ref) {
  await withClient(ctx, true, async (client) => {
    const row = await findMission(client, ref);
    await client.mutate(`missions.${action}`, { missionId: row.id });
    /** @type {{ status: string, statusDetail: string }} */
    const view = await client.query("missions.get", { missionId: row.id });
    if (ctx.out.json) return ctx.out.data({ success: true, id: row.id, refId: row.refId, status: view.status });
    const past = { approve: "approved", pause: "paused", resume: "resumed" }[action];
    ctx.out.line(`[ok] Mission ${past}: ${row.refId}\n  Status: ${view.status}`);
  });
}

/**
 * `maestro mission import [--agent A] [--id refId]`
 * @param {Ctx} ctx
 * @param {{ agent?: string, id?: string }} o
 */
export async function missionImport(ctx, o) {
  await withClient(ctx, true, async (client) => {
    const agent = await projectAgent(client, o.agent);
    /** @type {{ imported: string[], skipped: { refId: string, reason: string }[] }} */
    const r = await client.mutate("missions.importDisk", { agentId: agent.id, ...(o.id ? { refId: o.id } : {}) });
    if (ctx.out.json) return ctx.out.data(r);
    ctx.out.result(
      [
        `Imported ${r.imported.length} mission(s)${r.imported.length ? `: ${r.imported.join(", ")}` : ""}`,
        ...r.skipped.map((s) => `  [skip] ${s.refId}: ${s.reason}`),
      ].join("\n"),
    );
  });
}

/**
 * `maestro feature list M [--status S]`
 * @param {Ctx} ctx
 * @param {string | undefined} a
 * @param {{ mission?: string, status?: string }} o
 */
export async function featureList(ctx, a, o) {
  const ref = missionArg(a, o);
  await withClient(ctx, true, async (client) => {
    const row = await findMission(client, ref);
    /** @type {import("../../lib/missions/types").MissionView} */
    const view = await client.query("missions.get", { missionId: row.id });
    const features = o.status ? view.features.filter((f) => f.status === o.status) : view.features;
    if (ctx.out.json) return ctx.out.data({ features, total: view.features.length, filtered: features.length });
    ctx.out.result(
      [
        `${features.length} feature(s) (total: ${view.features.length})`,
        "",
        table(
          ["FEATURE", "STATUS", "MILESTONE", "AGENT", "DEPENDS ON", "TITLE"],
          features.map((f) => [
            f.key,
            f.status,
            f.milestoneKey,
            f.agentName ?? f.workerType ?? "-",
            f.dependsOn.join(",") || "-",
            oneLine(f.title, 40),
          ]),
        ),
      ].join("\n"),
    );
  });
}
