import type { Db } from "../../db";
import type { BusEvents } from "../../events/bus";
import { spawnsAt, type RunEvents } from "./run-events";
import { configOf, type RunRow } from "./run-state";

/**
 * Pausing runs: one run that waits (a review gate, an error, a rate limit, a person's Pause), and
 * every running run at once when the bridge stops or restarts.
 */
export function createRunPause(ctx: {
  db: Db;
  events: RunEvents;
  changed: (run: { id: string; agentId: string }) => void;
  notify: (run: { id: string; agentId: string }, kind: BusEvents["notify"]["kind"], title: string, body: string) => void;
  activeMs: (run: RunRow) => number;
  /** A rate-limited run resumes by itself at `at`. */
  schedule: (runId: string, at: Date) => void;
}) {
  const { db, changed, notify, activeMs } = ctx;

  /** Pauses a running run (only if it is still running: a concurrent Abort wins). */
  async function pause(run: RunRow, kind: string, reason: string, resumeAt: Date | null = null): Promise<void> {
    const r = await db.autorunRun.updateMany({
      where: { id: run.id, status: { in: ["running", "stopping"] } },
      data: {
        status: "paused",
        pauseKind: kind,
        pauseReason: reason,
        resumeAt,
        pendingAction: null,
        elapsedMs: activeMs(run),
        activeSince: null,
        currentTask: null,
        currentTurnId: null,
      },
    });
    if (r.count === 0) return;
    changed(run);
    await announce(run.id, kind, reason, resumeAt);
    notify(run, "run-paused", `Auto Run paused: ${run.name}`, reason);
    if (resumeAt) ctx.schedule(run.id, resumeAt);
  }

  /** The typed `paused` event, from the committed row (its totals include the task just ended). */
  async function announce(runId: string, kind: string, reason: string, resumeAt: Date | null) {
    const fresh = await db.autorunRun.findUnique({ where: { id: runId } });
    if (!fresh) return;
    const filename = configOf(fresh).documents[fresh.docIndex]?.filename;
    const spawns = spawnsAt(fresh);
    ctx.events.emit({
      type: "paused",
      runId: fresh.id,
      ...(filename === undefined ? {} : { document: filename, docIndex: fresh.docIndex }),
      taskIndex: Math.max(0, spawns - 1),
      kind,
      reason,
      resumeAt: resumeAt ? resumeAt.getTime() : null,
      totals: { tasksDone: fresh.tasksDone, tasksFailed: fresh.tasksFailed, elapsedMs: fresh.elapsedMs, costUsd: fresh.costUsd },
    });
  }

  /** Runs left running (a bridge stopping, or one that died) become paused; their in-flight attempts interrupted. */
  async function pauseStale(reason: string): Promise<number> {
    const stale = await db.autorunRun.findMany({ where: { status: { in: ["running", "stopping"] } } });
    for (const run of stale) {
      await db.autorunAttempt.updateMany({ where: { runId: run.id, status: "running" }, data: { status: "interrupted" } });
      await db.autorunRun.update({
        where: { id: run.id },
        data: {
          status: "paused",
          pauseKind: "restart",
          pauseReason: reason,
          pendingAction: null,
          elapsedMs: run.activeSince
            ? run.elapsedMs + Math.max(0, Math.min(Date.now(), run.updatedAt.getTime()) - run.activeSince.getTime())
            : run.elapsedMs,
          activeSince: null,
          currentTask: null,
          currentTurnId: null,
        },
      });
      changed(run);
      await announce(run.id, "restart", reason, null);
    }
    return stale.length;
  }

  return { pause, pauseStale };
}
