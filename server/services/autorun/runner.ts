import { parseChecklist, type Checklist } from "../../../lib/autorun/checklist";
import { runConfigSchema, type RunConfig, type RunConfigInput } from "../../../lib/autorun/run-config";
import { DEFAULT_PROMPT } from "../../../lib/autorun/run-prompt";
import { firstParagraph } from "../../../lib/history/summary";
import { gateBefore, madeProgress, nextLoop, STALL_AFTER } from "../../../lib/autorun/run-rules";
import { fillTemplate } from "../../../lib/autorun/template";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { Bus, BusEvents } from "../../events/bus";
import type { HistoryService } from "../history/service";
import type { TurnsService } from "../turns/service";
import { autorunFolderOf, documentPath, gitBranch, makeRunCopy, readDocument } from "./files";
import { replyOf } from "./reply";
import { createRunWrites } from "./run-writes";

export interface AutorunDeps {
  db: Db;
  /** The SQLite file, for the per-task writes' own connection. */
  dbFile: string;
  bus: Bus;
  turns: TurnsService;
  history: HistoryService;
}

/** Per document of the current loop. */
interface DocState {
  workPath: string | null;
  noProgress: number;
  stalled: boolean;
  done: boolean;
  /** Lines of review gates the user already let through. */
  reviewsPassed: number[];
  /** The gate the run is paused at. */
  pendingGate: number | null;
  /** Per-document mode: this document's provider session has begun. */
  sessionStarted: boolean;
  /**
   * The counts the runner last read, at a task's start and end: progress shown from these moves
   * exactly once per task, not whenever the agent happens to tick mid-turn.
   */
  seen: { done: number; total: number } | null;
}

type RunRow = NonNullable<Awaited<ReturnType<Db["autorunRun"]["findUnique"]>>>;
type Agent = { id: string; name: string; folder: string; settingsJson: string };

export const ACTIVE_STATUSES = ["running", "paused", "stopping"];
const freshDoc = (): DocState => ({ workPath: null, noProgress: 0, stalled: false, done: false, reviewsPassed: [], pendingGate: null, sessionStarted: false, seen: null });

function states(run: RunRow, count: number): DocState[] {
  let parsed: DocState[] = [];
  try {
    parsed = JSON.parse(run.docStateJson) as DocState[];
  } catch {
    parsed = [];
  }
  return Array.from({ length: count }, (_, i) => ({ ...freshDoc(), ...(parsed[i] ?? {}) }));
}

export function configOf(run: { configJson: string }): RunConfig {
  return runConfigSchema.parse(JSON.parse(run.configJson));
}

