// @ts-check
import { CliError, EXIT } from "../exit-codes.mjs";
import { table } from "../output.mjs";
import { findAgent, withClient } from "./data.mjs";
import { findChat } from "./groupchat.mjs";

/** @typedef {import("../program/define.mjs").Ctx} Ctx */
/** @typedef {import("../client.mjs").Client} Client */
/**
 * @typedef {{ state: string, url: string | null, error: string | null, mode: string, connected: boolean }} TunnelStatus
 * @typedef {{ status: TunnelStatus, target: string }} TunnelView
 */

/**
 * A duration such as 1h, 36h, 7d, 2w (or plain seconds) in seconds.
 * @param {string} text
 */
export function parseDuration(text) {
  const m = /^(\d+)\s*(s|m|h|d|w)?$/i.exec(text.trim());
  if (!m) throw new CliError(`--expires ${JSON.stringify(text)} is not a duration: use e.g. 1h, 12h, 7d, 30d.`, EXIT.USAGE, "USAGE");
  const unit = /** @type {Record<string, number>} */ ({ s: 1, m: 60, h: 3600, d: 86400, w: 604800 })[(m[2] ?? "s").toLowerCase()];
  return Number(m[1]) * (unit ?? 1);
}

/**
 * Where a link should point: the tunnel's public URL while it runs (a teammate elsewhere can
 * open it), else the bridge's own URL.
 * @param {Client} client
 */
async function publicBase(client) {
  /** @type {TunnelView} */
  const view = await client.query("tunnel.status");
  if (view.status.state === "running" && view.status.url) return { base: view.status.url.replace(/\/+$/, ""), tunnel: true };
  return { base: client.url ?? "", tunnel: false };
}

/**
 * `maestro share create AGENT [--scope view|control] [--expires 1h] [--label L] [--can-approve]`,
 * or `maestro share create CHAT --chat …` for a link to one group chat.
 * @param {Ctx} ctx
 * @param {string} ref
 * @param {{ scope?: string, expires?: string, label?: string, canApprove?: boolean, chat?: boolean }} o
 */
export async function shareCreate(ctx, ref, o) {
  const permission = o.scope ?? "view";
  if (permission !== "view" && permission !== "control") {
    throw new CliError(`--scope is view (watch) or control (also prompt), not ${JSON.stringify(permission)}.`, EXIT.USAGE, "USAGE");
  }
  const canApprove = o.canApprove === true;
  if (canApprove && permission !== "control") {
    throw new CliError("--can-approve needs --scope control: a view link never answers tool approvals.", EXIT.USAGE, "USAGE");
  }
  if (canApprove && o.chat) throw new CliError("--can-approve is for a link to one agent, not a group chat.", EXIT.USAGE, "USAGE");
  const expiresInSeconds = parseDuration(o.expires ?? "1d");
  await withClient(ctx, false, async (client) => {
    const target = o.chat ? await findChat(client, ref) : await findAgent(client, ref);
    const { token, link } = await client.mutate("share.create", {
      ...(o.chat ? { scope: "groupchat", groupChatId: target.id } : { scope: "agent", agentId: target.id }),
      permission,
      canApprove,
      expiresInSeconds,
      label: o.label ?? `CLI: ${target.name}`,
    });
    const { base, tunnel } = await publicBase(client);
    const url = `${base}/share#token=${token}`;
    if (ctx.out.json)
      return ctx.out.data({
        success: true,
        id: link.id,
        url,
        ...(o.chat ? { groupChatId: target.id } : { agentId: target.id }),
        permission,
        canApprove,
        expiresAt: link.expiresAt,
        label: link.label,
      });
    ctx.out.result(url);
    if (!tunnel)
      process.stderr.write("maestro: the link points at this machine; `maestro tunnel start` gives one a teammate elsewhere can open.\n");
  });
}

/**
 * `maestro share list`
 * @param {Ctx} ctx
 */
export async function shareList(ctx) {
  await withClient(ctx, false, async (client) => {
    /** @type {{ id: string, label: string, scope: string, permission: string, canApprove: boolean, agentName: string | null, groupChatName?: string | null, expiresAt: string, revokedAt: string | null, useCount: number, lastUsedAt: string | null }[]} */
    const links = await client.query("share.list");
    const now = Date.now();
    const rows = links.map((l) => ({
      ...l,
      state: l.revokedAt ? "revoked" : new Date(l.expiresAt).getTime() <= now ? "expired" : "active",
    }));
    if (ctx.out.json) return ctx.out.data(rows);
    if (rows.length === 0) return ctx.out.line("No share links.");
    ctx.out.result(
      table(
        ["ID", "LABEL", "SCOPE", "PERMISSION", "AGENT", "STATE", "USES", "EXPIRES"],
        rows.map((r) => [
          r.id,
          r.label,
          r.scope,
          r.canApprove ? `${r.permission}+approve` : r.permission,
          r.agentName ?? (r.groupChatName ? `chat ${r.groupChatName}` : "-"),
          r.state,
          String(r.useCount),
          r.expiresAt,
        ]),
      ),
    );
  });
}

/**
 * `maestro share revoke ID`: a link already revoked (or unknown) is exit 4.
 * @param {Ctx} ctx
 * @param {string} id
 */
export async function shareRevoke(ctx, id) {
  await withClient(ctx, false, async (client) => {
    await client.mutate("share.revoke", { id });
    if (ctx.out.json) return ctx.out.data({ success: true, id });
    ctx.out.line(`Revoked ${id}: its sessions end now.`);
  });
}

/**
 * @param {Ctx} ctx
 * @param {TunnelView} view
 */
function printTunnel(ctx, view) {
  const s = view.status;
  if (ctx.out.json)
    return ctx.out.data({ state: s.state, mode: s.mode, url: s.url, connected: s.connected, error: s.error, target: view.target });
  ctx.out.result(s.url ? `${s.state} ${s.url}` : s.error ? `${s.state}: ${s.error}` : s.state);
}

const SETTLED = new Set(["running", "failed", "missing", "idle"]);
const START_WAIT_MS = 60_000;

/**
 * `maestro tunnel start|stop|status` (bridge only: the tunnel is the bridge's child).
 * `start` waits until the tunnel has its public URL (or has failed), then prints it.
 * @param {Ctx} ctx
 * @param {"start" | "stop" | "status"} action
 */
export async function tunnel(ctx, action) {
  await withClient(ctx, false, async (client) => {
    if (action === "status") return printTunnel(ctx, await client.query("tunnel.status"));
    if (action === "stop") return printTunnel(ctx, await client.mutate("tunnel.stop"));
    /** @type {TunnelView} */
    let view = await client.mutate("tunnel.start");
    if (!SETTLED.has(view.status.state) || (view.status.state === "running" && !view.status.url)) {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), START_WAIT_MS);
      try {
        for await (const next of client.subscribe("tunnel.onStatus", undefined, { signal: abort.signal })) {
          view = next;
          if (SETTLED.has(view.status.state) && (view.status.state !== "running" || view.status.url)) break;
        }
      } catch (err) {
        if (!abort.signal.aborted) throw err;
      } finally {
        clearTimeout(timer);
      }
    }
    printTunnel(ctx, view);
    if (view.status.state !== "running") process.exitCode = EXIT.FAILED;
  });
}
