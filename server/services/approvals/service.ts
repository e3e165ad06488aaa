/**
 * Approvals: a provider asked before using a tool (or asked the person a question). The runner
 * hands each request here (the ApprovalGate); this service records it, answers it at once when
 * one of the agent's rules allows it, else shows the card in the turn, marks the agent waiting,
 * sends the push and starts the timeout. The first answer wins (a conditional update), goes
 * straight to the CLI's stdin through the turn, and is written to History.
 */
import { agentTabPath } from "../../../lib/push/messages";
import { formatRule, matchRules, parseRule } from "../../../lib/approvals/rules";
import { questionAnswerInput } from "../../../lib/approvals/response";
import { parseAgentSettings } from "../../../lib/schemas/agent-settings";
import { approvalAnswerInput, DEFAULT_APPROVAL_TIMEOUT_MIN, type ApprovalAnswerInput } from "../../../lib/schemas/approvals";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import type { Logger } from "../../logger";
import type { HistoryService } from "../history/service";
import type { ApprovalDecisionEvent, ApprovalGate, ApprovalReply, ApprovalRequest, ApprovalTurn } from "./gate";
import { createApprovalQueries, storeRule } from "./queries";
import type { Ending, Live } from "./live";
import { alreadyText, clipInput, DENIED, ENDED, GATE_FAILED, timeoutMessage, UNDELIVERED, WITHDRAWN } from "./wording";
import { historySummary, pushBody, pushShowsAll } from "./text";

/** Who answered: a paired device (owner) or a control share link with the approve right. */
export interface ApprovalPrincipal {
  kind: "owner" | "share";
  id: string;
  label: string;
}

export interface ApprovalsDeps {
  db: Db;
  bus: Bus;
  history?: Pick<HistoryService, "record">;
  logger: Logger;
  /** Tests: the timeout in ms, whatever the agent's setting. */
  timeoutMs?: number;
}

