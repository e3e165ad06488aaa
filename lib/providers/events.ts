/**
 * The normalized event stream of a turn. Every provider's JSONL is parsed into these, stored in
 * the Event table (type + JSON payload) and streamed to clients. Pure types, shared by both sides.
 */
export type ErrorKind =
  "not_installed" | "auth" | "rate_limit" | "context_full" | "permission" | "crash" | "malformed" | "timeout" | "provider";

export type AgentEvent =
  /** The provider's own session id (resume key), reported at the start of a turn. */
  | { type: "session"; sessionId: string; model?: string; slashCommands?: string[] }
  /** Assistant text. `delta: true` continues the previous text event of the same message. */
  | { type: "text"; text: string; messageId?: string; delta?: boolean }
  | { type: "thinking"; text: string; messageId?: string }
  | { type: "tool_call"; id: string; name: string; input: unknown; status?: "running" | "completed" | "failed" }
  | { type: "tool_result"; id: string; output: string; isError: boolean }
  /**
   * Token usage to ADD to the turn's totals (parsers de-duplicate, e.g. claude repeats a
   * message's usage on every content block line). costUsd likewise adds.
   */
  | {
      type: "usage";
      inputTokens: number;
      outputTokens: number;
      cacheReadTokens?: number;
      cacheWriteTokens?: number;
      costUsd?: number;
      contextWindow?: number;
    }
  /** A problem. `fatal` errors end the turn as failed; others are shown and the turn goes on. */
  | { type: "error"; message: string; kind: ErrorKind; fatal: boolean; resetsAt?: string }
  /**
   * Parser → runner only (never stored): the CLI asks before using a tool, or asks the user a
   * question (claude `control_request` `can_use_tool`). The runner hands it to the approval gate.
   */
  | {
      type: "approval_request";
      requestId: string;
      toolUseId?: string;
      toolName: string;
      input: unknown;
      /** The CLI's own "always allow" offer, reduced to one rule (`Bash(npm test:*)`), if any. */
      suggestedRule?: string;
      blockedPath?: string;
      reason?: string;
      /** A question the user must answer (AskUserQuestion): no one-tap Allow. */
      requiresUserInteraction?: boolean;
      /** The CLI asks not to offer "Always allow" for this call. */
      noAlwaysAllow?: boolean;
    }
  /** Parser → runner only: the CLI withdrew a request (e.g. it was interrupted). */
  | { type: "approval_cancel"; requestId: string }
  /** Stored: a request waiting for a person (the card). */
  | {
      type: "approval";
      approvalId: string;
      toolUseId?: string;
      toolName: string;
      kind: "tool" | "question";
      /** The tool's input (clipped for very large inputs; the full one is on the Approval row). */
      input: unknown;
      suggestedRule?: string;
      blockedPath?: string;
      reason?: string;
      noAlwaysAllow?: boolean;
      expiresAt: string;
    }
  /** Stored: how a request ended. */
  | {
      type: "approval_decision";
      approvalId: string;
      status: "allowed" | "denied" | "expired" | "cancelled";
      /** Who answered: a device's name, a share link's label, "timeout" or "Maestro". */
      by: string;
      /** The deny reason the model received, or why it expired or was cancelled. */
      message?: string;
      /** Set when "Always allow" stored a rule. */
      rule?: string;
    }
  /** A line we could not parse, kept for the record (truncated). */
  | { type: "raw"; line: string }
  /** The provider's own end-of-turn. */
  | {
      type: "done";
      ok: boolean;
      result?: string;
      durationMs?: number;
      totalCostUsd?: number;
      numTurns?: number;
      /**
       * Totals as the CLI reported them, which some CLIs count for the whole session when it is
       * resumed (claude total_cost_usd, codex turn.completed usage). The runner keeps them per
       * tab and passes them back as ParserOptions.sessionBaseline on the next resumed turn.
       */
      reported?: SessionTotals;
    };

/** Cumulative figures a CLI reports for a session (see `done.reported`). */
export interface SessionTotals {
  costUsd?: number;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
}

export type AgentEventType = AgentEvent["type"];

/** Stateful per turn (e.g. usage de-duplication) but pure: no I/O, never throws. */
export interface LineParser {
  parse(line: string): AgentEvent[];
  /** Called once at end of stream (e.g. to flush a truncated last line). */
  end?(): AgentEvent[];
}

/** The longest raw line we keep in an event (a 10 MB garbage line must not become a 10 MB row). */
export const RAW_LINE_LIMIT = 2000;

export function rawEvent(line: string): AgentEvent {
  return { type: "raw", line: line.length > RAW_LINE_LIMIT ? `${line.slice(0, RAW_LINE_LIMIT)}… (${line.length} bytes)` : line };
}
