// @ts-check
import { CliError, EXIT } from "../exit-codes.mjs";
import { table } from "../output.mjs";
import { findAgent, oneLine, withClient } from "./data.mjs";
import { findMission, findMissionIn, projectAgent } from "./mission-find.mjs";

/** @typedef {import("../program/define.mjs").Ctx} Ctx */
/** @typedef {import("../../lib/missions/types").HandoffView} HandoffView */

/** The reference's paste preamble (src/features/handoff/commands/handoff.command.ts), word for word. */
export const PASTE_PREAMBLE =
  "Use the following UKI as the canonical handoff packet. Interpret each block literally and continue from NEXT_ACTION.";

/** @param {string | undefined} text @param {string} flag */
function confidence(text, flag) {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new CliError(`${flag} takes a number ≥ 0, e.g. 0.9.`, EXIT.USAGE, "USAGE");
  return n;
}

/**
 * The handoff's fields from `handoff create`'s flags, named as the reference names them.
 * @param {Record<string, any>} o
 * @param {{ missionRefId?: string, featureKey?: string }} refs
 */
export function fieldsFromFlags(o, refs) {
  const mode = o.mode ?? "execute";
  if (mode !== "plan" && mode !== "execute") throw new CliError(`Invalid --mode: ${mode} (plan or execute).`, EXIT.USAGE, "USAGE");
  if (!o.summary?.trim()) throw new CliError("--summary is required: one line on what was done.", EXIT.USAGE, "USAGE");
  if (!o.nextAction?.trim()) throw new CliError("--next-action is required: what should happen next.", EXIT.USAGE, "USAGE");
  const work = confidence(o.confidenceWork, "--confidence-work");
  const summary = confidence(o.confidenceSummary, "--confidence-summary");
  if (work === undefined && summary === undefined)
    throw new CliError("At least one of --confidence-work or --confidence-summary is required.", EXIT.USAGE, "USAGE");
  const maestroRefs = Object.fromEntries(
    /** @type {[string, string | undefined][]} */ ([
      ["missionId", refs.missionRefId],
      ["featureId", refs.featureKey],
      ["milestoneId", o.milestoneId],
      ["planPath", o.planRef],
      ["specPath", o.specRef],
    ]).filter(([, v]) => v),
  );
  /** @type {Record<string, unknown>} */
  const fields = {
    mode,
    ...(o.currentState ? { currentState: o.currentState } : {}),
    sessionCore: o.sessionCore ?? refs.featureKey ?? o.summary.trim().slice(0, 60),
    decisions: o.decision ?? [],
    artifacts: o.artifact ?? [],
    readMore: o.readMore ?? [],
    nextAction: o.nextAction,
    summary: o.summary,
    maestroRefs,
    cs: { ...(work !== undefined ? { work } : {}), ...(summary !== undefined ? { summary } : {}) },
    signalDelta: o.signal ?? [],
    boundaryState: o.boundary ?? [],
    risks: o.risk ?? [],
    ...(o.blindSpot ? { blindSpot: o.blindSpot } : {}),
    ...(o.metaphor ? { metaphor: o.metaphor } : {}),
    causalDrivers: o.driver ?? [],
    divergences: o.divergence ?? [],
    ...(o.assumption ? { assumptions: o.assumption } : {}),
    touchedFiles: o.touchedFile ?? [],
    completedWork: o.completed ?? [],
    validation: o.validation ?? [],
    planPaths: o.planPathItem ?? [],
    maestroSync: o.maestroSync ?? [],
  };
  return fields;
}

/**
 * Inside a mission's worker ($MAESTRO_AGENT_ID is its worktree agent): the mission and feature it
 * works on, so a bare `handoff create` lands on that feature.
 * @param {import("../client.mjs").Client} client
 * @returns {Promise<{ mission: import("./mission-find.mjs").MissionRow, featureKey: string } | null>}
 */
