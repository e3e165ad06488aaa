// @ts-check
import fs from "node:fs/promises";
import { CliError, EXIT } from "../exit-codes.mjs";
import { table } from "../output.mjs";
import { findAgent, oneLine, withClient } from "./data.mjs";
import { findMission } from "./mission-find.mjs";
import { missionAnd, missionArg } from "./mission.mjs";

/** @typedef {import("../program/define.mjs").Ctx} Ctx */
/** @typedef {import("../../lib/missions/types").MissionView} MissionView */

const FEATURE_STATUSES = ["pending", "in-progress", "review", "done", "failed", "blocked", "skipped"];
const ASSERTION_STATUSES = ["pending", "passed", "failed", "blocked", "waived"];

/** @param {import("../client.mjs").Client} client @param {string} ref @returns {Promise<MissionView>} */
async function missionView(client, ref) {
  const row = await findMission(client, ref);
  return client.query("missions.get", { missionId: row.id });
}

/** @param {MissionView} view @param {string} key */
function feature(view, key) {
  const f = view.features.find((x) => x.key === key);
  if (!f)
    throw new CliError(
      `mission ${view.refId} has no feature ${JSON.stringify(key)} (features: ${view.features.map((x) => x.key).join(", ")}).`,
      EXIT.NOT_FOUND,
      "NOT_FOUND",
    );
  return f;
}

/**
 * `maestro feature prompt M F [--out file]`
 * @param {Ctx} ctx @param {string} a @param {string | undefined} b @param {{ mission?: string, out?: string }} o
 */
export async function featurePrompt(ctx, a, b, o) {
  const { mission, item } = missionAnd(a, b, o, "feature");
  await withClient(ctx, true, async (client) => {
    const view = await missionView(client, mission);
    const f = feature(view, item);
    /** @type {{ prompt: string, path: string }} */
    const r = await client.query("missions.featurePrompt", { missionId: view.id, featureKey: f.key });
    const writtenTo = [...(o.out ? [o.out] : []), r.path];
    if (o.out) await fs.writeFile(o.out, r.prompt);
    if (ctx.out.json) return ctx.out.data({ prompt: r.prompt, featureId: f.key, agentType: f.workerType, writtenTo });
    ctx.out.result(
      [
        `[ok] Worker prompt generated for: ${f.key}`,
        `  Agent type: ${f.workerType ?? "any"}`,
        ...writtenTo.map((p) => `  Written to: ${p}`),
        "",
        "--- PROMPT BEGIN ---",
        "",
        r.prompt.trimEnd(),
        "",
        "--- PROMPT END ---",
      ].join("\n"),
    );
  });
}

/**
 * `maestro feature update M F --status S`
 * @param {Ctx} ctx @param {string} a @param {string | undefined} b @param {{ mission?: string, status: string, note?: string }} o
 */
export async function featureUpdate(ctx, a, b, o) {
  if (!FEATURE_STATUSES.includes(o.status)) throw new CliError(`--status is one of ${FEATURE_STATUSES.join(", ")}.`, EXIT.USAGE, "USAGE");
  const { mission, item } = missionAnd(a, b, o, "feature");
  await withClient(ctx, true, async (client) => {
    const view = await missionView(client, mission);
    const f = feature(view, item);
    await client.mutate("missions.updateFeature", {
      missionId: view.id,
      featureKey: f.key,
      status: o.status,
      ...(o.note ? { note: o.note } : {}),
    });
    // The status it has now: "review" by hand is pending (the bridge's verification needs a running worker).
    const status = feature(await client.query("missions.get", { missionId: view.id }), f.key).status;
    if (ctx.out.json) return ctx.out.data({ success: true, missionId: view.id, featureId: f.key, status });
    const why = status !== o.status ? `\n  (${o.status} needs a running worker: the mission runs it again)` : "";
    ctx.out.line(`[ok] Feature updated: ${f.key}\n  Status: ${status}${why}\n  Title: ${f.title}`);
  });
}

/**
 * `maestro feature retry|skip M F`
 * @param {Ctx} ctx @param {"retry" | "skip"} action @param {string} m @param {string} f
 */
