import type { SharePermission, ShareScope } from "./choices";

/** The part of a share principal that decides what it reaches (pure data, no I/O). */
export interface ShareGrant {
  scope: ShareScope;
  agentId: string | null;
  runId: string | null;
  /** Scope "groupchat": the one group chat the link opens (no agent, no run). */
  groupChatId?: string | null;
  permission: SharePermission;
  /** The owner ticked "May approve tool use" (control links of one agent only). */
  canApprove?: boolean;
}

/**
 * How a procedure opens itself to share sessions (tRPC meta `share`). Absent means owner-only.
 * - "self":    reveals only the caller's own session (e.g. `system.me`); no scope ids needed.
 * - "read":    a read that is safe for view sessions when every id in its input is in scope.
 * - "control": prompt/stop within the scoped agent; control sessions only.
 * - "run":     Auto Run procedures; a run scope needs a matching `runId` in the input.
 * - "approve": answering the agent's tool approvals; a control link of one agent whose owner
 *              ticked "May approve tool use", and the request's turn must be its agent's.
 * - "groupchat": group chat procedures; only a group chat link, and the input's `chatId` must be
 *              its chat (or the output is narrowed to it). Its mutations need control.
 */
export type ShareAccess = "self" | "read" | "control" | "run" | "approve" | "groupchat";

/** The entity ids found in a procedure's input, already resolved to their agents. */
export interface ScopeRefs {
  agentIds: string[];
  runIds: string[];
  /** Group chat ids (`chatId`); absent: none named. */
  chatIds?: string[];
}

export type ShareDecision = { ok: true } | { ok: false; message: string };

const NOT_SHARED = "This share link does not reach that.";
const NO_APPROVALS = "This share link may not answer tool approvals. Ask the owner for a link that may approve tool use.";

/**
 * The one scope rule. `refs` are every agent the input names (directly or through a tab or
 * turn) and every run; `scopedOutput` means the procedure's output is filtered to the scope
 * afterwards, so it may be called with no ids.
 */
export function decideShare(
  grant: ShareGrant,
  call: { access: ShareAccess | undefined; type: "query" | "mutation" | "subscription"; refs: ScopeRefs; scopedOutput: boolean },
): ShareDecision {
  const { access, type, refs } = call;
  if (!access) return { ok: false, message: "Only the owner can do that." };
  if (type === "mutation" && grant.permission !== "control") return { ok: false, message: "This share link is view only." };
  if (access === "self") return { ok: true };
  if (access === "control" && grant.permission !== "control") return { ok: false, message: "This share link is view only." };
  // Allowing a tool call runs commands on the owner's machine: never implied by "control".
  if (access === "approve" && (grant.permission !== "control" || grant.canApprove !== true)) return { ok: false, message: NO_APPROVALS };

  // Group chats and their links stand apart: a chat link reaches only its chat's procedures (not
  // its agents': the chat's stream carries their answers), and no other link reaches a chat.
  const chatIds = refs.chatIds ?? [];
  if (grant.scope === "groupchat" || access === "groupchat") {
    if (grant.scope !== "groupchat" || access !== "groupchat" || !grant.groupChatId) return { ok: false, message: NOT_SHARED };
    if (refs.agentIds.length > 0 || refs.runIds.length > 0) return { ok: false, message: NOT_SHARED };
    if (chatIds.length === 0 && !call.scopedOutput) return { ok: false, message: NOT_SHARED };
    return chatIds.every((c) => c === grant.groupChatId) ? { ok: true } : { ok: false, message: NOT_SHARED };
  }
  if (chatIds.length > 0) return { ok: false, message: NOT_SHARED };

  if (grant.scope === "dashboard") {
    // A read-only overview of every agent; never runs' controls or anything else.
    return access === "read" || (access === "run" && type !== "mutation") ? { ok: true } : { ok: false, message: NOT_SHARED };
  }
  const named = refs.agentIds.length + refs.runIds.length;
  if (named === 0 && !call.scopedOutput) return { ok: false, message: NOT_SHARED };
  if (refs.agentIds.some((a) => a !== grant.agentId)) return { ok: false, message: NOT_SHARED };
  if (grant.scope === "run") {
    // A run link reaches its run and nothing else of the agent. The caller resolves the run's own
    // tab to the run (its task turns stream there); any agent, other tab or turn named is refused.
    if (refs.agentIds.length > 0) return { ok: false, message: NOT_SHARED };
    if (refs.runIds.length === 0 || refs.runIds.some((r) => r !== grant.runId)) return { ok: false, message: NOT_SHARED };
    // Prompting belongs to the agent, not the run; so do the agent's lists and change feeds.
    if (access === "control" || access === "approve") return { ok: false, message: NOT_SHARED };
    if (access === "read" && call.scopedOutput) return { ok: false, message: NOT_SHARED };
    return { ok: true };
  }
  // Agent scope: Auto Run procedures are reachable when they name this agent (runIds were
  // resolved to their agents by the caller, so a foreign run shows up as a foreign agent).
  return { ok: true };
}

