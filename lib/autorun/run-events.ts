/**
 * What happens in an Auto Run, as the runner announces it on the bus (`autorun.event`), and the
 * same moments as desktop `maestro-cli`'s JSONL run events (`src/cli/output/jsonl.ts`,
 * `batch-processor.ts` of RunMaestro/Maestro@4ec03d1b), so scripts written for desktop read ours.
 */

/** Tokens and cost of one task turn. */
export interface RunUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  contextWindow: number;
}

/** A run's totals so far (or at its end). */
export interface RunTotals {
  tasksDone: number;
  tasksFailed: number;
  elapsedMs: number;
  costUsd: number;
}

/** Where a run stands in its documents: the document's file name and its position in the run. */
interface At {
  document: string;
  docIndex: number;
}

type RunEventBody =
  | {
      type: "run-started";
      kind: "playbook" | "direct";
      playbookId: string | null;
      name: string;
      tabId: string | null;
      agent: { id: string; name: string; folder: string };
    }
  | (At & { type: "document-started"; loop: number; taskCount: number })
  /** `taskIndex`: the agent turns begun on this document in this loop before this one (desktop's count). */
  | (At & { type: "task-started"; loop: number; taskIndex: number; task: string; line: number; attemptId: string })
  | (At & {
      type: "task-completed";
      loop: number;
      taskIndex: number;
      attemptId: string;
      turnId: string | null;
      /** The agent's turn succeeded (desktop: the process did), whether or not a box was ticked. */
      success: boolean;
      status: "done" | "no-progress" | "failed";
      summary: string;
      /** The reply's head and tail (turn-tally keeps those), not necessarily the whole reply. */
      response: string;
      /** Set on an older event of a long run's log whose reply was let go (the turn keeps it). */
      responseDropped?: boolean;
      elapsedMs: number;
      usage: RunUsage;
      providerSessionId: string | null;
    })
  | (At & { type: "document-completed"; loop: number; tasksDone: number })
  /** `again`: another loop follows (desktop announces only those). */
  | {
      type: "loop-completed";
      loop: number;
      again: boolean;
      tasksDone: number;
      elapsedMs: number;
      usage: Pick<RunUsage, "inputTokens" | "outputTokens" | "costUsd">;
    }
  /** The run waits (review gate, error, rate limit, a person's Pause…); it may be resumed. */
  | (Partial<At> & {
      type: "paused";
      kind: string;
      reason: string;
      resumeAt: number | null;
      taskIndex: number;
      totals: RunTotals;
    })
  /** `halt`: a document's halt marker ended it (read before the next task). */
  | {
      type: "run-ended";
      status: "done" | "aborted" | "halted" | "error";
      reason: string;
      totals: RunTotals;
      halt: (At & { taskIndex: number; reason: string }) | null;
    }
  /** A paused run goes on (Resume, or a rate limit lifted): what follows belongs to the same run. */
  | { type: "resumed" }
  | { type: "error"; code: string; message: string };

/** `seq`: per run, from 1, in publish order; `at`: ms since the epoch when it was published. */
export type RunEvent = RunEventBody & { runId: string; seq: number; at: number };
export type RunEventType = RunEvent["type"];
/** What a publisher hands over; the run's event log stamps `seq` and `at`. */
export type RunEventInput = RunEventBody & { runId: string };

/** A desktop JSONL event: `type`, then `timestamp`, then its fields (key order as desktop writes them). */
export type DesktopJsonl = { type: string; timestamp: number } & Record<string, unknown>;

export interface DesktopContext {
  /** Overrides the event's own time (ms); by default each line carries the moment it happened. */
  timestamp?: number;
}

/** Desktop names documents without `.md` (`run-doc.ts` strips it with `/\.md$/i`, any case, as here). */
export const documentName = (filename: string) => filename.replace(/\.md$/i, "");

const line = (type: string, timestamp: number, fields: Record<string, unknown>): DesktopJsonl => ({ type, timestamp, ...fields });

