import { outcomeLines, type PrOutcome } from "../../../lib/autorun/worktree";
import type { Db } from "../../db";
import type { FastDb } from "../../db/fast";
import { AppError } from "../../errors";
import type { BusEvents } from "../../events/bus";
import type { HistoryService } from "../history/service";
import type { RunEvents } from "./run-events";
import type { RunRow } from "./run-state";
import type { WorktreeRuns } from "./worktree-run";

export type RunEndStatus = "done" | "aborted" | "halted" | "error";
/** Where a halt marker stopped a run: its document, the last task begun there, the marker's reason. */
export type RunHalt = { document: string; docIndex: number; taskIndex: number; reason: string };

/**
 * The end of a run: its final state, History entry and notification, once. A worktree run that
 * completed first hands its branch over (push, pull request); meanwhile Stop, Pause and Abort are
 * refused, and an agent's deletion waits for it.
 */
export function createRunEnd(ctx: {
  db: Db;
  history: HistoryService;
  wt: WorktreeRuns;
  events: RunEvents;
  agents: FastDb["agents"];
  load: (runId: string) => Promise<RunRow>;
  changed: (run: { id: string; agentId: string }) => void;
  notify: (run: { id: string; agentId: string }, kind: BusEvents["notify"]["kind"], title: string, body: string, url?: string) => void;
  urlOf: (runId: string) => string;
  activeMs: (run: RunRow) => number;
  clearTimer: (runId: string) => void;
}) {
  const { db, history, wt, load, changed, notify, urlOf, activeMs } = ctx;
  /** Runs handing their branch over (push, pull request) at the end: Stop, Pause and Abort wait for no one then. */
  const handingOver = new Map<string, Promise<void>>();
  function refuseDuringHandOver(runId: string, verb: string) {
    if (handingOver.has(runId))
      throw new AppError(
        "CONFLICT",
        `This run is pushing its branch and opening its pull request; it cannot ${verb} now. It ends in a moment.`,
      );
  }

  /**
   * Ends a run once: a second end (an Abort racing the run's own end) records and notifies nothing.
   * `halt`: the document whose halt marker ended it, for the `run-ended` event.
   */
  async function end(run: RunRow, status: RunEndStatus, reason: string, halt: RunHalt | null = null): Promise<void> {
    const fresh = await load(run.id);
    if (fresh.endedAt) return;
    const summary = `${fresh.name}: ${reason} ${fresh.tasksDone} task${fresh.tasksDone === 1 ? "" : "s"} done in ${fresh.loop} loop${fresh.loop === 1 ? "" : "s"}.`;
    // A worktree run that completed hands its branch over (push, pull request) before it says Done.
    let outcome: PrOutcome | null = null;
    if (fresh.worktreeBranch && status === "done") {
      const handOver = wt.finish(fresh, ctx.agents.forRun(fresh.agentId), summary);
      handingOver.set(
        run.id,
        handOver.then(() => {}),
      );
      outcome = await handOver.finally(() => handingOver.delete(run.id));
    } else if (fresh.worktreeBranch) outcome = { branch: fresh.worktreeBranch, url: null, via: null, warning: null };
    const ended = await db.autorunRun.updateMany({
      where: { id: run.id, endedAt: null },
      data: {
        ...(outcome && status === "done" ? { prUrl: outcome.url, prVia: outcome.via, prWarning: outcome.warning } : {}),
        status,
        endReason: reason,
        pauseReason: null,
        pauseKind: null,
        resumeAt: null,
        pendingAction: null,
        endedAt: new Date(),
        elapsedMs: activeMs(fresh),
        activeSince: null,
        currentTask: null,
        currentTurnId: null,
      },
    });
    if (ended.count === 0) return;
    const final = await load(run.id);
    changed(final);
    ctx.events.emit({
      type: "run-ended",
      runId: run.id,
      status,
      reason,
      totals: { tasksDone: final.tasksDone, tasksFailed: final.tasksFailed, elapsedMs: final.elapsedMs, costUsd: final.costUsd },
      halt: status === "halted" ? halt : null,
    });
    ctx.clearTimer(run.id);
    const agent = await db.agent.findUnique({ where: { id: run.agentId }, select: { name: true } });
    await history.record({
      kind: "autorun-run",
      agentId: run.agentId,
      agentName: agent?.name ?? "",
      tabId: final.tabId,
      runId: run.id,
      success: status === "done",
      summary,
      detail: [status, ...(outcome ? outcomeLines(outcome) : [])].join("\n"),
      durationMs: final.elapsedMs,
      inputTokens: final.inputTokens,
      outputTokens: final.outputTokens,
      costUsd: final.costUsd,
    });
    if (outcome?.url)
      // The notification opens the run page, which goes on to the pull request (a push opens only our own pages).
      notify(
        run,
        "run-done",
        `${outcome.via === "gh" ? "Pull request opened" : "Branch pushed"}: ${final.name}`,
        outcome.url,
        `${urlOf(run.id)}?open=pr`,
      );
    else notify(run, "run-done", status === "done" ? `Auto Run done: ${final.name}` : `Auto Run ${status}: ${final.name}`, reason);
  }

  return { end, refuseDuringHandOver, handingOver };
}
