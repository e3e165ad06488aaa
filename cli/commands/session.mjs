// @ts-check
import { CliError, EXIT } from "../exit-codes.mjs";
import { table } from "../output.mjs";
import { findAgent, oneLine, parseSince, positiveInt, withClient } from "./data.mjs";

/** @typedef {import("../client.mjs").Client} Client */
/** @typedef {import("./data.mjs").AgentRow} AgentRow */
/** @typedef {{ id: string, agentId: string, name: string, providerSessionId: string | null, starred: boolean, createdAt: string, updatedAt: string }} TabRow */
/** @typedef {{ id: number, turnId: string, type: string, data: Record<string, any>, at: string }} StoredEvent */

/**
 * The agents a listing covers: the one `-a` names, else all.
 * @param {Client} client
 * @param {string | undefined} ref
 * @returns {Promise<AgentRow[]>}
 */
async function agentsFor(client, ref) {
  return ref === undefined ? client.query("agents.list") : [await findAgent(client, ref)];
}

/**
 * `maestro session list [-a AGENT]`: the agents' tabs (conversations), with their provider
 * session, turn count, state and last activity.
 * @param {import("../program/define.mjs").Ctx} ctx
 * @param {string | undefined} ref
 */
export async function sessionList(ctx, ref) {
  await withClient(ctx, true, async (client) => {
    const rows = [];
    for (const agent of await agentsFor(client, ref)) {
      /** @type {TabRow[]} */
      const tabs = await client.query("tabs.list", { agentId: agent.id });
      for (const tab of tabs) {
        const o = await client.query("turns.overview", { tabId: tab.id });
        rows.push({
          tabId: tab.id,
          name: tab.name,
          agentId: agent.id,
          agentName: agent.name,
          provider: agent.provider,
          providerSessionId: tab.providerSessionId,
          agentSessionId: tab.providerSessionId,
          starred: tab.starred,
          state: o.running ? "busy" : "idle",
          turns: o.count,
          createdAt: tab.createdAt,
          lastActivity: tab.updatedAt,
        });
      }
    }
    if (ctx.out.json) return ctx.out.data(rows);
    if (rows.length === 0) return ctx.out.line("No tabs.");
    ctx.out.result(
      table(
        ["TAB", "AGENT", "TITLE", "PROVIDER SESSION", "TURNS", "STATE", "LAST ACTIVITY"],
        rows.map((r) => [r.tabId, r.agentName, oneLine(r.name, 40), r.providerSessionId ?? "-", String(r.turns), r.state, r.lastActivity]),
      ),
    );
  });
}

/**
 * A tab's stored events as messages: the prompt (user), the reply's text (assistant, a message
 * per provider message), tool calls and errors, each with the time its first event was stored.
 * @param {StoredEvent[]} events
 */
export function messagesOf(events) {
  /** @type {{ id: string, turnId: string, role: string, source: string, content: string, timestamp: string }[]} */
  const messages = [];
  /** @type {{ turnId: string, messageId: unknown } | null} */
  let open = null;
  for (const e of events) {
    const d = e.data ?? {};
    const base = { id: String(e.id), turnId: e.turnId, timestamp: e.at };
    if (e.type === "text") {
      const last = messages[messages.length - 1];
      const joins = open && last && open.turnId === e.turnId && (d.delta || (d.messageId !== undefined && d.messageId === open.messageId));
      if (joins && last) last.content += d.delta ? String(d.text ?? "") : `\n\n${String(d.text ?? "")}`;
      else messages.push({ ...base, role: "assistant", source: "agent", content: String(d.text ?? "") });
      open = { turnId: e.turnId, messageId: d.messageId };
      continue;
    }
    open = null;
    if (e.type === "prompt") messages.push({ ...base, role: "user", source: "user", content: String(d.prompt ?? "") });
    else if (e.type === "tool_call") messages.push({ ...base, role: "tool", source: "tool", content: String(d.name ?? "tool") });
    else if (e.type === "error") messages.push({ ...base, role: "error", source: "system", content: String(d.message ?? "") });
  }
  return messages;
}

/**
 * Finds a tab by id (or a unique id prefix) across the agents.
 * @param {Client} client
 * @param {string} ref
 */