const clock = (iso: Date) => iso.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });

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
  const writes = createRunWrites(deps.dbFile);

  const urlOf = (runId: string) => `/autorun/runs/${runId}`;
  const changed = (run: { id: string; agentId: string }) => bus.publish("autorun.changed", { agentId: run.agentId, runId: run.id });
  const notify = (run: { id: string; agentId: string }, kind: BusEvents["notify"]["kind"], title: string, body: string) =>
    bus.publish("notify", { kind, agentId: run.agentId, title, body, url: urlOf(run.id) });

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

  /** Pauses a running run (only if it is still running: a concurrent Abort wins). */
  async function pause(run: RunRow, kind: string, reason: string, resumeAt: Date | null = null): Promise<void> {
    const r = await db.autorunRun.updateMany({
      where: { id: run.id, status: { in: ["running", "stopping"] } },
      data: { status: "paused", pauseKind: kind, pauseReason: reason, resumeAt, pendingAction: null, elapsedMs: activeMs(run), activeSince: null, currentTask: null, currentTurnId: null },
    });
    if (r.count === 0) return;
    changed(run);
    notify(run, "run-paused", `Auto Run paused: ${run.name}`, reason);
    if (resumeAt) schedule(run.id, resumeAt);
  }

  async function end(run: RunRow, status: "done" | "aborted" | "halted" | "error", reason: string): Promise<void> {
    const fresh = await load(run.id);
    const final = await update(fresh, { status, endReason: reason, pauseReason: null, pauseKind: null, resumeAt: null, pendingAction: null, endedAt: new Date(), elapsedMs: activeMs(fresh), activeSince: null, currentTask: null, currentTurnId: null });
    clearTimer(run.id);
    const agent = await db.agent.findUnique({ where: { id: run.agentId }, select: { name: true } });
    await history.record({
      kind: "autorun-run",
      agentId: run.agentId,
      agentName: agent?.name ?? "",
      tabId: final.tabId,
      runId: run.id,
      success: status === "done",
      summary: `${final.name}: ${reason} ${final.tasksDone} task${final.tasksDone === 1 ? "" : "s"} done in ${final.loop} loop${final.loop === 1 ? "" : "s"}.`,
      detail: status,
      durationMs: final.elapsedMs,
      inputTokens: final.inputTokens,
      outputTokens: final.outputTokens,
      costUsd: final.costUsd,
    });
    notify(run, "run-done", status === "done" ? `Auto Run done: ${final.name}` : `Auto Run ${status}: ${final.name}`, reason);
  }

  function clearTimer(runId: string) {
    const t = timers.get(runId);
    if (t) clearTimeout(t);
    timers.delete(runId);
  }

  /** A rate-limited run resumes by itself when the limit lifts. */
  function schedule(runId: string, at: Date) {
    clearTimer(runId);
    const t = setTimeout(() => {
      timers.delete(runId);
      void resume(runId, { auto: true }).catch(() => {});
    }, Math.max(0, at.getTime() - Date.now()));
    t.unref?.();
    timers.set(runId, t);
  }

  function drive(runId: string) {
    if (drivers.has(runId) || closing) return;
    const p = (async () => {
      // Attempts cut off by a restart exist only before a driver's first step.
      let first = true;
      while (!closing) {
        const run = writes.run(runId);
        if (!run || (run.status !== "running" && run.status !== "stopping")) return;
        if (!(await step(run, first))) return;
        first = false;
      }
    })()
      .catch(async (err) => {
        console.error(`autorun ${runId}: ${(err as Error)?.stack ?? err}`);
        const run = await db.autorunRun.findUnique({ where: { id: runId } });
        if (run && !closing) await pause(run, "error", `Auto Run hit an internal error: ${(err as Error).message}`);
      })
      .finally(() => drivers.delete(runId));
    drivers.set(runId, p);
  }

  /** An attempt cut off by a bridge restart: the file says whether its task got done. */
  async function reconcile(run: RunRow, agent: Agent): Promise<RunRow> {
    const cut = await db.autorunAttempt.findMany({ where: { runId: run.id, status: "interrupted" }, orderBy: { startedAt: "asc" } });
    for (const a of cut) {
      let now: Checklist | null = null;
      try {
        now = parseChecklist(await readDocument(a.docPath, a.docPath));
      } catch {
        now = null;
      }
      const progress = now !== null && madeProgress({ done: a.doneBefore, total: a.totalBefore }, now);
      if (now && a.loop === run.loop) {
        const docState = states(run, configOf(run).documents.length);
        const state = docState[a.docIndex];
        if (state) state.seen = { done: now.done, total: now.total };
        run = await update(run, { docStateJson: JSON.stringify(docState) });
      }
      const delta = progress && now ? Math.max(0, now.done - a.doneBefore) : 0;
      const reply = a.turnId ? await replyOf(db, a.turnId) : { text: "" };
      const summary = progress ? firstParagraph(reply.text, 500) || `Finished “${a.taskText}” while the bridge was down.` : "";
      await db.autorunAttempt.update({ where: { id: a.id }, data: { status: progress ? "done" : "failed", summary, endedAt: new Date() } });
      if (progress) {
        run = await update(run, { tasksDone: { increment: delta }, loopTasksDone: { increment: delta } });
        await history.record({ kind: "autorun-task", agentId: agent.id, agentName: agent.name, tabId: run.tabId, turnId: a.turnId, runId: run.id, success: true, summary, detail: a.taskText, durationMs: null });
      }
    }
    return run;
  }

  /**
   * Who asked for a pending pause or stop ("you" for the owner, a teammate's link label), so the
   * run says it in their words. In memory: after a restart the run simply says "you".
   */
  const requestedBy = new Map<string, string>();
  const byWhom = (runId: string) => requestedBy.get(runId) ?? "you";

  /** One decision of the run: returns false when the driver should stop. */
  async function step(run: RunRow, first: boolean): Promise<boolean> {
    const agent = writes.agent(run.agentId);
    if (!agent) {
      await end(run, "error", "The agent was deleted.");
      return false;
    }
    if (run.status === "stopping") {
      await end(run, "aborted", `Stopped by ${byWhom(run.id)}.`);
      requestedBy.delete(run.id);
      return false;
    }
    if (run.pendingAction === "pause") {
      await pause(run, "user", `Paused by ${byWhom(run.id)}.`);
      requestedBy.delete(run.id);
      return false;
    }
    if (first) run = await reconcile(run, agent);
    const config = configOf(run);
    const docs = config.documents;
    const docState = states(run, docs.length);
    const folder = await autorunFolderOf(agent);

    if (run.docIndex >= docs.length) {
      const nonReset = docs.map((d, i) => ({ d, i })).filter(({ d }) => !d.resetOnCompletion);
      let nonResetAllDone: boolean | null = null;
      if (nonReset.length > 0) {
        nonResetAllDone = true;
        for (const { d } of nonReset) {
          const c = parseChecklist(await readDocument(await documentPath(folder, d.filename), d.filename).catch(() => ""));
          if (c.firstUnchecked) nonResetAllDone = false;
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
      const decision = nextLoop({ loopEnabled: config.loopEnabled, maxLoops: config.maxLoops, loop: run.loop, passTasksDone: run.loopTasksDone, nonResetAllDone });
      if (!decision.again) {
        await end(run, "done", decision.reason);
        return false;
      }
      await update(run, { loop: run.loop + 1, docIndex: 0, loopTasksDone: 0, docStateJson: "[]" });
      return true;
    }

    const doc = docs[run.docIndex]!;
    const state = docState[run.docIndex]!;
    const save = (extra: Parameters<typeof update>[1] = {}) => update(run, { docStateJson: JSON.stringify(docState), ...extra });
    let original: string;
    let text: string;
    try {
      if (!state.workPath) {
        original = await documentPath(folder, doc.filename);
        const source = await readDocument(original, doc.filename);
        state.workPath = doc.resetOnCompletion ? await makeRunCopy(folder, doc.filename, await fillDoc(source, agent, doc.filename, original, run.loop), run.loop) : original;
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
      await end(run, "halted", `${doc.filename} says halt: ${before.halt.reason || "(no reason given)"}`);
      return false;
    }
    const task = before.firstUnchecked;
    if (!task || state.stalled) {
      if (!task) {
        state.done = true;
        notify(run, "document-done", `Document done: ${doc.filename}`, `${run.name}: all ${before.total} tasks of ${doc.filename} are ticked.`);
      }
      await save({ docIndex: run.docIndex + 1 });
      return true;
    }
    const gate = gateBefore(task.line, before.tasks.filter((t) => t.done).map((t) => t.line), before.reviews);
    if (gate && !state.reviewsPassed.includes(gate.line)) {
      state.pendingGate = gate.line;
      run = await save();
      await pause(run, "review", `Review before the next task of ${doc.filename}: ${gate.reason || "a human should look first"}`);
      return false;
    }

    // A fresh provider session per task, or per document in document mode.
    const freshSession = config.taskSelectionMode === "task" || !state.sessionStarted;
    state.sessionStarted = true;
    const prompt = fillTemplate(config.prompt.trim() || DEFAULT_PROMPT, await vars(agent, doc.filename, state.workPath, run.loop));
    // The attempt is stored before the turn starts: after a crash it is what the file is checked against.
    const begun = writes.beginTask(
      { runId: run.id, loop: run.loop, docIndex: run.docIndex, docPath: state.workPath, taskText: task.text, taskLine: task.line, doneBefore: before.done, totalBefore: before.total, docStateJson: JSON.stringify(docState) },
      task.text,
    );
    const attempt = { id: begun.attemptId };
    run = begun.run ?? run;
    changed(run);
    let started: Awaited<ReturnType<TurnsService["start"]>>;
    try {
      started = await turns.start({ tabId: run.tabId!, prompt, origin: "autorun", freshSession });
    } catch (err) {
      await db.autorunAttempt.update({ where: { id: attempt.id }, data: { status: "failed", summary: (err as Error).message, endedAt: new Date() } });
      await pause(run, "error", (err as Error).message);
      return false;
    }
    const { turnId } = started;
    run = writes.attachTurn(run.id, attempt.id, turnId) ?? run;
    changed(run);
    const turn = await started.outcome;
    // Bridge shutting down: the attempt stays "running" and is reconciled after the restart.
    if (closing) return false;

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
      state.noProgress = progress ? 0 : state.noProgress + 1;
      if (state.noProgress >= STALL_AFTER) state.stalled = true;
    }
    const detail = failed ? `Failed: ${task.text} — ${message}` : progress ? summary || `Done: ${task.text}` : `No progress on “${task.text}” (${state.noProgress} of ${STALL_AFTER}): ${summary}`;
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
        history: { kind: "autorun-task", agentId: agent.id, agentName: agent.name, tabId: run.tabId, turnId, runId: run.id, success: !failed && progress, summary: detail, detail: task.text, durationMs: turn.durationMs, ...tokens },
      }) ?? run;
    changed(run);
    bus.publish("history.changed", { agentId: agent.id });

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

    if (!progress && state.stalled) {
        await history.record({ kind: "autorun-task", agentId: agent.id, agentName: agent.name, tabId: run.tabId, runId: run.id, success: false, summary: `${doc.filename} stalled: ${STALL_AFTER} runs in a row without progress; moving on.`, detail: task.text });
        notify(run, "task-failed", `Document stalled: ${doc.filename}`, `${STALL_AFTER} runs without progress on “${task.text}”. The run moves on.`);
    }
    return true;
  }

  async function vars(agent: Agent, filename: string, workPath: string, loop: number) {
    return {
      AGENT_NAME: agent.name,
      AGENT_PATH: agent.folder,
      DOCUMENT_NAME: filename.replace(/\.md$/i, ""),
      DOCUMENT_PATH: workPath,
      LOOP_NUMBER: loop,
      GIT_BRANCH: (await gitBranch(agent.folder)) || "(none)",
      DATE: new Date(),
    };
  }

  async function fillDoc(text: string, agent: Agent, filename: string, workPath: string, loop: number) {
    return fillTemplate(text, await vars(agent, filename, workPath, loop));
  }

  async function mustBe(runId: string, statuses: string[], verb: string): Promise<RunRow> {
    const run = await load(runId);
    if (!statuses.includes(run.status)) throw new AppError("CONFLICT", `This run is ${run.status}; it cannot ${verb}.`);
    return run;
  }

  async function resume(runId: string, opts: { auto?: boolean; skipDocument?: boolean } = {}) {
    const run = await mustBe(runId, ["paused"], opts.skipDocument ? "skip a document now" : "be resumed");
    if (opts.auto && run.pauseKind !== "rate_limit") return run;
    clearTimer(runId);
    const config = configOf(run);
    const docState = states(run, config.documents.length);
    const state = docState[run.docIndex];
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
    drive(runId);
    return next;
  }

  return {
    /** Starts a run on an agent (one at a time per agent). */
    async start(input: { agentId: string; config: RunConfigInput; name?: string; playbookId?: string | null }) {
      const config = runConfigSchema.parse(input.config);
      const agent = await db.agent.findUnique({ where: { id: input.agentId }, select: { id: true, name: true, folder: true, settingsJson: true } });
      if (!agent) throw new AppError("NOT_FOUND", "That agent no longer exists.");
      const busy = await db.autorunRun.findFirst({ where: { agentId: agent.id, status: { in: ACTIVE_STATUSES } }, select: { id: true, status: true } });
      if (busy) throw new AppError("CONFLICT", `${agent.name} already has a ${busy.status} Auto Run. Finish or abort it first.`, { hint: urlOf(busy.id) });
      const folder = await autorunFolderOf(agent);
      for (const d of config.documents) {
        const file = await documentPath(folder, d.filename);
        const c = parseChecklist(await readDocument(file, d.filename));
        if (c.halt) throw new AppError("CONFLICT", `${d.filename} has a halt marker from an earlier run (“${c.halt.reason || "no reason"}”). Clear it before starting.`, { field: "halt" });
      }
      const name = input.name?.trim() || config.documents.map((d) => d.filename).join(", ").slice(0, 120);
      const tab = await db.tab.create({ data: { agentId: agent.id, name: `Auto Run · ${name}`.slice(0, 100), sortOrder: 10_000 } });
      bus.publish("tabs.changed", { agentId: agent.id });
      const run = await db.autorunRun.create({
        data: { agentId: agent.id, playbookId: input.playbookId ?? null, name, configJson: JSON.stringify(config), tabId: tab.id, status: "running", activeSince: new Date() },
      });
      changed(run);
      drive(run.id);
      return run;
    },

    byId: load,

    list(filter: { agentId?: string; active?: boolean; limit?: number } = {}) {
      return db.autorunRun.findMany({
        where: { ...(filter.agentId ? { agentId: filter.agentId } : {}), ...(filter.active ? { status: { in: ACTIVE_STATUSES } } : {}) },
        orderBy: { startedAt: "desc" },
        take: filter.limit ?? 50,
      });
    },

    /** What History holds for a run (tasks with their summaries, loops, the end). */
    history(runId: string) {
      return db.historyEntry.findMany({ where: { runId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    },

    attempts(runId: string) {
      return db.autorunAttempt.findMany({ where: { runId }, orderBy: { startedAt: "asc" } });
    },

    /** Progress as the documents say it now (re-read, never cached). */
    async documents(runId: string) {
      const run = await load(runId);
      const agent = await db.agent.findUnique({ where: { id: run.agentId }, select: { folder: true, settingsJson: true } });
      const config = configOf(run);
      const docState = states(run, config.documents.length);
      // An agent gone, or its folder now refused: the documents show no counts, the run's state stays.
      const folder = agent ? await autorunFolderOf(agent).catch(() => null) : null;
      return Promise.all(
        config.documents.map(async (d, i) => {
          const state = docState[i]!;
          // Documents not reached in this loop show their own state (a reset document: a fresh copy to come).
          const file = i <= run.docIndex && state.workPath ? state.workPath : folder ? await documentPath(folder, d.filename).catch(() => null) : null;
          let c: Checklist | null = null;
          if (file) c = parseChecklist(await readDocument(file, d.filename).catch(() => ""));
          const fresh = i > run.docIndex && d.resetOnCompletion && c ? { done: 0, total: c.total } : null;
          // Documents the run has reached show what the runner counted; others, the file now.
          const counted = i <= run.docIndex ? state.seen : null;
          return {
            filename: d.filename,
            resetOnCompletion: d.resetOnCompletion,
            workPath: state.workPath,
            done: counted?.done ?? fresh?.done ?? c?.done ?? 0,
            total: counted?.total ?? fresh?.total ?? c?.total ?? 0,
            stalled: state.stalled,
            halt: c?.halt?.reason ?? null,
          };
        }),
      );
    },

    resume: (runId: string) => resume(runId),
    skipDocument: (runId: string) => resume(runId, { skipDocument: true }),

    /** Stop: the current task finishes, then the run ends. */
    async stop(runId: string, by = "you") {
      const run = await mustBe(runId, ["running", "paused"], "stop");
      if (run.status === "paused") {
        await end(run, "aborted", `Stopped by ${by}.`);
        return load(runId);
      }
      requestedBy.set(runId, by);
      return update(run, { status: "stopping", pendingAction: "stop" });
    },

    /** Pause: the current task finishes, then the run waits for Resume. */
    async pause(runId: string, by = "you") {
      const run = await mustBe(runId, ["running"], "pause");
      if (!drivers.has(runId)) {
        await pause(run, "user", `Paused by ${by}.`);
        return load(runId);
      }
      requestedBy.set(runId, by);
      return update(run, { pendingAction: "pause" });
    },

    /** Abort: the current task is stopped now and the run ends. */
    async abort(runId: string) {
      const run = await mustBe(runId, ACTIVE_STATUSES, "be aborted");
      await db.autorunRun.update({ where: { id: runId }, data: { status: "aborted" } });
      if (run.tabId) await turns.stop(run.tabId);
      await drivers.get(runId);
      await end({ ...run, status: "aborted" }, "aborted", "Aborted by you.");
      return load(runId);
    },

    /**
     * An agent is being deleted: its active runs end now (the task in progress is stopped) and
     * its playbooks go with it. Finished runs stay, as the record of what was done.
     */
    async forgetAgent(agentId: string) {
      const active = await db.autorunRun.findMany({ where: { agentId, status: { in: ACTIVE_STATUSES } } });
      for (const run of active) {
        await db.autorunRun.update({ where: { id: run.id }, data: { status: "aborted" } });
        if (run.tabId) await turns.stop(run.tabId);
        await drivers.get(run.id);
        await end({ ...run, status: "aborted" }, "aborted", "The agent was deleted.");
      }
      await db.playbook.deleteMany({ where: { agentId } });
    },

    /** Waits until a run's driver is idle (tests, bench). */
    async settled(runId: string) {
      await drivers.get(runId);
    },

    /**
     * Bridge start: runs left running by a bridge that died become paused ("bridge restarted"),
     * their in-flight attempts interrupted (reconciled with the file on resume); rate-limit
     * waits are re-armed.
     */
    async recover(): Promise<number> {
      const count = await pauseStale("The bridge restarted during this run. Resume to go on from the next unticked task.");
      // Settle what the cut-off tasks did, from the files, so the paused run shows the right task.
      for (const run of await db.autorunRun.findMany({ where: { status: "paused", pauseKind: "restart" } })) {
        const agent = await db.agent.findUnique({ where: { id: run.agentId }, select: { id: true, name: true, folder: true, settingsJson: true } });
        if (agent) await reconcile(run, agent).catch((err) => console.error(`autorun ${run.id}: ${(err as Error).message}`));
      }
      const waiting = await db.autorunRun.findMany({ where: { status: "paused", pauseKind: "rate_limit", resumeAt: { not: null } } });
      for (const run of waiting) schedule(run.id, run.resumeAt!);
      return count;
    },

    /** Bridge shutdown: no new tasks; running runs are paused and resume after the restart. */
    async shutdown(): Promise<void> {
      closing = true;
      for (const id of [...timers.keys()]) clearTimer(id);
      await pauseStale("The bridge stopped during this run. Resume to go on from the next unticked task.").catch(() => 0);
      // The turns service kills the running CLIs next; the drivers then see `closing` and return.
    },

    /** After turns are stopped: wait for the drivers to return. */
    async drained(): Promise<void> {
      await Promise.all([...drivers.values()]);
      writes.close();
    },
  };

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
            elapsedMs: run.activeSince ? run.elapsedMs + Math.max(0, Math.min(Date.now(), run.updatedAt.getTime()) - run.activeSince.getTime()) : run.elapsedMs,
            activeSince: null,
            currentTask: null,
            currentTurnId: null,
          },
        });
        changed(run);
      }
      return stale.length;
  }
}

export type AutorunService = ReturnType<typeof createAutorunService>;
