/** The transcript's shapes: the events it is built from, and the turns and items it holds (build.ts builds it). */
import type { AgentEvent } from "../providers/events";

type ApprovalEvent = Extract<AgentEvent, { type: "approval" }>;
type ApprovalDecisionEvent = Extract<AgentEvent, { type: "approval_decision" }>;

/** The wire shape of turns.onEvent (server/services/turns/event-writer.ts StoredEvent). */
export interface TranscriptEvent {
  id: number;
  turnId: string;
  type: string;
  data: Record<string, unknown>;
  at: string;
}

export type TurnStatus = "running" | "done" | "error" | "stopped";
/** interrupted: the turn ended before the tool reported a result. */
export type ToolStatus = "running" | "completed" | "failed" | "interrupted";

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface TextItem {
  kind: "text";
  key: string;
  text: string;
  messageId?: string;
}
export interface ThinkingItem {
  kind: "thinking";
  key: string;
  text: string;
  messageId?: string;
}
export interface ToolItem {
  kind: "tool";
  key: string;
  id: string;
  name: string;
  input: unknown;
  status: ToolStatus;
  /** null until the tool's result arrives. */
  output: string | null;
  isError: boolean;
  /** The permission request for this call (paired by tool use id), if the CLI asked. */
  approval?: ApprovalState;
}
/** A permission request (the `approval` event) and how it ended (`approval_decision`). */
export type ApprovalState = Omit<ApprovalEvent, "type" | "noAlwaysAllow"> & {
  noAlwaysAllow: boolean;
  askedAt: string;
  decision: ApprovalDecision | null;
};
export type ApprovalDecision = Pick<ApprovalDecisionEvent, "status" | "by" | "message" | "rule"> & { at: string };
/** A request that could not be paired with a tool row (shown on its own). */
export interface ApprovalItem {
  kind: "approval";
  key: string;
  approval: ApprovalState;
}
export interface ErrorItem {
  kind: "error";
  key: string;
  message: string;
  errorKind: string;
  fatal: boolean;
  resetsAt?: string;
}
/** Consecutive lines the provider printed that we could not parse. */
export interface RawItem {
  kind: "raw";
  key: string;
  lines: string[];
}

export type TranscriptItem = TextItem | ThinkingItem | ToolItem | ErrorItem | RawItem | ApprovalItem;

export interface Turn {
  id: string;
  /** Stable React/virtualizer key: the id of the turn's first event. */
  key: string;
  /** null when the stream started mid-turn (never in practice: the backlog starts at 0). */
  prompt: string | null;
  images: number;
  startedAt: string;
  endedAt: string | null;
  status: TurnStatus;
  items: TranscriptItem[];
  /** Live sum of usage events; replaced by the authoritative figures of turn_end. */
  usage: Usage;
  durationMs: number | null;
  /** turn_end's error text ("Stopped.", the fatal error…), when the turn did not finish well. */
  error: string | null;
  /** Files the turn changed in its git work tree (turn_end's record); null: no record. */
  filesChanged: number | null;
  model: string | null;
  contextWindow: number | null;
  /** tool id → index in items (items are append-only, so indices stay true). */
  readonly toolIndex: Map<string, number>;
}

export interface Transcript {
  /** The highest event id applied; the resume point. 0 before any event. */
  lastId: number;
  turns: Turn[];
  totals: Usage;
  /** Events applied so far (for diagnostics and tests). */
  eventCount: number;
  /** turnId → index in turns (turns are append-only). */
  readonly turnIndex: Map<string, number>;
}

export const ZERO_USAGE: Usage = Object.freeze({ inputTokens: 0, outputTokens: 0, costUsd: 0 });

export function emptyTranscript(): Transcript {
  return { lastId: 0, turns: [], totals: ZERO_USAGE, eventCount: 0, turnIndex: new Map() };
}
