import type { Reply } from "../../../lib/providers/reply";
import type { Db } from "../../db";
import type { FastDb } from "../../db/fast";
import type { Bus } from "../../events/bus";
import type { Logger } from "../../logger";
import type { DetectedProvider } from "../providers/detect";
import type { HistoryService } from "../history/service";
import type { ApprovalGate } from "../approvals/gate";
import type { RunningProcess } from "./process-runner";

export interface TurnsDeps {
  db: Db;
  /** The fast path (prepared statements): the event stream, the per-turn writes, the tab-opening reads. */
  fast: FastDb;
  bus: Bus;
  detectProviders: () => Promise<DetectedProvider[]>;
  isRoot?: boolean;
  /** Override the idle watchdog (tests). */
  idleTimeoutMs?: number;
  stopGraceMs?: number;
  /** How much lower provider CLIs run than the bridge (0–19). */
  niceness?: number;
  /** The data dir, passed to provider CLIs as MAESTRO_HOME (so `maestro` inside an agent finds this bridge). */
  dataDir?: string;
  /** Where finished user turns are recorded (History). Optional so the service stands alone in tests. */
  history?: Pick<HistoryService, "record">;
  /** Where the CLI's approval requests go (the approvals service). Without it every request is denied. */
  approvals?: ApprovalGate;
  logger: Logger;
}

/**
 * Who sent a turn. Only "user" turns are recorded in History as `turn` (and pushed when they
 * end); Auto Run, group chats and missions record their own entries for the turns they start.
 */
export type TurnOrigin = "user" | "autorun" | "groupchat" | "mission";

/** How a turn ended, as stored: what a caller that waits for the turn needs, without reading it back. */
export interface TurnOutcome {
  turnId: string;
  status: "done" | "error" | "stopped";
  errorKind: string | null;
  errorMessage: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Cache tokens and the last context window the provider reported (0 when it reports none). */
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  contextWindow?: number;
  /** The provider's session id for this turn, once it said (Auto Run's run events carry it). */
  providerSessionId?: string | null;
  durationMs: number;
  reply: Reply;
  /** A tool request went unanswered until its timeout and was denied (Auto Run: not a stall). */
  approvalTimedOut?: boolean;
}

export interface SendInput {
  tabId: string;
  prompt: string;
  images?: string[];
  origin?: TurnOrigin;
  /** Start a new provider session (the tab's stored one is dropped), as Auto Run does per task. */
  freshSession?: boolean;
  /** The client's id for this message (its queue item): a resend gets the first send's turn. */
  clientId?: string;
  /** This turn only, in the provider's read-only / plan mode (whatever the agent's setting). */
  readOnly?: boolean;
  /** The Auto Run task this turn works on (its approvals carry the run; the push names the task). */
  run?: { runId: string; document: string; task: string };
}

export interface StartResult {
  turnId: string;
  outcome: Promise<TurnOutcome>;
  /** This message was sent before: `turnId` is that first send's turn. */
  duplicate?: true;
}

/** A tab's running turn, as the service tracks it (by tab id) to stop, kill or wait for it. */
export interface ActiveTurn {
  turnId: string;
  tabId: string;
  agentId: string;
  process: RunningProcess | null;
  stopRequested: boolean;
  done: Promise<void>;
}
