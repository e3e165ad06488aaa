import type { Db } from "../../db";
import type { FastDb } from "../../db/fast";
import { AppError, errorText } from "../../errors";
import type { Logger } from "../../logger";
import type { Bus, BusEvents } from "../../events/bus";
import type { HistoryService } from "../history/service";
import type { TurnsService } from "../turns/service";
import { tickPersonTask } from "./files";
import { configOf, states, type RunRow } from "./run-state";
import { createRunEnd } from "./run-end";
import { createRunEvents, desktopLines } from "./run-events";
import { createRunPause } from "./run-pause";
import { createRunStep } from "./run-step";
import { ACTIVE_STATUSES } from "./run-queries";
import { runView } from "./run-view";
import { createStartRun } from "./start-run";
import { createWorktreeRuns, type WorktreeRunDeps } from "./worktree-run";

export { configOf } from "./run-state";

export interface AutorunDeps {
  db: Db;
  /** The fast path: the per-task writes (prepared statements). */
  fast: FastDb;
  bus: Bus;
  turns: TurnsService;
  history: HistoryService;
  logger: Logger;
  /** Runs in a new worktree: the worktree agents, and (optional) push and pull requests. */
  worktrees: WorktreeRunDeps["worktrees"];
  finish?: WorktreeRunDeps["finish"];
  gitStatus?: WorktreeRunDeps["gitStatus"];
  /** Takes back a worktree agent made for a run that then failed to start (worktree, branch, agent). */
  removeWorktree?: (input: { agentId: string; deleteBranch: boolean; force: boolean }) => Promise<unknown>;
}

/**
 * Auto Run: works through an ordered list of checklist documents, one provider turn per task
 * through the turns pipeline (so every task streams and persists like a user turn). The file is
 * the truth for what is done; everything else needed to resume after a restart is in the run row.
 */
