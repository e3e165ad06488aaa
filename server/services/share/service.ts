import { createShareInput, type CreateShareInput, type SharePermission, type ShareScope } from "../../../lib/schemas/share";
import type { SharePrincipal } from "../../auth/service";
import { hashToken, looksLikeToken, newToken } from "../../auth/tokens";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import type { HistoryService } from "../history/service";

/** lastUsedAt is written at most this often per link, so reads do not become writes. */
const LAST_USED_WRITE_INTERVAL_MS = 60 * 1000;

export interface ShareLinkView {
  id: string;
  label: string;
  scope: ShareScope;
  agentId: string | null;
  agentName: string | null;
  runId: string | null;
  groupChatId: string | null;
  /** Scope "groupchat": the chat's name (null once it is deleted). */
  groupChatName: string | null;
  permission: SharePermission;
  canApprove: boolean;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  useCount: number;
  revokedAt: Date | null;
}

/** Why a share token was refused; each says what happened in plain words (HTTP 401). */
export const SHARE_REFUSAL = {
  garbled: "This share link is not valid: it looks cut off or garbled. Copy the whole link and try again.",
  unknown: "This share link is not valid. Ask the owner for a new one.",
  expired: "This share link expired. Ask the owner for a new one.",
  revoked: "This link was revoked by the owner.",
} as const;
export type ShareRefusal = keyof typeof SHARE_REFUSAL;

export type ShareAuth = { ok: true; principal: SharePrincipal } | { ok: false; reason: ShareRefusal; message: string };

type LinkRow = Awaited<ReturnType<Db["shareLink"]["findUnique"]>> & {};

function principalOf(link: LinkRow): SharePrincipal {
  return {
    kind: "share",
    shareId: link.id,
    label: link.label,
    scope: link.scope as ShareScope,
    agentId: link.agentId,
    runId: link.runId,
    groupChatId: link.groupChatId,
    permission: link.permission as SharePermission,
    canApprove: link.canApprove,
    expiresAt: link.expiresAt,
  };
}

/**
 * Share links: scoped, expiring, revocable tokens for teammates. The clear token is shown once
 * (as a `/share#token=…` link); only its SHA-256 is stored. The teammate's cookie holds the
 * same token, so every request re-checks expiry and revocation against the database.
 */
