import type { Prisma } from "../../db";
import { configOf, type RunRow } from "./run-state";

/**
 * What clients see of a run: these columns and the parsed config. Not `configJson` (the config
 * is sent parsed) nor `docStateJson` (the runner's own bookkeeping); a new column stays on the
 * bridge until it is named here.
 */
export const runSelect = {
  id: true,
  agentId: true,
  playbookId: true,
  name: true,
  status: true,
  pauseReason: true,
  pauseKind: true,
  resumeAt: true,
  pendingAction: true,
  endReason: true,
  tabId: true,
  docIndex: true,
  loop: true,
  currentTask: true,
  currentTurnId: true,
  tasksDone: true,
  tasksFailed: true,
  loopTasksDone: true,
  inputTokens: true,
  outputTokens: true,
  costUsd: true,
  elapsedMs: true,
  activeSince: true,
  startedAt: true,
  endedAt: true,
  updatedAt: true,
  worktreeAgentId: true,
  worktreeBranch: true,
  prUrl: true,
  prVia: true,
  prWarning: true,
} as const satisfies Prisma.AutorunRunSelect;

type RunColumns = Prisma.AutorunRunGetPayload<{ select: typeof runSelect }>;
export type RunView = RunColumns & { config: ReturnType<typeof configOf> };

/** A stored run as clients see it (the runner keeps whole rows; this is where they leave it). */
export function runView(run: RunRow): RunView {
  const view = {} as Record<string, unknown>;
  for (const key of Object.keys(runSelect)) view[key] = run[key as keyof RunRow];
  return { ...(view as RunColumns), config: configOf(run) };
}

export const attemptSelect = {
  id: true,
  runId: true,
  loop: true,
  docIndex: true,
  docPath: true,
  taskText: true,
  taskLine: true,
  doneBefore: true,
  totalBefore: true,
  turnId: true,
  status: true,
  summary: true,
  startedAt: true,
  endedAt: true,
} as const satisfies Prisma.AutorunAttemptSelect;
