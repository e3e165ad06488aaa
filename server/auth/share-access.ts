import { decideShare, type ShareAccess, type ShareDecision } from "../../lib/share/scope";
import type { Services } from "../services";
import type { SharePrincipal } from "./service";

/** How a tRPC procedure opens itself to share sessions; see `ShareAccess`. No meta: owner-only. */
export interface ShareMeta {
  share?: ShareAccess;
  /** What a plain `id` in the input names (e.g. `agents.byId` takes an agent's `id`). */
  shareIdIs?: "agent" | "tab" | "turn" | "run";
  /**
   * The output is narrowed to the scope by the middleware, so the procedure may be called with
   * no ids: "agents" filters a returned array by each item's `id`; "rows" filters a returned
   * array by each item's `agentId`; "events" filters a subscription's events by their `agentId`;
   * "chats" filters a returned array of group chats by each item's `id`.
   */
  shareScopedOutput?: "agents" | "rows" | "events" | "chats";
}

export type ShareVerdict =
  | (ShareDecision & { ok: true; agentId: string | null; tabId: string | null; runId: string | null; chatId: string | null })
  | (ShareDecision & { ok: false });

type RefField = "agentId" | "tabId" | "turnId" | "runId" | "approvalId" | "chatId" | "id";

/**
 * Decides whether a share session may make this call: reads every entity id in the raw input
 * (`agentId`, `tabId`, `turnId`, `runId`, `approvalId`, `chatId`, and `id` as the meta says), resolves tabs,
 * turns, approvals (through their turn) and runs to their agents through the database, then applies the pure rule `decideShare`. For a run
 * link, its run's own tab (where the task turns stream) counts as the run itself. An id
 * that names nothing, or a field that is not a string, is refused: nothing is revealed about
 * what exists outside the scope.
 */
export async function checkShareCall(
  services: Pick<Services, "share">,
  principal: SharePrincipal,
  call: { meta: ShareMeta | undefined; type: "query" | "mutation" | "subscription"; rawInput: unknown },
): Promise<ShareVerdict> {
  const refused = { ok: false as const, message: "This share link does not reach that." };
  const input = call.rawInput;
  const fields: Partial<Record<RefField, unknown>> = input && typeof input === "object" && !Array.isArray(input) ? input : {};
  const agentIds: string[] = [];
  const runIds: string[] = [];
  const chatIds: string[] = [];
  let tabId: string | null = null;
  // The tab a run link's run streams in: naming it names the run, not the agent.
  let runTab: Promise<string | null> | null = null;
  const isRunTab = async (tab: string) => {
    if (principal.scope !== "run" || !principal.runId) return false;
    runTab ??= services.share.tabOfRun(principal.runId);
    return (await runTab) === tab;
  };

  const named = (kind: "agent" | "tab" | "turn" | "run" | "approval" | "chat", value: unknown) => ({ kind, value });
  const refs = [
    named("agent", fields.agentId),
    named("tab", fields.tabId),
    named("turn", fields.turnId),
    named("run", fields.runId),
    named("approval", fields.approvalId),
    named("chat", fields.chatId),
    ...(call.meta?.shareIdIs ? [named(call.meta.shareIdIs, fields.id)] : []),
  ].filter((r) => r.value !== undefined && r.value !== null);

  // Only look things up for procedures that are open to share sessions at all.
  if (call.meta?.share && call.meta.share !== "self") {
    for (const ref of refs) {
      if (typeof ref.value !== "string") return refused;
      if (ref.kind === "agent") agentIds.push(ref.value);
      // A chat id is compared, not looked up: only the link's own chat passes, whether it exists or not.
      else if (ref.kind === "chat") chatIds.push(ref.value);
      else if (ref.kind === "tab" && (await isRunTab(ref.value))) {
        runIds.push(principal.runId!);
        tabId = ref.value;
      } else if (ref.kind === "tab") {
        const agent = await services.share.agentOfTab(ref.value);
        if (!agent) return refused;
        agentIds.push(agent);
        tabId = ref.value;
      } else if (ref.kind === "turn" || ref.kind === "approval") {
        const agent = await (ref.kind === "turn" ? services.share.agentOfTurn(ref.value) : services.share.agentOfApproval(ref.value));
        if (!agent) return refused;
        agentIds.push(agent);
      } else {
        runIds.push(ref.value);
        if (principal.scope === "agent") {
          const agent = await services.share.agentOfRun(ref.value);
          if (!agent) return refused;
          agentIds.push(agent);
        }
      }
    }
  }
  const decision = decideShare(principal, {
    access: call.meta?.share,
    type: call.type,
    refs: { agentIds, runIds, chatIds },
    scopedOutput: !!call.meta?.shareScopedOutput,
  });
  return decision.ok
    ? { ok: true, agentId: agentIds[0] ?? principal.agentId, tabId, runId: runIds[0] ?? principal.runId, chatId: chatIds[0] ?? null }
    : decision;
}