async function findTab(client, ref) {
  /** @type {AgentRow[]} */
  const agents = await client.query("agents.list");
  /** @type {{ tab: TabRow, agent: AgentRow }[]} */
  const hits = [];
  for (const agent of agents) {
    /** @type {TabRow[]} */
    const tabs = await client.query("tabs.list", { agentId: agent.id });
    for (const tab of tabs) if (tab.id === ref) return { tab, agent };
    for (const tab of tabs) if (ref.length >= 4 && tab.id.startsWith(ref)) hits.push({ tab, agent });
  }
  if (hits.length === 1 && hits[0]) return hits[0];
  if (hits.length > 1)
    throw new CliError(`${JSON.stringify(ref)} starts ${hits.length} tab ids: give more of it.`, EXIT.USAGE, "AMBIGUOUS");
  throw new CliError(`no tab ${JSON.stringify(ref)}. \`maestro session list\` shows them.`, EXIT.NOT_FOUND, "SESSION_NOT_FOUND");
}

/**
 * `maestro session show TAB [--since T] [--tail N]`: the conversation's messages.
 * @param {import("../program/define.mjs").Ctx} ctx
 * @param {string} ref
 * @param {{ since?: string, tail?: string }} o
 */
export async function sessionShow(ctx, ref, o) {
  const since = o.since === undefined ? null : parseSince(o.since);
  const tail = o.tail === undefined ? null : positiveInt(o.tail, "--tail", 1);
  await withClient(ctx, true, async (client) => {
    const { tab, agent } = await findTab(client, ref);
    /** @type {StoredEvent[]} */
    const events = [];
    for (let after = 0; ;) {
      /** @type {StoredEvent[]} */
      const page = await client.query("turns.events", { tabId: tab.id, afterId: after, limit: 5000 });
      events.push(...page);
      if (page.length < 5000) break;
      after = page[page.length - 1]?.id ?? after;
    }
    let messages = messagesOf(events);
    if (since) messages = messages.filter((m) => new Date(m.timestamp).getTime() >= since.getTime());
    if (tail !== null) messages = messages.slice(-tail);
    if (ctx.out.json) return ctx.out.data(messages);
    const { bold, dim } = ctx.out.colors;
    ctx.out.result(dim(`${agent.name} · ${tab.name} (${tab.id})`));
    if (messages.length === 0) return ctx.out.line("No messages.");
    for (const m of messages) {
      const who = m.role === "user" ? "you" : m.role === "assistant" ? agent.name : m.role;
      ctx.out.result(`${dim(m.timestamp)} ${bold(who)}: ${m.content}`);
    }
  });
}

/**
 * `maestro list sessions [-a AGENT]`: the provider sessions the session explorer shows (ours and
 * the provider's own store).
 * @param {import("../program/define.mjs").Ctx} ctx
 * @param {string | undefined} ref
 * @param {string} [search] the session explorer's search (title, name, id, conversation)
 */
export async function listSessions(ctx, ref, search) {
  await withClient(ctx, true, async (client) => {
    const rows = [];
    for (const agent of await agentsFor(client, ref)) {
      /** @type {{ provider: string, sessionId: string, title: string, name: string | null, starred: boolean, updatedAt: string, inMaestro: boolean, inStore: boolean, tabId: string | null }[]} */
      const sessions = await client.query("sessions.list", { agentId: agent.id, ...(search ? { query: search } : {}) });
      for (const s of sessions) rows.push({ agentId: agent.id, agentName: agent.name, ...s });
    }
    if (ctx.out.json) return ctx.out.data(rows);
    if (rows.length === 0) return ctx.out.line("No sessions.");
    ctx.out.result(
      table(
        ["SESSION", "AGENT", "PROVIDER", "TITLE", "TAB", "UPDATED"],
        rows.map((r) => [r.sessionId, r.agentName, r.provider, oneLine(r.name ?? r.title, 50), r.tabId ?? "-", r.updatedAt]),
      ),
    );
  });
}

/**
 * `maestro list terminals [-a AGENT]` (bridge only: terminals live in the bridge's process).
 * @param {import("../program/define.mjs").Ctx} ctx
 * @param {string | undefined} ref
 */
export async function listTerminals(ctx, ref) {
  await withClient(ctx, false, async (client) => {
    const rows = [];
    for (const agent of await agentsFor(client, ref)) {
      /** @type {{ id: string, name: string, cwd: string, shell: string, pid: number, clients: number, createdAt: string, exit: unknown }[]} */
      const terminals = await client.query("terminals.list", { agentId: agent.id });
      for (const t of terminals) rows.push({ agentId: agent.id, agentName: agent.name, ...t });
    }
    if (ctx.out.json) return ctx.out.data(rows);
    if (rows.length === 0) return ctx.out.line("No terminals.");
    ctx.out.result(
      table(
        ["ID", "AGENT", "NAME", "PID", "CLIENTS", "STATE", "CWD"],
        rows.map((r) => [r.id, r.agentName, r.name, String(r.pid), String(r.clients), r.exit ? "exited" : "running", r.cwd]),
      ),
    );
  });
}
