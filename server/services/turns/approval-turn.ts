/**
 * A running turn's side of approvals: it takes the parser's approval events out of the stream
 * (they are never stored as they are), hands them to the approvals service (the gate), and
 * implements the ApprovalTurn the service answers through — the card into the turn's stream,
 * the answer onto the CLI's stdin. While a request waits the CLI prints nothing, so the idle
 * watchdog is held.
 */
import type { AgentEvent } from "../../../lib/providers/events";
import type { DialectId, ProviderAdapter } from "../../../lib/providers/types";
import type { Logger } from "../../logger";
import type { ApprovalGate, ApprovalReply, ApprovalTurn } from "../approvals/gate";
import type { RunningProcess } from "./process-runner";

const NO_GATE = "Nobody can answer tool approvals for this turn, so this was denied. Carry on without it.";
const GATE_FAILED = "Maestro could not record this request, so it was denied. Carry on without it, or ask again.";

export interface TurnApprovalsInput {
  gate: ApprovalGate | undefined;
  adapter: ProviderAdapter;
  /** The simulator's dialect (its answers are in that dialect's format). */
  dialect?: DialectId;
  turn: Omit<ApprovalTurn, "show" | "deliver">;
  /** Appends an event to the turn's stream (stored, streamed). */
  push: (event: AgentEvent) => void;
  process: () => RunningProcess | null;
  logger: Logger;
}

export function createTurnApprovals(input: TurnApprovalsInput) {
  const { gate, adapter, dialect, push, process, logger } = input;
  /** Requests the CLI waits on: their original input (an answer without an edit echoes it). */
  const waiting = new Map<string, unknown>();
  let timedOut = false;

  const release = (requestId: string) => {
    if (!waiting.has(requestId)) return undefined;
    const original = waiting.get(requestId);
    waiting.delete(requestId);
    process()?.holdIdle(false);
    return { original };
  };

  const write = (requestId: string, reply: ApprovalReply, original: unknown): boolean => {
    const line = adapter.approvalReply?.(requestId, reply, original, dialect) ?? null;
    const proc = process();
    return line !== null && proc !== null && proc.write(line);
  };

  const turn: ApprovalTurn = {
    ...input.turn,
    show(event) {
      push(event);
    },
    deliver(requestId, reply, event) {
      const held = release(requestId);
      if (reply && !(held && write(requestId, reply, held.original))) return false;
      if (reply && event.status === "expired") timedOut = true;
      push(event);
      return true;
    },
  };

  /** Answers at once, without the service (none, or it failed): a deny the model reads. */
  const denyNow = (requestId: string, message: string) => {
    const held = release(requestId);
    if (held) write(requestId, { behavior: "deny", message }, held.original);
  };

  return {
    /** true: an approval event, handled here (not stored, not tallied). */
    take(e: AgentEvent): boolean {
      if (e.type === "approval_request") {
        if (waiting.has(e.requestId)) return true;
        waiting.set(e.requestId, e.input);
        process()?.holdIdle(true);
        if (!gate || !adapter.approvalReply) {
          denyNow(e.requestId, NO_GATE);
          return true;
        }
        gate.request(turn, e).catch((err: unknown) => {
          logger.error(`turn ${turn.turnId}: approval request failed: ${(err as Error).message}`);
          denyNow(e.requestId, GATE_FAILED);
        });
        return true;
      }
      if (e.type === "approval_cancel") {
        if (gate) {
          gate.withdraw(turn.turnId, e.requestId).catch((err: unknown) => {
            logger.error(`turn ${turn.turnId}: approval withdraw failed: ${(err as Error).message}`);
            release(e.requestId);
          });
        } else release(e.requestId);
        return true;
      }
      return false;
    },

    /** The turn ended: whatever still waits ends as cancelled (before the turn's end is stored). */
    async end(how: "done" | "stopped" | "failed"): Promise<void> {
      try {
        await gate?.endTurn(turn.turnId, how);
      } catch (err) {
        logger.error(`turn ${turn.turnId}: could not end its approvals: ${(err as Error).message}`);
      }
      for (const id of [...waiting.keys()]) release(id);
    },

    /** A request of this turn went unanswered until its timeout (Auto Run does not count that as a stall). */
    get timedOut() {
      return timedOut;
    },
  };
}
