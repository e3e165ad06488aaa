// @ts-check
import { CliError, EXIT } from "../exit-codes.mjs";
import { findAgent } from "./data.mjs";

/** @typedef {import("../client.mjs").Client} Client */
/** @typedef {import("./data.mjs").AgentRow & { parentId?: string | null }} AgentLink */
/**
 * @typedef {{ id: string, refId: string, agentId: string, agentName: string, title: string, status: string,
 *   statusDetail: string, counts: Record<string, number>, updatedAt: string }} MissionRow
 */

/** The project agent: `--agent`, else the agent this runs inside ($MAESTRO_AGENT_ID). @param {Client} client @param {string | undefined} ref */
export async function projectAgent(client, ref) {
  const chosen = ref ?? (process.env.MAESTRO_AGENT_ID || undefined);
  if (!chosen) throw new CliError("name the project agent with --agent (inside an agent it defaults to that agent).", EXIT.USAGE, "USAGE");
  return findAgent(client, chosen);
}

/**
 * The project a command works in: `--agent`, else the agent it runs inside ($MAESTRO_AGENT_ID, while
 * that agent exists). Its folder is the project's as the server reckons it (handoffs.ts
 * projectFolder): a worktree agent's is its parent's. Null outside any agent.
 * @param {Client} client
 * @param {string | undefined} agentRef
 */
async function projectScope(client, agentRef) {
  /** @type {AgentLink[]} */
  const agents = await client.query("agents.list");
  const byId = new Map(agents.map((a) => [a.id, a]));
  /** @param {string} id */
  const folderOf = (id) => {
    const a = byId.get(id);
    return a ? ((a.parentId ? byId.get(a.parentId)?.folder : undefined) ?? a.folder) : undefined;
  };
  const env = process.env.MAESTRO_AGENT_ID || undefined;
  const me = agentRef ? await findAgent(client, agentRef) : env ? byId.get(env) : undefined;
  return { folderOf, agents: byId, agent: me ?? null, folder: me ? folderOf(me.id) : undefined };
}

/**
 * The mission a command names, and the project agent it was looked up in. A mission's id is one
 * mission wherever it is; a `.maestro/` id (numbered per project, so `…-001` is in every project)
 * or an id prefix is looked up in the current project (`--agent`, else $MAESTRO_AGENT_ID), and
 * outside any project it must name one mission only. Not found is exit 4, ambiguous exit 2.
 * @param {Client} client
 * @param {string} ref
 * @param {string | undefined} [agentRef] the command's `--agent`
 * @returns {Promise<{ mission: MissionRow, agent: AgentLink | null }>}
 */
export async function findMissionIn(client, ref, agentRef) {
  const [missions, scope] = await Promise.all([
    /** @type {Promise<MissionRow[]>} */ (client.query("missions.list")),
    projectScope(client, agentRef),
  ]);
  const found = (/** @type {MissionRow} */ mission) => ({ mission, agent: scope.agent });
  const byId = missions.find((m) => m.id === ref);
  if (byId) return found(byId);
  const here = scope.folder ? missions.filter((m) => scope.folderOf(m.agentId) === scope.folder) : missions;
  /** @param {MissionRow[]} rows */
  const named = (rows) => rows.map((m) => `${m.refId} of ${m.agentName} (${m.id})`).join(", ");
  const exact = here.filter((m) => m.refId === ref);
  if (exact.length === 1) return found(/** @type {MissionRow} */ (exact[0]));
  if (exact.length > 1)
    throw new CliError(
      `${JSON.stringify(ref)} names ${exact.length} missions in different projects: ${named(exact)}. Use the mission's id, or run it with the project's --agent.`,
      EXIT.USAGE,
      "AMBIGUOUS",
    );
  const prefixed = here.filter((m) => m.id.startsWith(ref));
  if (prefixed.length === 1 && ref.length >= 4) return found(/** @type {MissionRow} */ (prefixed[0]));
  if (prefixed.length > 1)
    throw new CliError(
      `${JSON.stringify(ref)} names ${prefixed.length} missions: ${named(prefixed)}. Use the id.`,
      EXIT.USAGE,
      "AMBIGUOUS",
    );
  const elsewhere = scope.folder ? missions.filter((m) => m.refId === ref) : [];
  if (elsewhere.length > 0)
    throw new CliError(
      `no mission ${JSON.stringify(ref)} in ${scope.agent?.name}'s project; other projects have ${named(elsewhere)}: use its id.`,
      EXIT.NOT_FOUND,
      "MISSION_NOT_FOUND",
    );
  throw new CliError(`no mission ${JSON.stringify(ref)}. \`maestro mission list\` shows them.`, EXIT.NOT_FOUND, "MISSION_NOT_FOUND");
}

/**
 * The mission a command names (findMissionIn).
 * @param {Client} client
 * @param {string} ref
 * @param {string | undefined} [agentRef] the command's `--agent`
 * @returns {Promise<MissionRow>}
 */
export async function findMission(client, ref, agentRef) {
  return (await findMissionIn(client, ref, agentRef)).mission;
}
