import { parseChecklist, type Checklist } from "../../../lib/autorun/checklist";
import { DEFAULT_HALT_REASON } from "../../../lib/autorun/run-events";
import type { RunConfig } from "../../../lib/autorun/run-config";
import { DEFAULT_PROMPT } from "../../../lib/autorun/run-prompt";
import { decideWait, madeProgress, nextLoop, STALL_AFTER, waitMessage, waitsForPerson } from "../../../lib/autorun/run-rules";
import { fillTemplate } from "../../../lib/autorun/template";
import { firstParagraph } from "../../../lib/history/summary";
import type { Db } from "../../db";
import type { FastDb } from "../../db/fast";
import type { Bus, BusEvents } from "../../events/bus";
import { historyRow, type HistoryService } from "../history/service";
import type { TurnsService } from "../turns/service";
import { autorunFolderOf, documentPath, makeRunCopy, readDocument, runVars } from "./files";
import { createReconcile } from "./run-reconcile";
import type { RunEndStatus, RunHalt } from "./run-end";
import type { RunEvents } from "./run-events";
import { configOf, nextPassStates, states, type DocState, type RunAgent, type RunRow } from "./run-state";

/** What a step needs from the run service: its stores, and the run transitions it owns. */
export interface StepContext {
  db: Db;
  bus: Bus;
  events: RunEvents;
  turns: TurnsService;
  history: HistoryService;
  writes: FastDb["autorun"];
  agents: FastDb["agents"];
  update: (run: RunRow, data: Parameters<Db["autorunRun"]["update"]>[0]["data"]) => Promise<RunRow>;
  pause: (run: RunRow, kind: string, reason: string, resumeAt?: Date | null) => Promise<void>;
  end: (run: RunRow, status: RunEndStatus, reason: string, halt?: RunHalt | null) => Promise<void>;
  changed: (run: { id: string; agentId: string }) => void;
  notify: (run: { id: string; agentId: string }, kind: BusEvents["notify"]["kind"], title: string, body: string) => void;
  /** Time the run has been active, this stretch included. */
  activeMs: (run: RunRow) => number;
  /** The bridge is shutting down: a finished turn is left for the restart to reconcile. */
  closing: () => boolean;
  /** A run in a worktree: the ticked task's change is committed on its branch. */
  /** A worktree run's task commit: null, or why it failed (the run pauses for it). */
  commitTask: (agent: RunAgent, taskText: string) => Promise<string | null>;
  /** Who asked for the pending pause or stop ("you", or a share link's label); forgotten once taken. */
  takeRequester: (runId: string) => string;
}

const clock = (iso: Date) => iso.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/**
 * One step of a run at a time: end the loop or the run, or work one task through a provider
 * turn and read the file back. The run service owns the lifecycle (start, controls, restart);
 * this is what happens in between.
 */
