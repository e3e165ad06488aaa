import { approvalAnswerInput, pendingApprovalsInput, ruleAddInput, ruleRemoveInput, rulesListInput } from "../../lib/schemas/approvals";
import { approvalAnswerOutput, pendingApprovalsOutput } from "../../lib/schemas/approval-views";
import type { Context } from "../context";
import { protectedProcedure, router } from "../trpc";

/** Who answers, in History's and the card's words: the device's name, or the share link's label. */
async function answerer(ctx: Context) {
  const p = ctx.principal!;
  if (p.kind === "share") return { kind: "share" as const, id: p.shareId, label: p.label };
  const name = await ctx.services.auth.deviceName(p.sessionId);
  return { kind: "owner" as const, id: p.sessionId, label: name ?? (p.kind === "cli" ? "maestro CLI" : "the owner") };
}

/**
 * Tool approvals: answering a request (the owner, or a control share link of the request's
 * agent that may approve tool use), what waits, and the agent's "always allow" rules (owner only).
 */
export const approvalsRouter = router({
  answer: protectedProcedure
    .meta({ share: "approve" })
    .input(approvalAnswerInput)
    .output(approvalAnswerOutput)
    .mutation(async ({ ctx, input }) => ctx.services.approvals.answer(input, await answerer(ctx))),
  /** Requests waiting for a person, oldest first; a share link sees its own agent's. */
  pending: protectedProcedure
    .meta({ share: "read", shareScopedOutput: "rows" })
    .input(pendingApprovalsInput)
    .output(pendingApprovalsOutput)
    .query(({ ctx, input }) => ctx.services.approvals.pending(input)),
  /**
   * A request was opened or ended (answered, expired, cancelled): lists and badges refetch. First
   * a "listening" mark (about no agent) once attached to the bus: a re-read on it misses nothing.
   */
  onChanged: protectedProcedure.meta({ share: "read", shareScopedOutput: "events" }).subscription(async function* ({ ctx, signal }) {
    const changes = ctx.services.bus.stream("approvals.changed", { signal });
    yield { agentId: null as string | null, turnId: "", approvalId: "", status: "listening" };
    for await (const e of changes) yield { agentId: e.agentId, turnId: e.turnId, approvalId: e.approvalId, status: e.status };
  }),
  /** The agent's "always allow" rules, oldest first. */
  rules: protectedProcedure.input(rulesListInput).query(({ ctx, input }) => ctx.services.approvals.rules.list(input)),
  addRule: protectedProcedure
    .input(ruleAddInput)
    .mutation(async ({ ctx, input }) => ctx.services.approvals.rules.add(input, (await answerer(ctx)).label)),
  removeRule: protectedProcedure.input(ruleRemoveInput).mutation(({ ctx, input }) => ctx.services.approvals.rules.remove(input)),
});