async function workerFeature(client) {
  const me = process.env.MAESTRO_AGENT_ID;
  if (!me) return null;
  /** @type {import("./mission-find.mjs").MissionRow[]} */
  const missions = await client.query("missions.list");
  for (const m of missions.filter((x) => x.status === "executing" || x.status === "paused")) {
    /** @type {import("../../lib/missions/types").MissionView} */
    const view = await client.query("missions.get", { missionId: m.id });
    const f = view.features.find((x) => x.worktreeAgentId === me && (x.status === "in-progress" || x.status === "review"));
    if (f) return { mission: m, featureKey: f.key };
  }
  return null;
}

/** @param {Ctx} ctx @param {HandoffView} h @param {{ uki?: boolean, paste?: boolean }} o */
function printHandoff(ctx, h, o) {
  if (ctx.out.json) return ctx.out.data(h);
  if (o.paste) return ctx.out.result(`${PASTE_PREAMBLE}\n\n${h.uki}`);
  ctx.out.result(h.uki);
}

/**
 * `maestro handoff create … [--uki | --paste]`
 * @param {Ctx} ctx @param {Record<string, any>} o
 */
export async function handoffCreate(ctx, o) {
  if ([ctx.out.json, o.uki, o.paste].filter(Boolean).length > 1)
    throw new CliError("--json, --uki, and --paste are mutually exclusive", EXIT.USAGE, "USAGE");
  const missionRef = o.mission ?? o.missionId;
  const featureKey = o.feature ?? o.featureId;
  if (featureKey && !missionRef) throw new CliError("--feature needs --mission.", EXIT.USAGE, "USAGE");
  fieldsFromFlags(o, {});
  await withClient(ctx, true, async (client) => {
    const inferred = !missionRef && !o.agent ? await workerFeature(client) : null;
    const named = missionRef ? await findMissionIn(client, missionRef, o.agent) : null;
    const mission = named?.mission ?? inferred?.mission ?? null;
    const feature = featureKey ?? inferred?.featureKey;
    // With the mission named, the project it was looked up in goes too: the bridge refuses a pair of two projects.
    const agentId = named ? named.agent?.id : mission ? undefined : (await projectAgent(client, o.agent)).id;
    const fields = fieldsFromFlags(o, { missionRefId: mission?.refId, featureKey: feature });
    /** @type {HandoffView} */
    const h = await client.mutate("handoffs.create", {
      ...(agentId ? { agentId } : {}),
      ...(mission ? { missionId: mission.id } : {}),
      ...(feature ? { featureKey: feature } : {}),
      fields,
    });
    if (ctx.out.json || o.uki || o.paste) return printHandoff(ctx, h, o);
    ctx.out.result(
      [
        `[ok] Handoff created: ${h.id}`,
        `  Mode: ${fields.mode}`,
        `  Agent: ${o.agent ?? process.env.MAESTRO_AGENT_ID ?? "cli"}`,
        "  Session: none",
        `  Status: ${h.status}`,
        "",
        "UKI v5.4 string:",
        h.uki,
      ].join("\n"),
    );
  });
}

/**
 * `maestro handoff list [--agent A] [--mission M] [--status S]`
 * @param {Ctx} ctx @param {{ agent?: string, mission?: string, status?: string }} o
 */