export function createRunStep(ctx: StepContext) {
  const { db, bus, events, turns, history, writes, agents, update, pause, end, changed, notify, activeMs, closing, takeRequester } = ctx;
  const { commitTask } = ctx;

  const reconcile = createReconcile(ctx);

  /** Every document of this loop is behind the run: record the loop, then loop again or end. */
  async function finishLoop(run: RunRow, agent: RunAgent, config: RunConfig, folder: string): Promise<boolean> {
    const docs = config.documents;
    const nonReset = docs.filter((d) => !d.resetOnCompletion);
    let nonResetAllDone: boolean | null = null;
    let nonResetWaiting = 0;
    if (nonReset.length > 0) {
      nonResetAllDone = true;
      for (const d of nonReset) {
        const c = parseChecklist(await readDocument(await documentPath(folder, d.filename), d.filename).catch(() => ""));
        if (c.firstUnchecked && waitsForPerson(c)) nonResetWaiting++;
        else if (c.firstUnchecked) nonResetAllDone = false;
      }
    }
    await history.record({
      kind: "autorun-loop",
      agentId: agent.id,
      agentName: agent.name,
      tabId: run.tabId,
      runId: run.id,
      success: true,
      summary: `${run.name}: loop ${run.loop} finished, ${run.loopTasksDone} task${run.loopTasksDone === 1 ? "" : "s"} done.`,
      durationMs: activeMs(run),
      inputTokens: run.inputTokens,
      outputTokens: run.outputTokens,
      costUsd: run.costUsd,
    });
    const decision = nextLoop({
      loopEnabled: config.loopEnabled,
      maxLoops: config.maxLoops,
      loop: run.loop,
      passTasksDone: run.loopTasksDone,
      nonResetAllDone,
      nonResetWaiting,
    });
    const loopEnded = {
      type: "loop-completed",
      runId: run.id,
      loop: run.loop,
      again: decision.again,
      tasksDone: run.loopTasksDone,
      elapsedMs: activeMs(run),
      usage: { inputTokens: run.inputTokens, outputTokens: run.outputTokens, costUsd: run.costUsd },
    } as const;
    if (!decision.again) {
      events.emit(loopEnded);
      await end(run, "done", decision.reason);
      return false;
    }
    const next = nextPassStates(states(run, docs.length), docs);
    await update(run, { loop: run.loop + 1, docIndex: 0, loopTasksDone: 0, docStateJson: JSON.stringify(next) });
    events.emit(loopEnded);
    return true;
  }

  /** One decision of the run: returns false when the driver should stop. */
  async function step(run: RunRow, first: boolean): Promise<boolean> {
    const agent = agents.forRun(run.agentId);
    if (!agent) {
      await end(run, "error", "The agent was deleted.");
      return false;
    }
    if (run.status === "stopping") {
      await end(run, "aborted", `Stopped by ${takeRequester(run.id)}.`);
      return false;
    }
    if (run.pendingAction === "pause") {
      await pause(run, "user", `Paused by ${takeRequester(run.id)}.`);
      return false;
    }
    if (first) run = await reconcile(run, agent);
    const config = configOf(run);
    const docs = config.documents;
    const docState = states(run, docs.length);
    const folder = await autorunFolderOf(agent);

    if (run.docIndex >= docs.length) return finishLoop(run, agent, config, folder);

    const doc = docs[run.docIndex]!;
    const state = docState[run.docIndex]!;
    const save = (extra: Parameters<typeof update>[1] = {}) => update(run, { docStateJson: JSON.stringify(docState), ...extra });
    let original: string;
    let text: string;
    try {
      if (!state.workPath) {
        original = await documentPath(folder, doc.filename);
        const source = await readDocument(original, doc.filename);
        state.workPath = doc.resetOnCompletion
          ? await makeRunCopy(folder, doc.filename, fillTemplate(source, await runVars(agent, doc.filename, original, run.loop)), run.loop)
          : original;
        run = await save();
      }
      text = await readDocument(state.workPath, doc.filename);
    } catch (err) {
      await pause(run, "error", (err as Error).message);
      return false;
    }
    const before = parseChecklist(text);
    state.seen = { done: before.done, total: before.total };
    if (before.halt) {
      const halt = { document: doc.filename, docIndex: run.docIndex, taskIndex: Math.max(0, state.spawns - 1) };
      const reason = before.halt.reason || DEFAULT_HALT_REASON;
      await end(run, "halted", `${doc.filename} says halt: ${before.halt.reason || "(no reason given)"}`, { ...halt, reason });
      return false;
    }
    const task = before.firstUnchecked;
    if (!task || state.stalled || state.waitsForPerson) {
      if (!task) {
        state.done = true;
        notify(
          run,
          "document-done",
          `Document done: ${doc.filename}`,
          `${run.name}: all ${before.total} tasks of ${doc.filename} are ticked.`,
        );
      }
      await save({ docIndex: run.docIndex + 1 });
      documentDone(run, doc.filename, state, before.done);
      return true;
    }
    // A person first? A review gate above the task, or a task marked for a human, is never an agent's.
    const wait = decideWait({
      task,
      tasks: before.tasks,
      reviews: before.reviews,
      passed: state.reviewsPassed,
      askedBefore: doc.resetOnCompletion ? [] : state.askedBefore,
    });
    if (wait.action === "pause") {
      state.pendingGate = wait.at.line;
      if (!doc.resetOnCompletion) state.askedBefore.push(wait.at.line);
      run = await save();
      await pause(run, "review", waitMessage(doc.filename, wait.at));
      return false;
    }
    if (wait.action === "leave" || wait.action === "skip") {
      // Asked already (this pass, or an earlier one) and the person has not acted: no agent turn on it.
      state.waitsForPerson = true;
      if (wait.action === "leave")
        await taskNote(run, agent, task.text, `Left for a person: “${task.text}” in ${doc.filename}. The run moves on.`);
      await save({ docIndex: run.docIndex + 1 });
      documentDone(run, doc.filename, state, before.done);
      return true;
    }

    // A fresh provider session per task, or per document in document mode.
    const freshSession = config.taskSelectionMode === "task" || !state.sessionStarted;
    state.sessionStarted = true;
    const taskIndex = state.spawns++;
    if (taskIndex === 0) state.doneAtStart = before.done;
    const prompt = fillTemplate(config.prompt.trim() || DEFAULT_PROMPT, await runVars(agent, doc.filename, state.workPath, run.loop));
    // The attempt is stored before the turn starts: after a crash it is what the file is checked against.
    const begun = writes.beginTask(
      {
        runId: run.id,
        loop: run.loop,
        docIndex: run.docIndex,
        docPath: state.workPath,
        taskText: task.text,
        taskLine: task.line,
        doneBefore: before.done,
        totalBefore: before.total,
        docStateJson: JSON.stringify(docState),
      },
      task.text,
    );
    const attempt = { id: begun.attemptId };
    run = begun.run ?? run;
    changed(run);
    const at = { runId: run.id, document: doc.filename, docIndex: run.docIndex, loop: run.loop };
    if (taskIndex === 0) events.emit({ type: "document-started", ...at, taskCount: before.total - before.done });
    events.emit({ type: "task-started", ...at, taskIndex, task: task.text, line: task.line, attemptId: attempt.id });
    let started: Awaited<ReturnType<TurnsService["start"]>>;
    try {
      const asking = { runId: run.id, document: doc.filename, task: task.text };
      started = await turns.start({ tabId: run.tabId!, prompt, origin: "autorun", freshSession, run: asking });
    } catch (err) {
      const message = (err as Error).message;
      await db.autorunAttempt.update({ where: { id: attempt.id }, data: { status: "failed", summary: message, endedAt: new Date() } });
      // Every task_start gets its task_complete, even when no turn began.
      events.emit({
        type: "task-completed",
        ...at,
        taskIndex,
        attemptId: attempt.id,
        turnId: null,
        success: false,
        status: "failed",
        summary: message,
        response: message,
        elapsedMs: 0,
        usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, contextWindow: 0 },
        providerSessionId: null,
      });
      await pause(run, "error", message);
      return false;
    }
    const { turnId } = started;
    run = writes.attachTurn(run.id, attempt.id, turnId) ?? run;
    changed(run);
    const turn = await started.outcome;
    // Bridge shutting down: the attempt stays "running" and is reconciled after the restart.
    if (closing()) return false;

    let after: Checklist = before;
    try {
      after = parseChecklist(await readDocument(state.workPath, doc.filename));
    } catch {
      after = before;
    }
    const progress = madeProgress(before, after);
    state.seen = { done: after.done, total: after.total };
    const delta = Math.max(0, after.done - before.done);
    const tokens = { inputTokens: turn.inputTokens, outputTokens: turn.outputTokens, costUsd: turn.costUsd };
    const failed = turn.status !== "done";
    const message = failed ? turn.errorMessage || turn.reply.error || "The provider failed." : "";
    const summary = firstParagraph(turn.reply.text, 500);
    if (!failed) {
      // A request nobody answered in time is not the agent's stall (the run pauses below instead).
      state.noProgress = progress ? 0 : turn.approvalTimedOut ? state.noProgress : state.noProgress + 1;
      if (state.noProgress >= STALL_AFTER) state.stalled = true;
    }
    const detail = failed
      ? `Failed: ${task.text} — ${message}`
      : progress
        ? summary || `Done: ${task.text}`
        : `No progress on “${task.text}” (${state.noProgress} of ${STALL_AFTER}): ${summary}`;
    // The attempt's end, the run's counters and the task's History entry in one transaction: a
    // crash leaves all or none, so the reconciliation after a restart never counts a task twice.
    run =
      writes.endTask({
        runId: run.id,
        attemptId: attempt.id,
        status: failed ? "failed" : progress ? "done" : "no-progress",
        summary: failed ? message : summary,
        ...tokens,
        tasksDone: delta,
        tasksFailed: failed ? 1 : 0,
        docStateJson: JSON.stringify(docState),
        history: historyRow({
          kind: "autorun-task",
          agentId: agent.id,
          agentName: agent.name,
          tabId: run.tabId,
          turnId,
          runId: run.id,
          success: !failed && progress,
          summary: detail,
          detail: task.text,
          durationMs: turn.durationMs,
          ...tokens,
        }),
      }) ?? run;
    changed(run);
    bus.publish("history.changed", { agentId: agent.id });
    events.emit({
      type: "task-completed",
      ...at,
      taskIndex,
      attemptId: attempt.id,
      turnId,
      success: !failed,
      status: failed ? "failed" : progress ? "done" : "no-progress",
      summary: failed ? message : summary || `Done: ${task.text}`,
      response: failed ? message : turn.reply.text,
      elapsedMs: turn.durationMs,
      usage: {
        ...tokens,
        cacheReadTokens: turn.cacheReadTokens ?? 0,
        cacheWriteTokens: turn.cacheWriteTokens ?? 0,
        contextWindow: turn.contextWindow ?? 0,
      },
      providerSessionId: turn.providerSessionId ?? null,
    });
    if (run.worktreeBranch && !failed && progress) {
      const problem = await commitTask(agent, task.text);
      if (problem) {
        await pause(run, "commit", problem);
        return false;
      }
    }

    if (failed) {
      if (run.status === "aborted") return false;
      notify(run, "task-failed", `Task failed: ${task.text}`, message);
      if (turn.errorKind === "rate_limit" && turn.reply.resetsAt && Date.parse(turn.reply.resetsAt) > Date.now() - 1000) {
        const at = new Date(Math.max(Date.parse(turn.reply.resetsAt), Date.now()));
        await pause(run, "rate_limit", `Rate limited: waiting until ${clock(at)}, then the run goes on.`, at);
      } else {
        await pause(run, "error", message);
      }
      return false;
    }

    // Nobody answered a tool request in time and the task got nowhere: wait for a person, don't retry unattended.
    if (!progress && turn.approvalTimedOut) {
      await pause(run, "error", `Nobody answered a tool request on “${task.text}” in time. Resume to try the task again.`);
      return false;
    }

    if (!progress && state.stalled) {
      await taskNote(run, agent, task.text, `${doc.filename} stalled: ${STALL_AFTER} runs in a row without progress; moving on.`);
      notify(
        run,
        "task-failed",
        `Document stalled: ${doc.filename}`,
        `${STALL_AFTER} runs without progress on “${task.text}”. The run moves on.`,
      );
    }
    return true;
  }

  /** The run moved past a document it worked on in this loop: how many boxes were ticked there this pass. */
  function documentDone(run: RunRow, filename: string, state: DocState, doneNow: number) {
    if (state.spawns === 0) return;
    events.emit({
      type: "document-completed",
      runId: run.id,
      document: filename,
      docIndex: run.docIndex,
      loop: run.loop,
      tasksDone: Math.max(0, doneNow - (state.doneAtStart ?? doneNow)),
    });
  }

  /** A task's History entry with no turn of its own: the run passed it by (stalled, or left for a person). */
  function taskNote(run: RunRow, agent: RunAgent, taskText: string, summary: string) {
    return history.record({
      kind: "autorun-task",
      agentId: agent.id,
      agentName: agent.name,
      tabId: run.tabId,
      runId: run.id,
      success: false,
      summary,
      detail: taskText,
    });
  }

  return { step, reconcile };
}