const usageStats = (u: Partial<RunUsage>) => ({
  inputTokens: u.inputTokens ?? 0,
  outputTokens: u.outputTokens ?? 0,
  cacheReadInputTokens: u.cacheReadTokens ?? 0,
  cacheCreationInputTokens: u.cacheWriteTokens ?? 0,
  totalCostUsd: u.costUsd ?? 0,
  contextWindow: u.contextWindow ?? 0,
});

const complete = (timestamp: number, runId: string, totals: RunTotals, extra: Record<string, unknown>) =>
  line("complete", timestamp, {
    success: false,
    totalTasksCompleted: totals.tasksDone,
    totalElapsedMs: totals.elapsedMs,
    totalCost: totals.costUsd,
    ...extra,
    tasksFailed: totals.tasksFailed,
    runId,
  });

/**
 * One run event as desktop's JSONL lines: none (a moment desktop does not announce), one, or two
 * (a halt is followed by its `complete`). Desktop's fields come first; ours follow as extra keys
 * (desktop's `JsonlEvent` has an index signature, so its readers ignore them). A paused run is
 * reported as desktop reports a halt (`halt{pauseKind}`, then `complete{success:false, status:"paused"}`),
 * except a rate limit's wait, which lifts by itself: a `paused{resumeAt}` line, and the stream goes on.
 */
export function toDesktopJsonl(event: RunEvent, ctx: DesktopContext = {}): DesktopJsonl[] {
  const ts = ctx.timestamp ?? event.at;
  switch (event.type) {
    case "run-started":
      return [
        line("start", ts, {
          playbook: { id: event.playbookId ?? event.runId, name: event.name },
          session: { id: event.agent.id, name: event.agent.name, cwd: event.agent.folder },
          runId: event.runId,
          tabId: event.tabId,
        }),
      ];
    case "document-started":
      return [line("document_start", ts, { document: documentName(event.document), index: event.docIndex, taskCount: event.taskCount })];
    case "task-started":
      return [
        line("task_start", ts, { document: documentName(event.document), taskIndex: event.taskIndex, task: event.task, line: event.line }),
      ];
    case "task-completed":
      return [
        line("task_complete", ts, {
          document: documentName(event.document),
          taskIndex: event.taskIndex,
          success: event.success,
          summary: event.summary,
          fullResponse: event.response,
          elapsedMs: event.elapsedMs,
          usageStats: usageStats(event.usage),
          ...(event.providerSessionId ? { agentSessionId: event.providerSessionId } : {}),
          status: event.status,
          turnId: event.turnId,
          ...(event.responseDropped ? { fullResponseDropped: true } : {}),
        }),
      ];
    case "document-completed":
      return [line("document_complete", ts, { document: documentName(event.document), tasksCompleted: event.tasksDone })];
    case "loop-completed":
      if (!event.again) return [];
      return [
        line("loop_complete", ts, {
          iteration: event.loop,
          tasksCompleted: event.tasksDone,
          elapsedMs: event.elapsedMs,
          usageStats: usageStats(event.usage),
        }),
      ];
    case "paused":
      // A rate limit lifts by itself (the runner resumes at `resumeAt`): the stream goes on.
      if (waitsByItself(event))
        return [
          line("paused", ts, {
            pauseKind: event.kind,
            reason: event.reason,
            resumeAt: event.resumeAt,
            document: event.document === undefined ? "" : documentName(event.document),
          }),
        ];
      // Any other pause waits for a person: the stream ends here, as desktop's halt ends a run.
      return [
        line("halt", ts, {
          document: event.document === undefined ? "" : documentName(event.document),
          taskIndex: event.taskIndex,
          reason: event.reason,
          pauseKind: event.kind,
        }),
        complete(ts, event.runId, event.totals, { halted: true, haltReason: event.reason, status: "paused" }),
      ];
    case "run-ended": {
      const halt = event.halt;
      const end = complete(ts, event.runId, event.totals, {
        success: event.status === "done",
        ...(halt ? { halted: true, haltReason: halt.reason } : {}),
        status: event.status,
        endReason: event.reason,
      });
      if (!halt) return [end];
      return [line("halt", ts, { document: documentName(halt.document), taskIndex: halt.taskIndex, reason: halt.reason }), end];
    }
    case "resumed":
      return [line("resumed", ts, {})];
    case "error":
      return [line("error", ts, { message: event.message, code: event.code })];
  }
}