export function createApprovalsService(deps: ApprovalsDeps) {
  const { db, bus, logger } = deps;
  const live = new Map<string, Live>();
  /** Per turn: requests are handled one after another, in the order the CLI sent them. */
  const chains = new Map<string, Promise<void>>();
  const queries = createApprovalQueries({ db, bus, live: (id) => live.get(id) });

  function inTurn<T>(turnId: string, fn: () => Promise<T>): Promise<T> {
    const prev = chains.get(turnId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    chains.set(
      turnId,
      next.then(
        () => undefined,
        () => undefined,
      ),
    );
    return next;
  }

  const liveOf = (turnId: string, requestId?: string) =>
    [...live.values()].filter((l) => l.turn.turnId === turnId && (requestId === undefined || l.requestId === requestId));

  /** The agent shows "waiting" while any request of it waits, "busy" again once none does. */
  async function agentWaiting(agentId: string) {
    const waiting = [...live.values()].some((l) => l.turn.agentId === agentId);
    const r = await db.agent.updateMany({
      where: { id: agentId, status: waiting ? "busy" : "waiting" },
      data: { status: waiting ? "waiting" : "busy" },
    });
    if (r.count) bus.publish("agents.changed", { agentId });
  }

  /**
   * Ends a live request: the conditional update decides (false: someone else ended it first),
   * then the reply goes to the CLI and the decision into the turn's stream, History and the bus.
   */
  async function end(
    l: Live,
    how: Ending,
    reply: ApprovalReply | null,
    extra: {
      updatedInputJson?: string;
      answersJson?: string;
      rule?: string;
      /** Runs for the winner before the CLI gets the reply (stores the "always" rule); returns its id. */
      beforeDeliver?: () => Promise<string>;
    } = {},
  ) {
    const claimed = await db.approval.updateMany({
      where: { id: l.id, status: "pending" },
      data: {
        status: how.status,
        decidedByKind: how.kind,
        decidedById: how.byId,
        decidedByLabel: how.by,
        message: how.message ?? null,
        decidedAt: new Date(),
        ...(extra.updatedInputJson ? { updatedInputJson: extra.updatedInputJson } : {}),
        ...(extra.answersJson ? { answersJson: extra.answersJson } : {}),
      },
    });
    const { turn } = l;
    const settled = async (status: ApprovalDecisionEvent["status"]) => {
      bus.publish("approvals.changed", { agentId: turn.agentId, turnId: turn.turnId, approvalId: l.id, status });
      await agentWaiting(turn.agentId).catch((err: unknown) => logger.error(`approvals: agent status: ${(err as Error).message}`));
    };
    if (!claimed.count) {
      // Someone else ended the row (or it is gone): this request no longer waits either way.
      if (l.timer) clearTimeout(l.timer);
      if (live.delete(l.id)) await settled("cancelled");
      return false;
    }
    if (extra.beforeDeliver) {
      try {
        const ruleId = await extra.beforeDeliver();
        await db.approval.update({ where: { id: l.id }, data: { ruleId } });
      } catch (err) {
        // Nothing reached the CLI: the request waits again, to be answered another way.
        await db.approval.update({
          where: { id: l.id },
          data: { status: "pending", decidedByKind: null, decidedById: null, decidedByLabel: null, message: null, decidedAt: null },
        });
        throw err;
      }
    }
    if (l.timer) clearTimeout(l.timer);
    live.delete(l.id);
    const delivered = l.turn.deliver(l.requestId, reply, {
      type: "approval_decision",
      approvalId: l.id,
      status: how.status,
      by: how.by,
      ...(how.message ? { message: how.message } : {}),
      ...(extra.rule ? { rule: extra.rule } : {}),
    });
    if (!delivered) {
      await undelivered(turn, l.requestId, l.id);
      await settled("cancelled");
      throw new AppError("CONFLICT", UNDELIVERED);
    }
    await settled(how.status);
    if (deps.history && (how.kind === "owner" || how.kind === "share" || how.kind === "timeout")) {
      try {
        await deps.history.record({
          kind: "approval",
          agentId: turn.agentId,
          agentName: l.agentName,
          tabId: turn.tabId,
          turnId: turn.turnId,
          runId: turn.runId,
          success: how.status === "allowed",
          summary: historySummary(how.status, l.toolName, l.input, how.by),
          detail: [JSON.stringify(l.input, null, 2), how.message ? `Reason: ${how.message}` : "", extra.rule ? `Rule: ${extra.rule}` : ""]
            .filter(Boolean)
            .join("\n\n"),
        });
      } catch (err) {
        logger.error(`approvals: could not record History: ${(err as Error).message}`);
      }
    }
    return true;
  }

  /** The CLI never got the answer (its process is gone): the row says so, not what was answered. */
  async function undelivered(turn: ApprovalTurn, requestId: string, approvalId: string) {
    const data = { status: "cancelled", decidedByKind: "system", decidedById: null, decidedByLabel: "Maestro", message: UNDELIVERED };
    await db.approval.update({ where: { id: approvalId }, data });
    turn.deliver(requestId, null, { type: "approval_decision", approvalId, status: "cancelled", by: "Maestro", message: UNDELIVERED });
  }

  async function request(turn: ApprovalTurn, req: ApprovalRequest): Promise<void> {
    let made: Live | null = null;
    await inTurn(turn.turnId, async () => {
      const agent = await db.agent.findUnique({ where: { id: turn.agentId }, select: { name: true, settingsJson: true } });
      const settings = parseAgentSettings(agent?.settingsJson ?? "{}");
      const kind = req.toolName === "AskUserQuestion" ? "question" : "tool";
      const minutes = settings.approvalTimeoutMin ?? DEFAULT_APPROVAL_TIMEOUT_MIN;
      const timeoutMs = deps.timeoutMs ?? minutes * 60_000;
      const base = {
        turnId: turn.turnId,
        tabId: turn.tabId,
        agentId: turn.agentId,
        runId: turn.runId,
        provider: turn.providerId,
        requestId: req.requestId,
        toolUseId: req.toolUseId ?? null,
        toolName: req.toolName,
        kind,
        inputJson: JSON.stringify(req.input ?? {}),
        suggestedRule: req.suggestedRule ?? null,
        blockedPath: req.blockedPath ?? null,
        reason: req.reason ?? null,
      };
      // The bridge's own check, for CLIs that take no rules: a rule allows it, no card. A CLI that
      // got the rules (claude's --allowedTools) asked because they did not allow it; its reading wins.
      const rule = kind === "tool" && !turn.cliHasRules ? matchRules(await queries.rulesFor(turn.agentId), req.toolName, req.input) : null;
      if (rule) {
        const row = await db.approval.create({
          data: {
            ...base,
            status: "allowed",
            decidedByKind: "system",
            decidedByLabel: "rule",
            message: rule,
            decidedAt: new Date(),
            expiresAt: new Date(),
          },
          select: { id: true },
        });
        const event = { type: "approval_decision", approvalId: row.id, status: "allowed", by: "rule", rule } as const;
        if (!turn.deliver(req.requestId, { behavior: "allow" }, event)) await undelivered(turn, req.requestId, row.id);
        return;
      }
      const expiresAt = new Date(Date.now() + timeoutMs);
      const row = await db.approval.create({ data: { ...base, expiresAt }, select: { id: true } });
      const l: Live = {
        id: row.id,
        turn,
        requestId: req.requestId,
        toolName: req.toolName,
        kind,
        input: req.input,
        agentName: agent?.name ?? "",
        suggestedRule: req.suggestedRule ?? null,
        noAlwaysAllow: req.noAlwaysAllow === true || kind === "question",
        actions: kind === "tool" && !req.requiresUserInteraction,
        timer: null,
      };
      live.set(l.id, l);
      made = l;
      l.timer = setTimeout(() => {
        void end(
          l,
          { status: "expired", kind: "timeout", byId: null, by: "timeout", message: timeoutMessage(minutes) },
          {
            behavior: "deny",
            message: timeoutMessage(minutes),
          },
        ).catch((err: unknown) => logger.error(`approvals: timeout: ${(err as Error).message}`));
      }, timeoutMs);
      l.timer.unref();
      turn.show({
        type: "approval",
        approvalId: l.id,
        toolName: req.toolName,
        kind,
        input: clipInput(req.input),
        expiresAt: expiresAt.toISOString(),
        ...(req.toolUseId ? { toolUseId: req.toolUseId } : {}),
        ...(req.suggestedRule && !l.noAlwaysAllow ? { suggestedRule: req.suggestedRule } : {}),
        ...(req.blockedPath ? { blockedPath: req.blockedPath } : {}),
        ...(req.reason ? { reason: req.reason } : {}),
        ...(l.noAlwaysAllow ? { noAlwaysAllow: true } : {}),
      });
      bus.publish("approvals.changed", { agentId: turn.agentId, turnId: turn.turnId, approvalId: l.id, status: "pending" });
      await agentWaiting(turn.agentId);
      bus.publish("notify", {
        kind: "approval",
        agentId: turn.agentId,
        title: `${l.agentName || "An agent"} needs you`,
        body: pushBody(req.toolName, req.input, turn.runTask),
        url: agentTabPath(turn.agentId, turn.tabId),
        approvalId: l.id,
        actions: l.actions && pushShowsAll(req.toolName, req.input),
      });
    }).catch(async (err: unknown) => {
      // Recorded but not fully live: nobody can answer it, so it ends here (the runner denies it to the CLI).
      const l = made;
      if (l && live.delete(l.id)) {
        if (l.timer) clearTimeout(l.timer);
        await db.approval
          .updateMany({
            where: { id: l.id, status: "pending" },
            data: { status: "cancelled", decidedByKind: "system", decidedByLabel: "Maestro", message: GATE_FAILED, decidedAt: new Date() },
          })
          .catch((e: unknown) => logger.error(`approvals: could not cancel ${l.id}: ${(e as Error).message}`));
        await agentWaiting(turn.agentId).catch((e: unknown) => logger.error(`approvals: agent status: ${(e as Error).message}`));
      }
      throw err;
    });
  }

  const gate: ApprovalGate = {
    rulesFor: (agentId) => queries.rulesFor(agentId),
    request,
    isWaiting: (agentId) => [...live.values()].some((l) => l.turn.agentId === agentId),
    async withdraw(turnId, requestId) {
      await inTurn(turnId, async () => {
        for (const l of liveOf(turnId, requestId))
          await end(l, { status: "cancelled", kind: "system", byId: null, by: "Maestro", message: WITHDRAWN }, null);
      });
    },
    async endTurn(turnId, how) {
      await inTurn(turnId, async () => {
        for (const l of liveOf(turnId))
          await end(l, { status: "cancelled", kind: "system", byId: null, by: "Maestro", message: ENDED[how] }, null);
        // Rows whose request never went live (a failure half way) end too.
        await db.approval.updateMany({
          where: { turnId, status: "pending" },
          data: { status: "cancelled", decidedByKind: "system", decidedByLabel: "Maestro", message: ENDED[how], decidedAt: new Date() },
        });
      });
      chains.delete(turnId);
    },
  };

  /** A person's answer. The first one wins; any later one (or one for a request that ended) is a CONFLICT. */
  async function answer(
    raw: ApprovalAnswerInput,
    principal: ApprovalPrincipal,
  ): Promise<{ approvalId: string; status: "allowed" | "denied" }> {
    const input = approvalAnswerInput.parse(raw);
    const l = live.get(input.approvalId);
    if (!l) {
      const row = await db.approval.findUnique({ where: { id: input.approvalId }, select: { status: true, decidedByLabel: true } });
      if (!row) throw new AppError("NOT_FOUND", "That request no longer exists.");
      if (row.status === "pending") throw new AppError("CONFLICT", "The turn that asked is no longer running, so this can't be answered.");
      throw new AppError("CONFLICT", alreadyText(row.status, row.decidedByLabel));
    }
    const by = { kind: principal.kind, byId: principal.id, by: principal.label };
    let ok: boolean;
    if (input.decision === "deny") {
      const message = input.message?.trim() ? input.message.trim() : DENIED;
      ok = await end(l, { status: "denied", ...by, message }, { behavior: "deny", message });
    } else if (l.kind === "question") {
      if (input.decision === "always")
        throw new AppError("BAD_INPUT", "A question is answered, not always allowed.", { field: "decision" });
      let updated: Record<string, unknown>;
      try {
        updated = questionAnswerInput(l.input, input.answers ?? {});
      } catch (err) {
        throw new AppError("BAD_INPUT", (err as Error).message, { field: "answers" });
      }
      ok = await end(
        l,
        { status: "allowed", ...by },
        { behavior: "allow", updatedInput: updated },
        {
          answersJson: JSON.stringify(updated.answers),
          updatedInputJson: JSON.stringify(updated),
        },
      );
    } else if (input.decision === "always") {
      // A rule outlives the request: only the owner sets one (a share link answers this request only).
      if (principal.kind !== "owner")
        throw new AppError("FORBIDDEN", "Only the owner can add an always-allow rule; allow once instead.", { field: "decision" });
      if (l.noAlwaysAllow) throw new AppError("BAD_INPUT", "This request can't be always allowed: allow it once.", { field: "decision" });
      const parsed = parseRule(input.rule ?? l.suggestedRule ?? l.toolName);
      if (!parsed)
        throw new AppError("BAD_INPUT", "A rule is a tool name, optionally with what it may do in brackets: Bash(npm test:*).", {
          field: "rule",
        });
      if (parsed.tool !== l.toolName)
        throw new AppError("BAD_INPUT", `The rule must be for ${l.toolName}, the tool this request is for.`, { field: "rule" });
      const rule = formatRule(parsed.tool, parsed.content);
      // The first answer wins; the winner's rule is stored before the CLI hears "allow", so a
      // failing store leaves the request waiting rather than allowed with an error.
      ok = await end(
        l,
        { status: "allowed", ...by },
        { behavior: "allow", sessionRule: rule },
        {
          rule,
          beforeDeliver: async () => (await storeRule(db, l.turn.agentId, rule, principal.label)).id,
        },
      );
      if (ok) bus.publish("agents.changed", { agentId: l.turn.agentId });
    } else {
      ok = await end(l, { status: "allowed", ...by }, { behavior: "allow" });
    }
    if (!ok) {
      const row = await db.approval.findUnique({ where: { id: l.id }, select: { status: true, decidedByLabel: true } });
      throw new AppError("CONFLICT", alreadyText(row?.status ?? "cancelled", row?.decidedByLabel ?? null));
    }
    return { approvalId: l.id, status: input.decision === "deny" ? "denied" : "allowed" };
  }

  return {
    ...gate,
    answer,
    pending: (raw?: Parameters<typeof queries.pending>[0]) => queries.pending(raw),
    rules: queries.rules,
    setTabMode: (raw: Parameters<typeof queries.setTabMode>[0]) => queries.setTabMode(raw),
    /** Bridge shutdown: timers stop (the turns' own end cancels their requests). */
    shutdown() {
      for (const l of live.values()) if (l.timer) clearTimeout(l.timer);
    },
  };
}

export type ApprovalsService = ReturnType<typeof createApprovalsService>;
