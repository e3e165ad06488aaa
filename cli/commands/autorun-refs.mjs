// @ts-check
import fs from "node:fs";
import path from "node:path";
import { CliError, EXIT } from "../exit-codes.mjs";
import { resolveByRef } from "./agents.mjs";

/** The Auto Run folder when an agent's settings name none (lib/autorun/documents.ts DEFAULT_AUTORUN_FOLDER). */
const DEFAULT_AUTORUN_FOLDER = ".maestro/playbooks";

/**
 * @typedef {import("../client.mjs").Client} Client
 * @typedef {{ id: string, name: string, folder: string, provider: string }} AgentRef
 * @typedef {{ id: string, agentId: string, name: string, config: { documents: { filename: string, resetOnCompletion: boolean }[],
 *   loopEnabled: boolean, maxLoops: number | null, prompt: string }, createdAt: string, updatedAt: string }} Playbook
 */

/**
 * An agent by id, unique id prefix or name (exit 4 when none, 2 when several).
 * @param {Client} client
 * @param {string} ref
 * @returns {Promise<AgentRef>}
 */
export async function resolveAgent(client, ref) {
  return resolveByRef(/** @type {AgentRef[]} */ (await client.query("agents.list")), ref, "agent");
}

/**
 * A playbook by id, unique id prefix or name.
 * @param {Client} client
 * @param {string} ref
 * @returns {Promise<Playbook>}
 */
export async function resolvePlaybook(client, ref) {
  return resolveByRef(/** @type {Playbook[]} */ (await client.query("playbooks.list", {})), ref, "playbook");
}

/**
 * The agent's active run (running, paused or stopping), or exit 4 saying it has none.
 * @param {Client} client
 * @param {AgentRef} agent
 * @returns {Promise<{ id: string, status: string, name: string, pauseKind: string | null }>}
 */
export async function activeRun(client, agent) {
  const runs = await client.query("autorun.list", { agentId: agent.id, active: true });
  if (!runs.length) throw new CliError(`${agent.name} has no active Auto Run.`, EXIT.NOT_FOUND, "NO_ACTIVE_RUN");
  return runs[0];
}

/**
 * The agent's Auto Run folder on this machine (local modes only: a remote bridge's folders are
 * not here).
 * @param {Client} client
 * @param {AgentRef} agent
 */
export async function autorunFolder(client, agent) {
  const settings = await client.query("agents.settings", { id: agent.id });
  return path.resolve(agent.folder, settings?.autorunFolder || DEFAULT_AUTORUN_FOLDER);
}

/** @param {string} p */
const real = (p) => {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
};

/**
 * The documents as the run names them: relative to the agent's Auto Run folder, with `/`. A name
 * that is a file there is taken as is (desktop looks there first); else a path from here (or an
 * absolute one) must lead inside that folder, or it is a usage error naming the folder. Anything
 * else goes to the bridge as written, which confines and finds it (or says it is missing).
 * @param {Client} client
 * @param {AgentRef} agent
 * @param {string[]} docs
 * @returns {Promise<string[]>}
 */
export async function documentNames(client, agent, docs) {
  if (client.mode === "remote") return docs;
  const folder = real(await autorunFolder(client, agent));
  return docs.map((doc) => {
    const inFolder = [doc, `${doc}.md`].some((d) => !path.isAbsolute(d) && isFile(path.join(folder, d)));
    if (inFolder) return doc.split(path.sep).join("/");
    const here = path.resolve(doc);
    if (!path.isAbsolute(doc) && !isFile(here) && !isFile(`${here}.md`)) return doc.split(path.sep).join("/");
    const rel = path.relative(folder, real(isFile(here) ? here : `${here}.md`));
    if (!rel || rel.startsWith("..") || path.isAbsolute(rel)) {
      throw new CliError(
        `${doc} is not inside ${agent.name}'s Auto Run folder (${folder}). Move or copy it there, or name a document of that folder.`,
        EXIT.USAGE,
        "DOCUMENT_OUTSIDE_FOLDER",
      );
    }
    return rel.split(path.sep).join("/");
  });
}

/** @param {string} p */
function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * A run by id or unique id prefix, among the newest 200.
 * @param {Client} client
 * @param {string} ref
 * @returns {Promise<{ id: string }>}
 */
export async function resolveRun(client, ref) {
  /** @type {{ id: string, name: string }[]} */
  const runs = await client.query("autorun.list", { limit: 200 });
  const exact = runs.find((r) => r.id === ref);
  if (exact) return exact;
  const found = ref ? runs.filter((r) => r.id.startsWith(ref)) : [];
  if (found.length === 1) return /** @type {{ id: string }} */ (found[0]);
  if (found.length > 1) {
    throw new CliError(`${JSON.stringify(ref)} starts ${found.length} run ids. Give more of the id.`, EXIT.USAGE, "AMBIGUOUS");
  }
  // Older than the newest 200, or not there at all: the bridge says which.
  return { id: ref };
}