export async function featureAction(ctx, action, m, f) {
  await withClient(ctx, true, async (client) => {
    const view = await missionView(client, m);
    const feat = feature(view, f);
    await client.mutate(action === "retry" ? "missions.retryFeature" : "missions.skipFeature", {
      missionId: view.id,
      featureKey: feat.key,
    });
    if (ctx.out.json) return ctx.out.data({ success: true, missionId: view.id, featureId: feat.key, action });
    ctx.out.line(`[ok] Feature ${action === "retry" ? "retried" : "skipped"}: ${feat.key}`);
  });
}

/**
 * `maestro validate show M`
 * @param {Ctx} ctx @param {string | undefined} a @param {{ mission?: string }} o
 */
export async function validateShow(ctx, a, o) {
  const ref = missionArg(a, o);
  await withClient(ctx, true, async (client) => {
    const view = await missionView(client, ref);
    if (ctx.out.json)
      return ctx.out.data({ assertions: view.assertions, total: view.assertions.length, assertionCount: view.assertions.length });
    if (view.assertions.length === 0) return ctx.out.line("No assertions (no feature fulfills any).");
    ctx.out.result(
      [
        `${view.assertions.length} assertion(s) (total: ${view.assertions.length})`,
        "",
        table(
          ["ASSERTION", "STATUS", "FEATURES", "SET BY", "EVIDENCE"],
          view.assertions.map((x) => [x.key, x.status, x.features.join(",") || "-", x.setBy ?? "-", oneLine(x.evidence, 60) || "-"]),
        ),
      ].join("\n"),
    );
  });
}

/**
 * An assertion named by its fulfills string or by the reference's `<feature>-assertion-<n>`.
 * @param {MissionView} view @param {string} ref
 */
export function assertionKey(view, ref) {
  if (view.assertions.some((x) => x.key === ref) || view.features.some((f) => f.fulfills.includes(ref))) return ref;
  const m = /^(.+)-assertion-(\d+)$/.exec(ref);
  const byRef = m ? view.features.find((f) => f.key === m[1])?.fulfills[Number(m[2]) - 1] : undefined;
  if (byRef) return byRef;
  throw new CliError(
    `Assertion ${ref} not found in mission ${view.refId} (assertions: ${view.assertions.map((x) => x.key).join(", ") || "none"}).`,
    EXIT.NOT_FOUND,
    "NOT_FOUND",
  );
}

/**
 * `maestro validate update M A --status S [--evidence T]`
 * @param {Ctx} ctx @param {string} a @param {string | undefined} b
 * @param {{ mission?: string, status?: string, result?: string, evidence?: string, reason?: string, by?: string }} o
 */
export async function validateUpdate(ctx, a, b, o) {
  const status = o.status ?? o.result;
  if (!status) throw new CliError("--status (or --result) is required.", EXIT.USAGE, "USAGE");
  if (o.status && o.result && o.status !== o.result) throw new CliError("--status and --result disagree: give one.", EXIT.USAGE, "USAGE");
  if (!ASSERTION_STATUSES.includes(status)) throw new CliError(`--status is one of ${ASSERTION_STATUSES.join(", ")}.`, EXIT.USAGE, "USAGE");
  const evidence = [o.evidence, o.reason].filter(Boolean).join("\n");
  if (status === "waived" && !evidence) throw new CliError("waiving needs a reason: --reason or --evidence.", EXIT.USAGE, "USAGE");
  const { mission, item } = missionAnd(a, b, o, "assertion");
  await withClient(ctx, true, async (client) => {
    const view = await missionView(client, mission);
    const key = assertionKey(view, item);
    await client.mutate("missions.setAssertion", {
      missionId: view.id,
      key,
      status,
      ...(evidence ? { evidence } : {}),
      ...(o.by ? { by: o.by } : {}),
    });
    if (ctx.out.json) return ctx.out.data({ success: true, missionId: view.id, assertion: key, status });
    ctx.out.line(
      [`[ok] Assertion updated: ${key}`, `  Result: ${status}`, ...(evidence ? [`  Evidence: ${oneLine(evidence, 80)}`] : [])].join("\n"),
    );
  });
}

