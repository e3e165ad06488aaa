/**
 * The contract between the turn runner and the approvals service. The runner owns the CLI's
 * process and the turn's event stream; the service owns the Approval rows, the queue, the
 * timeout, the rules and who may answer. Types only.
 */
import type { AgentEvent } from "../../../lib/providers/events";

export type ApprovalRequest = Extract<AgentEvent, { type: "approval_request" }>;
export type ApprovalCardEvent = Extract<AgentEvent, { type: "approval" }>;
export type ApprovalDecisionEvent = Extract<AgentEvent, { type: "approval_decision" }>;

/** What goes back to the CLI (the adapter turns it into its wire format). */
export type ApprovalReply =
  | {
      behavior: "allow";
      /** The input to run with (edited, or carrying a question's answers); default: as asked. */
      updatedInput?: unknown;
      /** "Always allow": this rule also holds for the rest of this CLI session. */
      sessionRule?: string;
    }
  | { behavior: "deny"; message: string };

/** One running turn, as the service sees it (implemented by the runner). */
export interface ApprovalTurn {
  turnId: string;
  tabId: string;
  agentId: string;
  /** The Auto Run whose task this turn is, if any. */
  runId: string | null;
  /** For an Auto Run task: its document and task text (the push names them). */
  runTask?: { document: string; task: string };
  providerId: string;
  /**
   * The CLI got the agent's rules itself (claude's --allowedTools) and asks only for what they
   * do not allow: the bridge does not match them again (its reading could allow more).
   */
  cliHasRules?: boolean;
  /** Appends the card event to the turn's stream (stored, streamed to clients). */
  show(event: ApprovalCardEvent): void;
  /**
   * Writes the reply to the CLI and appends the decision event to the turn's stream.
   * false: the process is gone (the reply was not delivered, and no event was appended).
   */
  deliver(requestId: string, reply: ApprovalReply | null, event: ApprovalDecisionEvent): boolean;
}

/** Implemented by the approvals service, called by the runner. */
export interface ApprovalGate {
  /** The agent's "always allow" rules (`Bash(npm test:*)`), passed to CLIs that take them. */
  rulesFor(agentId: string): Promise<string[]>;
  /** The CLI asked: record it, show the card (or answer at once by rule / mode), start the timeout. */
  request(turn: ApprovalTurn, req: ApprovalRequest): Promise<void>;
  /** The CLI withdrew a request (e.g. interrupted): the card ends as cancelled. */
  withdraw(turnId: string, requestId: string): Promise<void>;
  /** The turn ended (done, stopped, failed, killed): whatever still waits ends as cancelled. */
  endTurn(turnId: string, how: "done" | "stopped" | "failed"): Promise<void>;
  /** Whether a request of this agent waits for a person (its status stays "waiting"). */
  isWaiting(agentId: string): boolean;
}
