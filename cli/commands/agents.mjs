// @ts-check
import { CliError, EXIT } from "../exit-codes.mjs";
import { table } from "../output.mjs";
import { withClient } from "./data.mjs";

/**
 * @typedef {{ id: string, name: string, folder: string, provider: string, groupId: string | null,
 *   bookmarked: boolean, status: string, statusDetail?: string | null, lastActivity?: string | null,
 *   createdAt?: string, updatedAt?: string, parentId?: string | null, worktreeBranch?: string | null,
 *   worktreeBaseBranch?: string | null }} Agent
 * @typedef {{ id: string, name: string, collapsed: boolean, sortOrder?: number }} Group
 */

/** Desktop maestro-cli's `toolType` for our provider ids, so scripts written for desktop read ours. */
const TOOL_TYPES = /** @type {Record<string, string>} */ ({ claude: "claude-code", gemini: "gemini-cli" });

/**
 * An agent in `--json`: our fields plus desktop's twins (`toolType` for `provider`, `cwd` for `folder`).
 * @param {Agent} a
 * @param {Map<string, Group>} groups
 */
export function agentJson(a, groups) {
  return {
    id: a.id,
    name: a.name,
    provider: a.provider,
    toolType: TOOL_TYPES[a.provider] ?? a.provider,
    folder: a.folder,
    cwd: a.folder,
    groupId: a.groupId,
    groupName: a.groupId ? (groups.get(a.groupId)?.name ?? null) : null,
    bookmarked: a.bookmarked,
    status: a.status,
    statusDetail: a.statusDetail ?? null,
    lastActivity: a.lastActivity ?? null,
    createdAt: a.createdAt ?? null,
    parentId: a.parentId ?? null,
    worktreeBranch: a.worktreeBranch ?? null,
  };
}

/** The shortest id prefix a destructive command accepts (`remove-agent c` must not pick the only agent). */
export const DESTRUCTIVE_MIN_PREFIX = 4;

/** A name as compared: NFC (a terminal may type "é" decomposed) and case-insensitive. @param {string} s */
const nameKey = (s) => s.normalize("NFC").toLowerCase();

/**
 * Finds one item by exact id, then exact name (NFC, case-insensitive), then unique id prefix.
 * Ambiguity is a usage error (exit 2) that lists the candidates; no match is exit 4. With
 * `minPrefix` (DESTRUCTIVE_MIN_PREFIX for commands that delete or overwrite), a shorter prefix is
 * a usage error even when it matches one item.
 * @template {{ id: string, name: string }} T
 * @param {T[]} items
 * @param {string} ref
 * @param {string} kind "agent" | "group"
 * @param {{ minPrefix?: number }} [options]
 * @returns {T}
 */
export function resolveByRef(items, ref, kind, options = {}) {
  const byId = items.find((i) => i.id === ref);
  if (byId) return byId;
  const key = nameKey(ref);
  const named = items.filter((i) => nameKey(i.name) === key);
  const prefixed = named.length > 0 || !ref ? [] : items.filter((i) => i.id.startsWith(ref));
  if (prefixed.length > 0 && ref.length < (options.minPrefix ?? 1)) {
    throw new CliError(
      `${JSON.stringify(ref)} is too short an id prefix here: give at least ${options.minPrefix} characters, the full id, or the name.`,
      EXIT.USAGE,
      "USAGE",
    );
  }
  const candidates = named.length > 0 ? named : prefixed;
  if (candidates.length === 1) return /** @type {T} */ (candidates[0]);
  if (candidates.length > 1) {
    const list = candidates.map((c) => `${c.name} (${c.id})`).join(", ");
    throw new CliError(`${JSON.stringify(ref)} names ${candidates.length} ${kind}s: ${list}. Use the id.`, EXIT.USAGE, "AMBIGUOUS");
  }
  throw new CliError(`no ${kind} ${JSON.stringify(ref)}. \`maestro list ${kind}s\` shows them.`, EXIT.NOT_FOUND, "NOT_FOUND");
}

/** @param {import("../client.mjs").Client} client */
async function agentsAndGroups(client) {
  /** @type {[Agent[], Group[]]} */
  const [agents, groups] = await Promise.all([client.query("agents.list"), client.query("groups.list")]);
  return { agents, groups, groupById: new Map(groups.map((g) => [g.id, g])) };
}

/**
 * `maestro list agents [--group G]`
 * @param {import("../main.mjs").Ctx} ctx
 * @param {string | undefined} groupRef
 */