/**
 * `maestro milestone seal M MS`
 * @param {Ctx} ctx @param {string} a @param {string | undefined} b @param {{ mission?: string }} o
 */
export async function milestoneSeal(ctx, a, b, o) {
  const { mission, item } = missionAnd(a, b, o, "milestone");
  await withClient(ctx, true, async (client) => {
    const view = await missionView(client, mission);
    const m = view.milestones.find((x) => x.key === item);
    if (!m)
      throw new CliError(
        `mission ${view.refId} has no milestone ${JSON.stringify(item)} (milestones: ${view.milestones.map((x) => x.key).join(", ")}).`,
        EXIT.NOT_FOUND,
        "NOT_FOUND",
      );
    await client.mutate("missions.sealMilestone", { missionId: view.id, milestoneKey: m.key });
    if (ctx.out.json) return ctx.out.data({ success: true, missionId: view.id, milestone: m.key, sealed: true });
    ctx.out.line(`[ok] ${m.kind === "validation" ? "Gate" : "Milestone"} sealed: ${m.key}\n  Title: ${m.title}\n  Status: sealed`);
  });
}

/**
 * `maestro checkpoint save M [--label L]`
 * @param {Ctx} ctx @param {string | undefined} a @param {{ mission?: string, label?: string }} o
 */
export async function checkpointSave(ctx, a, o) {
  const ref = missionArg(a, o);
  await withClient(ctx, true, async (client) => {
    const row = await findMission(client, ref);
    /** @type {import("../../lib/missions/types").CheckpointView} */
    const cp = await client.mutate("missions.saveCheckpoint", { missionId: row.id, ...(o.label ? { label: o.label } : {}) });
    if (ctx.out.json) return ctx.out.data(cp);
    ctx.out.line(
      `[ok] Checkpoint saved: ${cp.id}\n  Mission: ${row.refId}\n  Timestamp: ${cp.createdAt}${cp.label ? `\n  Label: ${cp.label}` : ""}`,
    );
  });
}

/**
 * `maestro checkpoint list M`
 * @param {Ctx} ctx @param {string | undefined} a @param {{ mission?: string }} o
 */
export async function checkpointList(ctx, a, o) {
  const ref = missionArg(a, o);
  await withClient(ctx, true, async (client) => {
    const row = await findMission(client, ref);
    /** @type {import("../../lib/missions/types").CheckpointView[]} */
    const list = await client.query("missions.checkpoints", { missionId: row.id });
    const newest = [...list].sort((x, y) => y.createdAt.localeCompare(x.createdAt));
    if (ctx.out.json) return ctx.out.data({ mission: { id: row.id, refId: row.refId, title: row.title }, checkpoints: newest });
    if (newest.length === 0) return ctx.out.line(`No checkpoints for mission ${row.refId}.`);
    ctx.out.result(
      [
        `Mission: ${row.title} (${row.refId})`,
        `${newest.length} checkpoint(s) (newest first):`,
        "",
        table(
          ["CHECKPOINT", "REASON", "TIME", "LABEL"],
          newest.map((c) => [c.id, c.reason, c.createdAt, c.label || "-"]),
        ),
      ].join("\n"),
    );
  });
}

/**
 * `maestro checkpoint restore M [CP]` (alias `load`: the newest, as the reference's)
 * @param {Ctx} ctx @param {string | undefined} a @param {string | undefined} cp @param {{ mission?: string }} o
 */