export async function handoffList(ctx, o) {
  if (o.status && !["pending", "picked-up", "completed"].includes(o.status))
    throw new CliError("--status is one of pending, picked-up, completed.", EXIT.USAGE, "USAGE");
  await withClient(ctx, true, async (client) => {
    const agentId = o.agent ? (await findAgent(client, o.agent)).id : undefined;
    const missionId = o.mission ? (await findMission(client, o.mission, o.agent)).id : undefined;
    /** @type {HandoffView[]} */
    const list = await client.query("handoffs.list", {
      ...(agentId ? { agentId } : {}),
      ...(missionId ? { missionId } : {}),
      ...(o.status ? { status: o.status } : {}),
    });
    const newest = [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    if (ctx.out.json) return ctx.out.data(newest);
    if (newest.length === 0) return ctx.out.line("No handoffs.");
    ctx.out.result(
      [
        `${newest.length} handoff(s)`,
        "",
        table(
          ["HANDOFF", "STATUS", "MODE", "FEATURE", "SUMMARY"],
          newest.map((h) => [
            h.id,
            h.status,
            String(h.fields.mode ?? "execute"),
            h.featureKey ?? "-",
            oneLine(String(h.fields.summary ?? ""), 60),
          ]),
        ),
      ].join("\n"),
    );
  });
}

/**
 * `maestro handoff show ID [--paste]`
 * @param {Ctx} ctx @param {string} id @param {{ paste?: boolean }} o
 */
export async function handoffShow(ctx, id, o) {
  await withClient(ctx, true, async (client) => printHandoff(ctx, await client.query("handoffs.get", { handoffId: id }), o));
}

/**
 * `maestro handoff pickup [ID] [--claim --agent A] [--paste]`: the newest pending one without an id.
 * @param {Ctx} ctx @param {string | undefined} id @param {{ id?: string, claim?: boolean, agent?: string, paste?: boolean }} o
 */
export async function handoffPickup(ctx, id, o) {
  if (ctx.out.json && o.paste) throw new CliError("--json and --paste are mutually exclusive", EXIT.USAGE, "USAGE");
  await withClient(ctx, true, async (client) => {
    let chosen = id ?? o.id;
    if (!chosen) {
      /** @type {HandoffView[]} */
      const pending = await client.query("handoffs.list", { status: "pending" });
      const newest = [...pending].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))[0];
      if (!newest) throw new CliError("No pending handoffs to pick up", EXIT.NOT_FOUND, "NOT_FOUND");
      chosen = newest.id;
    }
    const agent = o.agent ?? process.env.MAESTRO_AGENT_ID;
    /** @type {HandoffView} */
    const h = o.claim
      ? await client.mutate("handoffs.claim", { handoffId: chosen, agent: agent ?? "cli" })
      : await client.mutate("handoffs.pickup", { handoffId: chosen });
    printHandoff(ctx, h, o);
  });
}

/**
 * `maestro handoff claim ID --agent A` / `maestro handoff complete ID`
 * @param {Ctx} ctx @param {"claim" | "complete"} action @param {string} id @param {{ agent?: string }} o
 */
export async function handoffSet(ctx, action, id, o) {
  await withClient(ctx, true, async (client) => {
    /** @type {HandoffView} */
    const h = await client.mutate(`handoffs.${action}`, action === "claim" ? { handoffId: id, agent: o.agent } : { handoffId: id });
    if (ctx.out.json) return ctx.out.data(h);
    ctx.out.line(`[ok] Handoff ${action === "claim" ? `claimed by ${h.claimedBy}` : "completed"}: ${h.id}\n  Status: ${h.status}`);
  });
}

/**
 * `maestro handoff import UKI [--agent A] [--mission M]`
 * @param {Ctx} ctx @param {string} uki @param {{ agent?: string, mission?: string }} o
 */
export async function handoffImport(ctx, uki, o) {
  let text = uki;
  if (uki === "-") {
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    text = Buffer.concat(chunks).toString("utf8");
  }
  if (!text.trim()) throw new CliError("the UKI string is empty.", EXIT.USAGE, "USAGE");
  await withClient(ctx, true, async (client) => {
    const named = o.mission ? await findMissionIn(client, o.mission, o.agent) : null;
    const agentId = named ? (named.agent?.id ?? named.mission.agentId) : (await projectAgent(client, o.agent)).id;
    /** @type {HandoffView} */
    const h = await client.mutate("handoffs.importUki", { agentId, uki: text, ...(named ? { missionId: named.mission.id } : {}) });
    if (ctx.out.json) return ctx.out.data(h);
    ctx.out.line(`[ok] Handoff imported: ${h.id}\n  Summary: ${oneLine(String(h.fields.summary ?? ""), 100)}\n  Status: ${h.status}`);
  });
}