/** What a dry run would work through: per document (in run order), its unticked tasks' text. */
export interface DryRunInput {
  playbook: { id: string; name: string };
  agent: { id: string; name: string; folder: string };
  documents: { filename: string; tasks: string[] }[];
}

/**
 * Desktop's `--dry-run` lines (`batch-processor.ts`): no run starts. `start`, then per document
 * with tasks `document_start{dryRun}`, a `task_preview` per task and `document_complete{dryRun}`,
 * then `complete{dryRun, wouldProcess}`; with no task anywhere, `error{NO_TASKS}` after `start`.
 */
export function dryRunJsonl(input: DryRunInput, timestamp: number): DesktopJsonl[] {
  const out = [
    line("start", timestamp, {
      playbook: input.playbook,
      session: { id: input.agent.id, name: input.agent.name, cwd: input.agent.folder },
    }),
  ];
  const would = input.documents.reduce((n, d) => n + d.tasks.length, 0);
  if (would === 0) return [...out, line("error", timestamp, { message: "No unchecked tasks found in any documents", code: "NO_TASKS" })];
  input.documents.forEach((d, index) => {
    if (d.tasks.length === 0) return;
    const document = documentName(d.filename);
    out.push(line("document_start", timestamp, { document, index, taskCount: d.tasks.length, dryRun: true }));
    d.tasks.forEach((task, taskIndex) => out.push(line("task_preview", timestamp, { document, taskIndex, task })));
    out.push(line("document_complete", timestamp, { document, tasksCompleted: d.tasks.length, dryRun: true }));
  });
  out.push(line("complete", timestamp, { success: true, totalTasksCompleted: 0, totalElapsedMs: 0, dryRun: true, wouldProcess: would }));
  return out;
}

/** The line a stream ends after. */
export const isFinal = (e: DesktopJsonl) => e.type === "complete";

/** Desktop's halt reason when a marker gives none (`batch-processor.ts`). */
export const DEFAULT_HALT_REASON = "Halted by agent";

/**
 * A pause that ends by itself: a rate limit with a known end (the runner resumes then). Its line
 * is not final; every other pause waits for a person and ends the stream (`halt` + `complete`).
 */
export const waitsByItself = (e: RunEvent) => e.type === "paused" && e.kind === "rate_limit" && e.resumeAt !== null;

/**
 * What a replay of a run's log yields: its start, then what followed its latest final pause if it
 * was resumed since (a resumed run's earlier pause ended that part of the story; the reader asking
 * now wants the part going on). A run paused now replays up to and including that pause. A rate
 * limit's pause did not end the story: it is replayed with what followed.
 */
export function replayWindow(events: readonly RunEvent[]): RunEvent[] {
  let cut = -1;
  for (let i = 0; i < events.length - 1; i++) if (events[i]!.type === "paused" && !waitsByItself(events[i]!)) cut = i;
  if (cut < 0) return [...events];
  const start = events.find((e) => e.type === "run-started");
  return [...(start && start.seq < events[cut]!.seq ? [start] : []), ...events.slice(cut + 1)];
}

/**
 * Desktop's error code for a run that could not start (the CLI prints it as `error{code}`):
 * `AGENT_BUSY` for a second run on an agent, `HALT_MARKER_PRESENT` for a stale halt marker.
 */
export function startErrorCode(err: { code?: string; field?: string | null; message?: string }): string {
  if (err.code === "CONFLICT" && err.field === "halt") return "HALT_MARKER_PRESENT";
  if (err.code === "CONFLICT" && /already has a/.test(err.message ?? "")) return "AGENT_BUSY";
  if (err.code === "NOT_FOUND") return "NOT_FOUND";
  if (err.code === "BAD_INPUT") return "BAD_INPUT";
  return "EXECUTION_ERROR";
}