export async function checkpointRestore(ctx, a, cp, o) {
  // `checkpoint restore CP --mission M`: the one positional is the checkpoint.
  const ref = o.mission ?? a;
  const checkpoint = o.mission ? (cp ?? a) : cp;
  if (!ref) throw new CliError("name the mission (its id or its .maestro id), or --mission M.", EXIT.USAGE, "USAGE");
  await withClient(ctx, true, async (client) => {
    const row = await findMission(client, ref);
    /** @type {import("../../lib/missions/types").CheckpointView[]} */
    const list = await client.query("missions.checkpoints", { missionId: row.id });
    const chosen = checkpoint ? list.find((c) => c.id === checkpoint) : [...list].sort((x, y) => y.createdAt.localeCompare(x.createdAt))[0];
    if (!chosen)
      throw new CliError(
        checkpoint ? `no checkpoint ${checkpoint} in mission ${row.refId}.` : `No checkpoints found for mission ${row.refId}`,
        EXIT.NOT_FOUND,
        "NOT_FOUND",
      );
    await client.mutate("missions.restoreCheckpoint", { missionId: row.id, checkpointId: chosen.id });
    if (ctx.out.json) return ctx.out.data({ success: true, checkpoint: chosen });
    ctx.out.line(`[ok] Checkpoint restored: ${chosen.id}\n  Mission: ${row.refId}\n  Timestamp: ${chosen.createdAt}`);
  });
}

/**
 * One text frame of the reference's dashboard, from its snapshot.
 * @param {any} s
 */
export function previewOf(s) {
  if (s.mode === "home")
    return ["Mission Control", "", s.home?.headline ?? "", s.home?.summary ?? "", "", `Pending handoffs: ${s.pendingHandoffs.length}`].join(
      "\n",
    );
  const secs = Math.round(s.elapsedMs / 1000);
  const elapsed =
    secs < 60
      ? `${secs}s`
      : secs < 3600
        ? `${Math.floor(secs / 60)}m ${secs % 60}s`
        : `${Math.floor(secs / 3600)}h ${Math.floor(secs / 60) % 60}m`;
  return [
    `Mission Control — ${s.missionTitle} (${s.missionId})`,
    `Status: ${s.missionStatus}${s.effectiveStatus !== s.missionStatus ? ` (effective: ${s.effectiveStatus})` : ""}  Elapsed: ${elapsed}`,
    `Features: ${s.featureProgress.done}/${s.featureProgress.total} done, ${s.featureProgress.active} active, ${s.statusProgress.blocked} blocked (${s.statusProgress.completionPct}%)`,
    ...(s.gateLabel ? [`Gate: ${s.gateLabel}`] : []),
    "",
    "Milestones:",
    .../** @type {any[]} */ (s.milestones).map(
      (m, i) => `  ${i + 1}. [${m.kind === "gate" ? "GATE" : "WORK"}] ${m.id}  ${String(m.status).padEnd(10)}  ${m.title}`,
    ),
    "",
    "Features:",
    .../** @type {any[]} */ (s.features).map(
      (f) =>
        `  ${String(f.id).padEnd(20)}  ${String(f.status).padEnd(12)}  ${String(f.title).slice(0, 40).padEnd(40)}  [${f.milestoneId}]${f.blockedByLabel ? `  ${f.blockedByLabel}` : ""}`,
    ),
    "",
    `Pending handoffs: ${s.pendingHandoffs.length}`,
  ].join("\n");
}

/**
 * `maestro mission-control [--json | --preview] [--mission M] [--agent A]`
 * @param {Ctx} ctx @param {{ agent?: string, mission?: string, preview?: boolean }} o
 */
export async function missionControl(ctx, o) {
  if (ctx.out.json && o.preview) throw new CliError("Choose either --json or --preview", EXIT.USAGE, "USAGE");
  if (!ctx.out.json && !o.preview)
    throw new CliError("mission-control is read-only here: add --json or --preview (the app shows it live).", EXIT.USAGE, "USAGE");
  await withClient(ctx, true, async (client) => {
    const agentId = o.agent ? (await findAgent(client, o.agent)).id : undefined;
    /** @type {any} */
    let snap = await client.query("missions.missionControl", agentId ? { agentId } : undefined);
    if (o.mission && snap?.missionId !== o.mission) {
      const row = await findMission(client, o.mission, o.agent);
      if (snap?.missionId !== row.refId) snap = await client.query("missions.missionControl", { agentId: row.agentId });
      if (snap?.missionId !== row.refId)
        throw new CliError(
          `mission-control shows the newest executing or paused mission of a project; ${row.refId} is not it.`,
          EXIT.NOT_FOUND,
          "NOT_FOUND",
        );
    }
    if (ctx.out.json) return ctx.out.data(snap);
    ctx.out.result(previewOf(snap));
  });
}