export async function listAgents(ctx, groupRef) {
  const { agents, groups, groupById } = await withClient(ctx, true, agentsAndGroups);
  const group = groupRef === undefined ? null : resolveByRef(groups, groupRef, "group");
  const shown = group ? agents.filter((a) => a.groupId === group.id) : agents;
  if (ctx.out.json) return ctx.out.data(shown.map((a) => agentJson(a, groupById)));
  if (shown.length === 0) return ctx.out.result(group ? `No agents in ${group.name}.` : "No agents yet.");
  ctx.out.result(
    table(
      ["ID", "NAME", "PROVIDER", "STATUS", "GROUP", "FOLDER"],
      shown.map((a) => [a.id, a.name, a.provider, a.status, a.groupId ? (groupById.get(a.groupId)?.name ?? "") : "", a.folder]),
    ),
  );
}

/** `maestro list groups` @param {import("../main.mjs").Ctx} ctx */
export async function listGroups(ctx) {
  const { agents, groups } = await withClient(ctx, true, agentsAndGroups);
  const count = (/** @type {string} */ id) => agents.filter((a) => a.groupId === id).length;
  const rows = groups.map((g) => ({ id: g.id, name: g.name, collapsed: g.collapsed, agents: count(g.id) }));
  if (ctx.out.json) return ctx.out.data(rows);
  if (rows.length === 0) return ctx.out.result("No groups yet.");
  ctx.out.result(
    table(
      ["ID", "NAME", "AGENTS"],
      rows.map((g) => [g.id, g.name, String(g.agents)]),
    ),
  );
}

const RECENT = 10;

/**
 * The agent's History in `show agent --json`: totals and the newest entries, each with our field
 * and desktop's twin (`kind`/`type`, `createdAt`/`timestamp`, `durationMs`/`elapsedTimeMs`,
 * `costUsd`/`cost`; stats as desktop names them).
 * @param {{ count: number, succeeded: number, inputTokens: number, outputTokens: number, costUsd: number }} total
 * @param {{ id: string, kind: string, createdAt: string, summary: string, success: boolean, durationMs: number | null, costUsd: number | null }[]} items
 */
export function historyJson(total, items) {
  return {
    stats: {
      historyEntries: total.count,
      successCount: total.succeeded,
      failureCount: total.count - total.succeeded,
      totalInputTokens: total.inputTokens,
      totalOutputTokens: total.outputTokens,
      totalCost: total.costUsd,
    },
    recentHistory: items.map((e) => ({
      id: e.id,
      kind: e.kind,
      type: e.kind,
      createdAt: e.createdAt,
      timestamp: e.createdAt,
      summary: e.summary,
      success: e.success,
      durationMs: e.durationMs,
      elapsedTimeMs: e.durationMs,
      costUsd: e.costUsd,
      cost: e.costUsd,
    })),
  };
}

/**
 * `maestro show agent AGENT`
 * @param {import("../main.mjs").Ctx} ctx
 * @param {string} ref
 */
export async function showAgent(ctx, ref) {
  const { agent, stats, page } = await withClient(ctx, true, async (client) => {
    const { agents, groupById } = await agentsAndGroups(client);
    const agent = agentJson(resolveByRef(agents, ref, "agent"), groupById);
    const [stats, page] = await Promise.all([
      client.query("history.stats", { agentId: agent.id }),
      client.query("history.list", { agentId: agent.id, limit: RECENT }),
    ]);
    return { agent, stats, page };
  });
  const shown = { ...agent, ...historyJson(stats.total, page.items) };
  if (ctx.out.json) return ctx.out.data(shown);
  const { bold, green, red, dim } = ctx.out.colors;
  ctx.out.result(bold(agent.name));
  /** @type {[string, unknown][]} */
  const rows = [
    ["id", agent.id],
    ["provider", agent.provider],
    ["status", agent.statusDetail ? `${agent.status} (${agent.statusDetail})` : agent.status],
    ["folder", agent.folder],
    ["group", agent.groupName ?? "none"],
    ["bookmarked", agent.bookmarked ? "yes" : "no"],
    ["worktree", agent.worktreeBranch ?? "none"],
    ["last activity", agent.lastActivity ?? "never"],
    ["history", historyLine(shown.stats)],
  ];
  for (const [k, v] of rows) ctx.out.result(`  ${k.padEnd(14)}${String(v)}`);
  for (const e of shown.recentHistory) {
    ctx.out.result(`  ${e.success ? green("✓") : red("✗")} ${dim(e.createdAt)}  ${e.kind.padEnd(8)} ${e.summary.split("\n")[0] ?? ""}`);
  }
}

/** @param {ReturnType<typeof historyJson>["stats"]} s */
function historyLine(s) {
  if (s.historyEntries === 0) return "none yet";
  const cost = s.totalCost > 0 ? `, $${s.totalCost.toFixed(2)}` : "";
  return `${s.historyEntries} entries, ${s.successCount} succeeded${cost}, ${s.totalInputTokens + s.totalOutputTokens} tokens`;
}