export function createAutorunService(deps: AutorunDeps) {
  const { db, bus, turns, history } = deps;
  const drivers = new Map<string, Promise<void>>();
  const timers = new Map<string, NodeJS.Timeout>();
  let closing = false;
  const writes = deps.fast.autorun;
  const wt = createWorktreeRuns({
    db,
    bus,
    worktrees: deps.worktrees,
    finish: deps.finish ?? (() => null),
    gitStatus: deps.gitStatus ?? (() => null),
    logger: deps.logger,
  });

  const urlOf = (runId: string) => `/autorun/runs/${runId}`;
  const changed = (run: { id: string; agentId: string }) => bus.publish("autorun.changed", { agentId: run.agentId, runId: run.id });
  const notify = (
    run: { id: string; agentId: string },
    kind: BusEvents["notify"]["kind"],
    title: string,
    body: string,
    url = urlOf(run.id),
  ) => bus.publish("notify", { kind, agentId: run.agentId, title, body, url });

  async function load(runId: string): Promise<RunRow> {
    const run = await db.autorunRun.findUnique({ where: { id: runId } });
    if (!run) throw new AppError("NOT_FOUND", "That run no longer exists.");
    return run;
  }

  async function update(run: RunRow, data: Parameters<Db["autorunRun"]["update"]>[0]["data"]): Promise<RunRow> {
    const next = await db.autorunRun.update({ where: { id: run.id }, data });
    changed(next);
    return next;
  }

  const activeMs = (run: RunRow) => run.elapsedMs + (run.activeSince ? Date.now() - run.activeSince.getTime() : 0);

  const events = createRunEvents(bus);
  const { pause, pauseStale } = createRunPause({ db, events, changed, notify, activeMs, schedule: (runId, at) => schedule(runId, at) });

  const { end, refuseDuringHandOver, handingOver } = createRunEnd({
    db,
    history,
    wt,
    events,
    agents: deps.fast.agents,
    load,
    changed,
    notify,
    urlOf,
    activeMs,
    clearTimer: (runId) => clearTimer(runId),
  });

  function clearTimer(runId: string) {
    const t = timers.get(runId);
    if (t) clearTimeout(t);
    timers.delete(runId);
  }

  /** A rate-limited run resumes by itself when the limit lifts. */
  function schedule(runId: string, at: Date) {
    clearTimer(runId);
    const t = setTimeout(
      () => {
        timers.delete(runId);
        void resume(runId, { auto: true }).catch(() => {});
      },
      Math.max(0, at.getTime() - Date.now()),
    );
    t.unref?.();
    timers.set(runId, t);
  }

  /** A run's driver waiting for its worktree's setup script stops waiting on Abort, deletion or shutdown. */
  const stopWaiting = new Map<string, () => void>();
  const ABORTED = Symbol("aborted");
  function untilAborted<T>(runId: string, job: Promise<T>): Promise<T | typeof ABORTED> {
    return new Promise<T | typeof ABORTED>((resolve, reject) => {
      stopWaiting.set(runId, () => resolve(ABORTED));
      job.then(resolve, reject);
      // Aborted before this wait began: no one will call stop.
      const now = writes.run(runId)?.status;
      if (closing || (now !== "running" && now !== "stopping")) resolve(ABORTED);
    }).finally(() => stopWaiting.delete(runId));
  }

  /** Runs whose worktree setup script was waited for (a failure pauses a run once; Resume goes on). */
  const setupSeen = new Set<string>();
  function drive(runId: string) {
    if (drivers.has(runId) || closing) return;
    const p = (async () => {
      // Attempts cut off by a restart exist only before a driver's first step.
      let first = true;
      const head = writes.run(runId);
      if (head?.worktreeAgentId && !setupSeen.has(runId)) {
        setupSeen.add(runId);
        const problem = await untilAborted(runId, wt.setupProblem(head.agentId));
        if (problem === ABORTED) return;
        const agent = deps.fast.agents.forRun(head.agentId);
        if (agent) await wt.recordSetupLeftovers(agent);
        if (problem) return pause(head, "error", `${problem} Resume to run the tasks anyway.`);
      }
      while (!closing) {
        const run = writes.run(runId);
        if (!run || (run.status !== "running" && run.status !== "stopping")) return;
        if (!(await step(run, first))) return;
        first = false;
      }
    })()
      .catch(async (err) => {
        deps.logger.error(`autorun ${runId}: ${errorText(err)}`);
        const run = await db.autorunRun.findUnique({ where: { id: runId } });
        if (run && !closing) await pause(run, "error", `Auto Run hit an internal error: ${(err as Error).message}`);
      })
      .finally(() => drivers.delete(runId));
    drivers.set(runId, p);
  }

  /**
   * Who asked for a pending pause or stop ("you" for the owner, a teammate's link label), so the
   * run says it in their words. In memory: after a restart the run simply says "you".
   */
  const requestedBy = new Map<string, string>();
  const { step, reconcile } = createRunStep({
    db,
    bus,
    events,
    turns,
    history,
    writes,
    agents: deps.fast.agents,
    update,
    pause,
    end,
    changed,
    notify,
    activeMs,
    closing: () => closing,
    commitTask: (agent, taskText) => wt.commitTask(agent, taskText),
    takeRequester: (runId) => {
      const by = requestedBy.get(runId) ?? "you";
      requestedBy.delete(runId);
      return by;
    },
  });

  async function mustBe(runId: string, statuses: string[], verb: string): Promise<RunRow> {
    const run = await load(runId);
    if (!statuses.includes(run.status)) throw new AppError("CONFLICT", `This run is ${run.status}; it cannot ${verb}.`);
    return run;
  }

  /** Resumes a paused run; `markDone`: at a task marked for a human, the person did it (its box is ticked first). */
  async function resume(runId: string, opts: { auto?: boolean; skipDocument?: boolean; markDone?: boolean } = {}) {
    const run = await mustBe(runId, ["paused"], opts.skipDocument ? "skip a document now" : "be resumed");
    if (opts.auto && run.pauseKind !== "rate_limit") return run;
    clearTimer(runId);
    if (run.pauseKind === "commit") {
      const problem = await wt.retryCommit(run, deps.fast.agents.forRun(run.agentId));
      if (problem) {
        await update(run, { pauseReason: problem });
        throw new AppError("CONFLICT", problem);
      }
    }
    const config = configOf(run);
    const docState = states(run, config.documents.length);
    const state = docState[run.docIndex];
    if (opts.markDone && run.pauseKind === "review" && state?.workPath && state.pendingGate !== null)
      await tickPersonTask(state.workPath, config.documents[run.docIndex]!.filename, state.pendingGate);
    if (state && run.pauseKind === "review" && state.pendingGate !== null) {
      state.reviewsPassed.push(state.pendingGate);
      state.pendingGate = null;
    }
    const next = await db.autorunRun.update({
      where: { id: runId },
      data: {
        status: "running",
        pauseKind: null,
        pauseReason: null,
        resumeAt: null,
        activeSince: new Date(),
        docStateJson: JSON.stringify(docState),
        ...(opts.skipDocument ? { docIndex: run.docIndex + 1 } : {}),
      },
    });
    changed(next);
    // A skipped document that was worked on this pass ends, as every document_start does.
    const skipped = opts.skipDocument ? config.documents[run.docIndex] : undefined;
    if (skipped && state && state.spawns > 0)
      events.emit({
        type: "document-completed",
        runId,
        document: skipped.filename,
        docIndex: run.docIndex,
        loop: run.loop,
        tasksDone: Math.max(0, (state.seen?.done ?? 0) - (state.doneAtStart ?? state.seen?.done ?? 0)),
      });
    events.emit({ type: "resumed", runId });
    drive(runId);
    return next;
  }

  return {
    /** Starts a run on an agent (one at a time per agent), or in a new worktree of it. */
    start: createStartRun({
      db,
      bus,
      events,
      wt,
      urlOf,
      changed,
      drive,
      undoWorktree: async (agentId) => {
        await deps.removeWorktree?.({ agentId, deleteBranch: true, force: true }).catch((err: unknown) => {
          deps.logger.error(`autorun: taking back worktree agent ${agentId}: ${errorText(err)}`);
        });
      },
    }),

    resume: async (runId: string, opts: { markDone?: boolean } = {}) => runView(await resume(runId, { markDone: opts.markDone })),
    skipDocument: async (runId: string) => runView(await resume(runId, { skipDocument: true })),

    /** Stop: the current task finishes, then the run ends. */
    async stop(runId: string, by = "you") {
      const run = await mustBe(runId, ["running", "paused"], "stop");
      refuseDuringHandOver(runId, "stop");
      if (run.status === "paused") {
        await end(run, "aborted", `Stopped by ${by}.`);
        return runView(await load(runId));
      }
      requestedBy.set(runId, by);
      return runView(await update(run, { status: "stopping", pendingAction: "stop" }));
    },

    /** Pause: the current task finishes, then the run waits for Resume. */
    async pause(runId: string, by = "you") {
      const run = await mustBe(runId, ["running"], "pause");
      refuseDuringHandOver(runId, "pause");
      if (!drivers.has(runId)) {
        await pause(run, "user", `Paused by ${by}.`);
        return runView(await load(runId));
      }
      requestedBy.set(runId, by);
      return runView(await update(run, { pendingAction: "pause" }));
    },

    /** Abort: the current task is stopped now and the run ends. */
    async abort(runId: string) {
      const run = await mustBe(runId, ACTIVE_STATUSES, "be aborted");
      refuseDuringHandOver(runId, "be aborted");
      // Only a run not yet ended: one that ended meanwhile keeps its status.
      const marked = await db.autorunRun.updateMany({ where: { id: runId, endedAt: null }, data: { status: "aborted" } });
      if (marked.count === 0) return runView(await load(runId));
      stopWaiting.get(runId)?.();
      if (run.tabId) await turns.stop(run.tabId);
      await drivers.get(runId);
      await end({ ...run, status: "aborted" }, "aborted", "Aborted by you.");
      return runView(await load(runId));
    },

    /**
     * An agent is being deleted: its active runs end now (the task in progress is stopped).
     * Finished runs stay, as the record of what was done.
     */
    async endAgentRuns(agentId: string) {
      const active = await db.autorunRun.findMany({ where: { agentId, status: { in: ACTIVE_STATUSES } } });
      for (const run of active) {
        // A run handing its branch over finishes that (its end is then the only one).
        const handOver = handingOver.get(run.id);
        if (handOver) {
          await handOver;
          await drivers.get(run.id);
          continue;
        }
        const marked = await db.autorunRun.updateMany({ where: { id: run.id, endedAt: null }, data: { status: "aborted" } });
        if (marked.count === 0) continue;
        stopWaiting.get(run.id)?.();
        if (run.tabId) await turns.stop(run.tabId);
        await drivers.get(run.id);
        await end({ ...run, status: "aborted" }, "aborted", "The agent was deleted.");
      }
    },

    /** What this process announced of a run so far (`autorun.event`), oldest first: a late reader's replay. */
    eventLog: (runId: string) => events.log(runId),
    /** A run's events as desktop's JSONL lines, until its `complete` (see `desktopLines`). */
    desktopLines: (runId: string, opts: { fromStart?: boolean; signal?: AbortSignal } = {}) =>
      desktopLines({ db, bus, events }, runId, opts),

    /** Waits until a run's driver is idle (tests, bench). */
    async settled(runId: string) {
      await drivers.get(runId);
    },

    /**
     * Bridge start: runs left running by a bridge that died become paused ("bridge restarted"),
     * their in-flight attempts interrupted (reconciled with the file on resume); rate-limit
     * waits are re-armed (not by a headless `maestro` command: it would resume, then stop, a run
     * it does not follow, and turn its self-lifting pause into one that needs a person).
     */
    async recover(opts: { rearmRateLimits?: boolean } = {}): Promise<number> {
      const count = await pauseStale("The bridge restarted during this run. Resume to go on from the next unticked task.");
      // Settle what the cut-off tasks did, from the files, so the paused run shows the right task.
      for (const run of await db.autorunRun.findMany({ where: { status: "paused", pauseKind: "restart" } })) {
        const agent = await db.agent.findUnique({
          where: { id: run.agentId },
          select: { id: true, name: true, folder: true, settingsJson: true },
        });
        if (agent) await reconcile(run, agent).catch((err) => deps.logger.error(`autorun ${run.id}: ${(err as Error).message}`));
      }
      if (opts.rearmRateLimits === false) return count;
      const waiting = await db.autorunRun.findMany({ where: { status: "paused", pauseKind: "rate_limit", resumeAt: { not: null } } });
      for (const run of waiting) schedule(run.id, run.resumeAt!);
      return count;
    },

    /** Bridge shutdown: no new tasks; running runs are paused and resume after the restart. */
    async shutdown(who = "The bridge"): Promise<void> {
      closing = true;
      for (const id of [...timers.keys()]) clearTimer(id);
      for (const stop of [...stopWaiting.values()]) stop();
      await pauseStale(`${who} stopped during this run. Resume to go on from the next unticked task.`).catch(() => 0);
      // The turns service kills the running CLIs next; the drivers then see `closing` and return.
    },

    /** After turns are stopped: wait for the drivers to return. */
    async drained(): Promise<void> {
      await Promise.all([...drivers.values()]);
    },
  };
}

export type AutorunService = ReturnType<typeof createAutorunService>;
