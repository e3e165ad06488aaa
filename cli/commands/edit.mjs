// @ts-check
import path from "node:path";
import { CliError, EXIT } from "../exit-codes.mjs";
import { resolveByRef } from "./agents.mjs";
import { findAgent, withClient } from "./data.mjs";

/** @typedef {import("../program/define.mjs").Ctx} Ctx */
/** @typedef {import("../client.mjs").Client} Client */

/**
 * A group by id, name or id prefix; `none` (for update-agent) is no group.
 * @param {Client} client
 * @param {string} ref
 */
async function findGroup(client, ref) {
  return resolveByRef(await client.query("groups.list"), ref, "group");
}

/**
 * The provider ids the bridge knows; one it knows but cannot find installed is a warning, not an
 * error (the agent can be created before the CLI is installed).
 * @param {Ctx} ctx
 * @param {Client} client
 * @param {string} id
 */
async function checkProvider(ctx, client, id) {
  /** @type {{ id: string, label: string, installed: boolean, install?: string }[]} */
  const providers = await client.query("providers.detect", {});
  const found = providers.find((p) => p.id === id);
  if (!found) {
    throw new CliError(`--provider ${JSON.stringify(id)} is not one of ${providers.map((p) => p.id).join(", ")}.`, EXIT.USAGE, "USAGE");
  }
  if (!found.installed)
    process.stderr.write(`maestro: warning: ${found.label} is not installed here (${found.install ?? "see maestro doctor"}).\n`);
}

/**
 * Sets the agent's model (an empty string clears it), keeping its other settings.
 * @param {Client} client
 * @param {string} agentId
 * @param {string} model
 */
async function setModel(client, agentId, model) {
  const settings = await client.query("agents.settings", { id: agentId });
  const next = { ...settings };
  if (model.trim()) next.model = model.trim();
  else delete next.model;
  await client.mutate("agents.updateSettings", { id: agentId, settings: next });
}

/**
 * The agent as the change left it, for `--json` and the confirmation line.
 * @param {Ctx} ctx
 * @param {Record<string, unknown>} json
 * @param {string} line
 */
function done(ctx, json, line) {
  if (ctx.out.json) ctx.out.data({ success: true, ...json });
  else ctx.out.line(line);
}

/**
 * `maestro create-agent NAME --path DIR --provider ID [--group G] [--model M]`
 * @param {Ctx} ctx
 * @param {string} name
 * @param {{ path: string, provider: string, group?: string, model?: string }} o
 */
export async function createAgent(ctx, name, o) {
  const folder = path.resolve(o.path);
  await withClient(ctx, true, async (client) => {
    await checkProvider(ctx, client, o.provider);
    const group = o.group === undefined ? null : await findGroup(client, o.group);
    const agent = await client.mutate("agents.create", { name, folder, provider: o.provider, groupId: group?.id ?? null });
    if (o.model) await setModel(client, agent.id, o.model);
    done(
      ctx,
      { agentId: agent.id, name: agent.name, provider: agent.provider, type: agent.provider, folder: agent.folder, groupId: agent.groupId },
      `Created agent ${agent.name} (${agent.id}) in ${agent.folder}.`,
    );
  });
}

/**
 * `maestro update-agent AGENT [--name N] [--group G|none] [--provider ID] [--model M]`
 * @param {Ctx} ctx
 * @param {string} ref
 * @param {{ name?: string, group?: string, provider?: string, model?: string }} o
 */
export async function updateAgent(ctx, ref, o) {
  if (o.name === undefined && o.group === undefined && o.provider === undefined && o.model === undefined) {
    throw new CliError("nothing to change: give --name, --group, --provider or --model.", EXIT.USAGE, "USAGE");
  }
  await withClient(ctx, true, async (client) => {
    const agent = await findAgent(client, ref);
    /** @type {string[]} */
    const changed = [];
    if (o.provider !== undefined && o.provider !== agent.provider) {
      await checkProvider(ctx, client, o.provider);
      await client.mutate("agents.setProvider", { id: agent.id, provider: o.provider });
      changed.push(`provider ${o.provider}`);
    }
    if (o.group !== undefined) {
      const group = o.group.toLowerCase() === "none" ? null : await findGroup(client, o.group);
      await client.mutate("agents.move", { id: agent.id, groupId: group?.id ?? null });
      changed.push(group ? `group ${group.name}` : "no group");
    }
    if (o.model !== undefined) {
      await setModel(client, agent.id, o.model);
      changed.push(o.model.trim() ? `model ${o.model.trim()}` : "default model");
    }
    if (o.name !== undefined) {
      await client.mutate("agents.rename", { id: agent.id, name: o.name });
      changed.push(`name ${o.name.trim()}`);
    }
    const now = await client.query("agents.byId", { id: agent.id });
    done(
      ctx,
      { agentId: now.id, name: now.name, provider: now.provider, groupId: now.groupId },
      `Updated ${agent.name}: ${changed.join(", ")}.`,
    );
  });
}

/**
 * `maestro rename-agent AGENT NAME`
 * @param {Ctx} ctx
 * @param {string} ref
 * @param {string} name
 */
export async function renameAgent(ctx, ref, name) {
  await withClient(ctx, true, async (client) => {
    const agent = await findAgent(client, ref);
    const renamed = await client.mutate("agents.rename", { id: agent.id, name });
    done(ctx, { agentId: renamed.id, name: renamed.name }, `Renamed ${agent.name} to ${renamed.name}.`);
  });
}

/**
 * Asks on the terminal; false on anything but y/yes.
 * @param {string} question
 */
async function confirm(question) {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/**
 * `maestro remove-agent AGENT [--yes]`: needs an exact id, a name, or 4+ characters of the id;
 * asks on a terminal, and refuses without --yes when nobody can be asked.
 * @param {Ctx} ctx
 * @param {string} ref
 * @param {{ yes?: boolean }} o
 */
export async function removeAgent(ctx, ref, o) {
  await withClient(ctx, true, async (client) => {
    const agent = await findAgent(client, ref, { minPrefix: 4 });
    if (!o.yes) {
      if (!process.stdin.isTTY) {
        throw new CliError(`remove-agent deletes ${agent.name} with its tabs and playbooks: pass --yes to confirm.`, EXIT.USAGE, "USAGE");
      }
      if (!(await confirm(`Remove ${agent.name} (${agent.id}) with its tabs and playbooks? Its folder stays.`))) {
        throw new CliError("not removed.", EXIT.FAILED, "CANCELLED");
      }
    }
    await client.mutate("agents.remove", { id: agent.id });
    done(ctx, { agentId: agent.id, name: agent.name }, `Removed ${agent.name} (${agent.id}).`);
  });
}

/**
 * `maestro bookmark AGENT [--off]`
 * @param {Ctx} ctx
 * @param {string} ref
 * @param {{ off?: boolean }} o
 */
export async function bookmark(ctx, ref, o) {
  await withClient(ctx, true, async (client) => {
    const agent = await findAgent(client, ref);
    const updated = await client.mutate("agents.bookmark", { id: agent.id, bookmarked: !o.off });
    done(ctx, { agentId: updated.id, bookmarked: updated.bookmarked }, `${o.off ? "Unbookmarked" : "Bookmarked"} ${agent.name}.`);
  });
}

/**
 * `maestro create-group NAME`
 * @param {Ctx} ctx
 * @param {string} name
 */
export async function createGroup(ctx, name) {
  await withClient(ctx, true, async (client) => {
    const group = await client.mutate("groups.create", { name });
    done(ctx, { groupId: group.id, name: group.name }, `Created group ${group.name} (${group.id}).`);
  });
}
