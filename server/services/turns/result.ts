import { DIALECT_IDS, type DialectId } from "../../../lib/providers/types";
import { sendResultFrom, type SendResult } from "../../../lib/providers/send-result";
import { parseAgentSettings } from "../../../lib/schemas/agent-settings";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { ActiveTurn } from "./types";

/**
 * A turn's result as `maestro send` prints it, read back from the database: a caller that
 * followed the turn's stream to its `turn_end` (over SSE, or in-process) asks for it then. A
 * turn still being stored is waited for, so the answer is never a half-written one.
 */
export function createTurnResult(db: Db, active: Map<string, ActiveTurn>) {
  return async function result(turnId: string): Promise<SendResult> {
    const head = await db.turn.findUnique({ where: { id: turnId }, select: { tabId: true } });
    if (!head) throw new AppError("NOT_FOUND", "That turn no longer exists.");
    const running = active.get(head.tabId);
    if (running?.turnId === turnId) await running.done;
    const turn = await db.turn.findUnique({
      where: { id: turnId },
      select: {
        tabId: true,
        status: true,
        errorMessage: true,
        agent: { select: { id: true, name: true, provider: true, settingsJson: true } },
        events: { select: { type: true, payload: true }, orderBy: { id: "asc" } },
      },
    });
    if (!turn) throw new AppError("NOT_FOUND", "That turn no longer exists.");
    const { agent } = turn;
    const dialect: DialectId =
      agent.provider === "simulator"
        ? (parseAgentSettings(agent.settingsJson).simulatorDialect ?? "claude")
        : (DIALECT_IDS as readonly string[]).includes(agent.provider)
          ? (agent.provider as DialectId)
          : "claude";
    return sendResultFrom({
      agent,
      tabId: turn.tabId,
      turnId,
      status: turn.status,
      errorMessage: turn.errorMessage,
      dialect,
      events: turn.events.map((e) => ({ type: e.type, data: parsePayload(e.payload) })),
    });
  };
}

function parsePayload(payload: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(payload);
    return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