export function createShareService(deps: { db: Db; bus: Bus; history: HistoryService; now?: () => Date }) {
  const { db, bus, history } = deps;
  const now = deps.now ?? (() => new Date());

  async function agentName(agentId: string | null): Promise<string | null> {
    if (!agentId) return null;
    return (await db.agent.findUnique({ where: { id: agentId }, select: { name: true } }))?.name ?? null;
  }

  async function runName(runId: string | null): Promise<string | null> {
    if (!runId) return null;
    return (await db.autorunRun.findUnique({ where: { id: runId }, select: { name: true } }))?.name ?? null;
  }

  async function chatName(chatId: string | null): Promise<string | null> {
    if (!chatId) return null;
    return (await db.groupChat.findUnique({ where: { id: chatId }, select: { name: true } }))?.name ?? null;
  }

  async function scopeText(p: Pick<SharePrincipal, "scope" | "runId" | "groupChatId">, name: string | null): Promise<string> {
    if (p.scope === "dashboard") return "the dashboard";
    if (p.scope === "groupchat") {
      const chat = await chatName(p.groupChatId);
      return chat === null ? "a deleted group chat" : `the group chat “${chat}”`;
    }
    if (p.scope === "run") {
      const run = await runName(p.runId);
      return `the Auto Run ${run === null ? "(deleted)" : `“${run}”`} of ${name ?? "a deleted agent"}`;
    }
    return name ?? "a deleted agent";
  }

  /** What a share session's change is, in History's words. */
  function actionText(path: string): string {
    const known: Record<string, string> = {
      "turns.send": "sent a prompt",
      "turns.stop": "stopped a turn",
      "autorun.pause": "paused the Auto Run",
      "autorun.stop": "stopped the Auto Run",
      "autorun.resume": "resumed the Auto Run",
      "approvals.answer": "answered a tool approval",
      "groupchat.send": "sent a message to a group chat",
      "groupchat.stop": "stopped a group chat",
      "groupchat.retry": "retried a group chat's last message",
    };
    return known[path] ?? `used ${path}`;
  }

  async function check(token: unknown): Promise<ShareAuth> {
    if (!looksLikeToken(token)) return { ok: false, reason: "garbled", message: SHARE_REFUSAL.garbled };
    const link = await db.shareLink.findUnique({ where: { tokenHash: hashToken(token) } });
    if (!link) return { ok: false, reason: "unknown", message: SHARE_REFUSAL.unknown };
    if (link.revokedAt) return { ok: false, reason: "revoked", message: SHARE_REFUSAL.revoked };
    if (link.expiresAt.getTime() <= now().getTime()) return { ok: false, reason: "expired", message: SHARE_REFUSAL.expired };
    return { ok: true, principal: principalOf(link) };
  }

  /** A group chat link: its chat must exist; it names no agent and no run. */
  async function createChatLink(input: ReturnType<typeof createShareInput.parse>) {
    const name = await chatName(input.groupChatId ?? null);
    if (name === null) throw new AppError("NOT_FOUND", "That group chat no longer exists.", { field: "groupChatId" });
    const token = newToken();
    const link = await db.shareLink.create({
      data: {
        tokenHash: hashToken(token),
        label: input.label,
        scope: "groupchat",
        agentId: null,
        runId: null,
        groupChatId: input.groupChatId!,
        permission: input.permission,
        canApprove: false,
        expiresAt: new Date(now().getTime() + input.expiresInSeconds * 1000),
      },
    });
    return { token, link: { ...view(link), agentName: null, groupChatName: name } };
  }

  return {
    /** The service's clock (cookie lifetimes and stream expiry follow it, not the wall clock). */
    now,

    /** A new link; returns the clear token once (it is never stored or shown again). */
    async create(raw: CreateShareInput): Promise<{ token: string; link: ShareLinkView }> {
      const input = createShareInput.parse(raw);
      if (input.scope === "groupchat") return createChatLink(input);
      let agentId = input.scope === "dashboard" ? null : (input.agentId ?? null);
      if (input.scope === "run") {
        // A run link stores its run's agent too, so agent-level checks (History, names) need no join.
        const run = await db.autorunRun.findUnique({ where: { id: input.runId! }, select: { agentId: true } });
        if (!run) throw new AppError("NOT_FOUND", "That Auto Run no longer exists.", { field: "runId" });
        if (agentId && agentId !== run.agentId)
          throw new AppError("BAD_INPUT", "That Auto Run belongs to another agent.", { field: "runId" });
        agentId = run.agentId;
      }
      const name = await agentName(agentId);
      if (input.scope !== "dashboard" && name === null)
        throw new AppError("NOT_FOUND", "That agent no longer exists.", { field: "agentId" });
      const token = newToken();
      const link = await db.shareLink.create({
        data: {
          tokenHash: hashToken(token),
          label: input.label,
          scope: input.scope,
          agentId,
          runId: input.scope === "run" ? input.runId! : null,
          permission: input.permission,
          canApprove: input.canApprove,
          expiresAt: new Date(now().getTime() + input.expiresInSeconds * 1000),
        },
      });
      return { token, link: { ...view(link), agentName: name, groupChatName: null } };
    },

    /** Every link, newest first, with its agent's name, last use and use count. */
    async list(): Promise<ShareLinkView[]> {
      const links = await db.shareLink.findMany({ orderBy: { createdAt: "desc" }, take: 500 });
      const ids = [...new Set(links.map((l) => l.agentId).filter((a): a is string => !!a))];
      const agents = await db.agent.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
      const names = new Map(agents.map((a) => [a.id, a.name]));
      const chatIds = [...new Set(links.map((l) => l.groupChatId).filter((c): c is string => !!c))];
      const chats = await db.groupChat.findMany({ where: { id: { in: chatIds } }, select: { id: true, name: true } });
      const chatNames = new Map(chats.map((c) => [c.id, c.name]));
      return links.map((l) => ({
        ...view(l),
        agentName: l.agentId ? (names.get(l.agentId) ?? null) : null,
        groupChatName: l.groupChatId ? (chatNames.get(l.groupChatId) ?? null) : null,
      }));
    },

    /** Revokes a link at once: its next request answers 401 and its open streams are cut. */
    async revoke(id: string): Promise<boolean> {
      const r = await db.shareLink.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now() } });
      if (r.count !== 1) return false;
      bus.publish("share.revoked", { shareId: id });
      return true;
    },

    /** Resolves a share cookie on a request. Touches lastUsedAt now and then. */
    async authenticate(token: string | undefined): Promise<ShareAuth | null> {
      if (token === undefined || token === "") return null;
      const result = await check(token);
      if (result.ok) {
        const link = await db.shareLink.findUnique({ where: { id: result.principal.shareId }, select: { lastUsedAt: true } });
        const t = now();
        if (!link?.lastUsedAt || t.getTime() - link.lastUsedAt.getTime() > LAST_USED_WRITE_INTERVAL_MS) {
          await db.shareLink.update({ where: { id: result.principal.shareId }, data: { lastUsedAt: t } });
        }
      }
      return result;
    },

    /** A teammate opened the link: count the use and write it to History. */
    async open(token: unknown, client: { ip: string; userAgent: string }): Promise<ShareAuth> {
      const result = await check(token);
      if (!result.ok) return result;
      const p = result.principal;
      await db.shareLink.update({ where: { id: p.shareId }, data: { useCount: { increment: 1 }, lastUsedAt: now() } });
      const name = await agentName(p.agentId);
      await history.record({
        kind: "share-use",
        agentId: p.agentId,
        agentName: name ?? "",
        runId: p.runId,
        groupChatId: p.groupChatId,
        summary: `${p.label} opened ${await scopeText(p, name)} (${powersText(p)})`,
        detail: `Share link opened from ${client.ip} · ${client.userAgent.slice(0, 200)}`,
      });
      return result;
    },

    /** A share session changed something (prompt, stop): History says who and what. */
    async recordAction(
      p: SharePrincipal,
      action: {
        path: string;
        agentId: string | null;
        tabId?: string | null;
        runId?: string | null;
        groupChatId?: string | null;
        detail?: string;
      },
    ) {
      const name = await agentName(action.agentId ?? p.agentId);
      const what = actionText(action.path);
      await history.record({
        kind: "share-use",
        agentId: action.agentId ?? p.agentId,
        agentName: name ?? "",
        tabId: action.tabId ?? null,
        runId: action.runId ?? p.runId,
        groupChatId: action.groupChatId ?? p.groupChatId,
        summary: `${p.label} ${what} through a share link`,
        detail: action.detail ?? "",
      });
    },

    /** Which agent a tab / turn / run belongs to (null: no such thing), for scope checks. */
    async agentOfTab(tabId: string): Promise<string | null> {
      return (await db.tab.findUnique({ where: { id: tabId }, select: { agentId: true } }))?.agentId ?? null;
    },
    async agentOfTurn(turnId: string): Promise<string | null> {
      return (await db.turn.findUnique({ where: { id: turnId }, select: { agentId: true } }))?.agentId ?? null;
    },
    /** An approval's agent, through its turn (the turn → agent check every other id gets). */
    async agentOfApproval(approvalId: string): Promise<string | null> {
      const approval = await db.approval.findUnique({ where: { id: approvalId }, select: { turnId: true } });
      return approval ? this.agentOfTurn(approval.turnId) : null;
    },
    async agentOfRun(runId: string): Promise<string | null> {
      return (await db.autorunRun.findUnique({ where: { id: runId }, select: { agentId: true } }))?.agentId ?? null;
    },
    /** The tab a run's task turns stream in (a run link may watch it). */
    async tabOfRun(runId: string): Promise<string | null> {
      return (await db.autorunRun.findUnique({ where: { id: runId }, select: { tabId: true } }))?.tabId ?? null;
    },
  };
}

function powersText(p: SharePrincipal): string {
  if (p.permission === "view") return "view only";
  if (p.scope === "run") return "can pause, stop and resume";
  if (p.scope === "groupchat") return "can send messages, stop and retry";
  return p.canApprove ? "can prompt, stop and approve tool use" : "can prompt and stop";
}

function view(l: LinkRow): Omit<ShareLinkView, "agentName" | "groupChatName"> {
  return {
    id: l.id,
    label: l.label,
    scope: l.scope as ShareScope,
    agentId: l.agentId,
    runId: l.runId,
    groupChatId: l.groupChatId,
    permission: l.permission as SharePermission,
    canApprove: l.canApprove,
    createdAt: l.createdAt,
    expiresAt: l.expiresAt,
    lastUsedAt: l.lastUsedAt,
    useCount: l.useCount,
    revokedAt: l.revokedAt,
  };
}

export type ShareService = ReturnType<typeof createShareService>;