/** Whether an agent is visible to the grant (for filtering lists and event streams). */
export function agentInScope(grant: ShareGrant, agentId: string | null | undefined): boolean {
  if (grant.scope === "groupchat") return false;
  if (grant.scope === "dashboard") return true;
  return !!agentId && agentId === grant.agentId;
}

/**
 * Whether a streamed event is for the grant: its agent is in scope (or it is explicitly about no
 * agent, `agentId: null`); a run link also drops events about its agent's other runs.
 */
export function eventInScope(grant: ShareGrant, event: { agentId?: string | null; runId?: unknown }): boolean {
  if (event.agentId !== null && !agentInScope(grant, event.agentId)) return false;
  if (grant.scope === "run" && typeof event.runId === "string" && event.runId !== "" && event.runId !== grant.runId) return false;
  return true;
}

/** Whether a group chat is visible to the grant (for filtering the chat list). */
export function chatInScope(grant: ShareGrant, chatId: string | null | undefined): boolean {
  return grant.scope === "groupchat" && !!chatId && chatId === grant.groupChatId;
}

type PageGrant = Pick<ShareGrant, "scope" | "agentId" | "runId" | "groupChatId">;

/** The page a share session lands on. */
export function shareHome(grant: PageGrant): string {
  if (grant.scope === "groupchat") return grant.groupChatId ? `/shared/groupchats/${encodeURIComponent(grant.groupChatId)}` : "/share";
  if (grant.scope === "run" && grant.runId) return `/shared/runs/${encodeURIComponent(grant.runId)}`;
  return grant.scope === "dashboard" || !grant.agentId ? "/shared" : `/shared/agents/${encodeURIComponent(grant.agentId)}`;
}

/**
 * Page gating for share sessions: they may load the shared screens of their scope and nothing
 * else of the app (owner pages send them home to their scope).
 */
export function sharePageAllowed(grant: PageGrant, pathname: string): boolean {
  if (pathname === "/share") return true;
  if (pathname === "/shared" || pathname === "/shared/") return grant.scope === "dashboard";
  const m = /^\/shared\/(agents|runs|groupchats)\/([^/]+)\/?$/.exec(pathname);
  if (!m) return false;
  let id: string;
  try {
    id = decodeURIComponent(m[2]!);
  } catch {
    return false;
  }
  // A chat link sees its chat's screen only; no other link opens a chat screen.
  if (grant.scope === "groupchat" || m[1] === "groupchats")
    return grant.scope === "groupchat" && m[1] === "groupchats" && id === grant.groupChatId;
  if (m[1] === "runs") {
    // A run link sees its run only; an agent or dashboard link may open a run screen, whose data
    // calls are scope-checked like any other (a foreign agent's run answers 403 there).
    return grant.scope === "run" ? id === grant.runId : true;
  }
  if (grant.scope === "run") return false;
  return grant.scope === "dashboard" || id === grant.agentId;
}

/** "expires in 3 days" / "expires in 5 hours" / "expires in 12 minutes" / "expired". */
export function expiresInText(expiresAt: Date, now: Date): string {
  const ms = expiresAt.getTime() - now.getTime();
  if (ms <= 0) return "expired";
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 60) return `expires in ${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
  const hours = Math.round(ms / 3_600_000);
  if (hours < 48) return `expires in ${hours} ${hours === 1 ? "hour" : "hours"}`;
  const days = Math.round(ms / 86_400_000);
  return `expires in ${days} days`;
}
