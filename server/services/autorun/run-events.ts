import {
  isFinal,
  replayWindow,
  waitsByItself,
  toDesktopJsonl,
  type DesktopJsonl,
  type RunEvent,
  type RunEventInput,
} from "../../../lib/autorun/run-events";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import type { RunEndStatus } from "./run-end";
import { configOf, states, type RunRow } from "./run-state";

/** Events kept per run for a late reader (the start is always kept), and ended runs kept at all. */
const PER_RUN = 500;
const ENDED_RUNS = 20;
/**
 * Task replies kept in a run's log: a reply is up to ~20 K characters, so older task events keep
 * their summary and lose `response` (a replay then says `fullResponseDropped`; the whole reply
 * stays in the turn's own record). Keeps a long run's log to a few hundred KB.
 */
const REPLIES_KEPT = 20;

/**
 * The runner's typed events: each is stamped (`seq` per run, `at`), kept in a small in-memory log
 * per run, then published on `autorun.event`. The log lets a reader that attaches after `start`
 * returned (the CLI over SSE) replay what it missed; it lives as long as the process, like the
 * run's driver (a bridge restart pauses every run anyway).
 */
export function createRunEvents(bus: Bus) {
  const logs = new Map<string, { events: RunEvent[]; seq: number; ended: boolean; dropped: number; replies: RunEvent[] }>();

  function emit(input: RunEventInput): RunEvent {
    let log = logs.get(input.runId);
    if (!log) {
      log = { events: [], seq: 0, ended: false, dropped: 0, replies: [] };
      logs.set(input.runId, log);
    }
    const event: RunEvent = { ...input, seq: ++log.seq, at: Date.now() };
    log.events.push(event);
    if (event.type === "task-completed") {
      log.replies.push(event);
      const old = log.replies.length > REPLIES_KEPT ? log.replies.shift() : undefined;
      const i = old ? log.events.indexOf(old) : -1;
      // A copy: the event object itself may still sit in a live reader's queue.
      if (old?.type === "task-completed" && i >= 0) log.events[i] = { ...old, response: "", responseDropped: true };
    }
    if (log.events.length > PER_RUN) {
      log.events.splice(log.events[0]!.type === "run-started" ? 1 : 0, 1);
      log.dropped++;
    }
    if (event.type === "run-ended") {
      log.ended = true;
      forgetOldEnded();
    }
    bus.publish("autorun.event", event);
    return event;
  }

  function forgetOldEnded() {
    const ended = [...logs].filter(([, l]) => l.ended);
    for (const [id] of ended.slice(0, Math.max(0, ended.length - ENDED_RUNS))) logs.delete(id);
  }

  return {
    emit,
    /** What this process published for a run so far, oldest first (empty if none, or forgotten). */
    log: (runId: string): RunEvent[] => [...(logs.get(runId)?.events ?? [])],
    /** Events of the run's log dropped from its middle (over PER_RUN): a replay says so with a `gap` line. */
    dropped: (runId: string): number => logs.get(runId)?.dropped ?? 0,
  };
}

export type RunEvents = ReturnType<typeof createRunEvents>;

/** Agent turns begun on the run's current document in this loop (from its stored state). */
export function spawnsAt(row: RunRow): number {
  return states(row, configOf(row).documents.length)[row.docIndex]?.spawns ?? 0;
}

const ENDED = ["done", "aborted", "halted", "error"];

/**
 * A run's events as desktop's JSONL lines, ending after its `complete`. Live from the call on;
 * with `fromStart`, first what this process logged of the run (its start, and since its latest
 * Resume), nothing lost or doubled between the two. A run already paused or ended gets that end
 * at once (from the log, or from its row when this process has no log of it), so a reader never
 * waits for nothing.
 */
export async function* desktopLines(
  deps: { db: Db; bus: Bus; events: RunEvents },
  runId: string,
  opts: { fromStart?: boolean; signal?: AbortSignal } = {},
): AsyncGenerator<DesktopJsonl> {
  // Attached before anything is read: what is published meanwhile waits in its queue.
  const live = deps.bus.stream("autorun.event", { signal: opts.signal, filter: (e) => e.runId === runId });
  try {
    const log = deps.events.log(runId);
    const row = await deps.db.autorunRun.findUnique({ where: { id: runId } });
    if (!row) throw new AppError("NOT_FOUND", "That run does not exist.");
    // Live events at or before the last one replayed were in the log too.
    let last = 0;
    const lines = (e: RunEvent) => toDesktopJsonl(e);
    const dropped = deps.events.dropped(runId);
    if (opts.fromStart && !log.some((e) => e.type === "run-started")) {
      // This process did not start the run (a restart, or a headless `resume-auto-run`): its
      // start from the row, so a reader still gets `start` first.
      const agent = await deps.db.agent.findUnique({ where: { id: row.agentId }, select: { id: true, name: true, folder: true } });
      if (agent) yield* toDesktopJsonl(startOf(row, agent));
    }
    if (opts.fromStart) {
      for (const e of replayWindow(log)) {
        last = e.seq;
        for (const l of lines(e)) {
          yield l;
          if (isFinal(l)) return;
        }
        if (e.type === "run-started" && dropped > 0)
          yield { type: "gap", timestamp: e.at, dropped, runId, reason: `The oldest ${dropped} events of this run are no longer kept.` };
      }
    }
    const newest = log.at(-1);
    // This process never saw the run (a restart) or forgot it: its row says where it stands.
    const standing = newest ?? (row.status === "paused" || ENDED.includes(row.status) ? endOf(row) : undefined);
    if (standing && (standing.type === "paused" || standing.type === "run-ended")) {
      if (!newest || standing.seq > last) for (const l of lines(standing)) yield l;
      // A rate limit's wait lifts by itself: what follows it is live.
      if (!waitsByItself(standing)) return;
      last = Math.max(last, standing.seq);
    }
    for await (const e of live) {
      if (e.seq <= last) continue;
      for (const l of lines(e)) {
        yield l;
        if (isFinal(l)) return;
      }
    }
  } finally {
    await live.return?.();
  }
}

/** A run's start, rebuilt from its row. */
function startOf(row: RunRow, agent: { id: string; name: string; folder: string }): RunEvent {
  return {
    type: "run-started",
    runId: row.id,
    seq: 0,
    at: row.startedAt.getTime(),
    kind: row.playbookId ? "playbook" : "direct",
    playbookId: row.playbookId,
    name: row.name,
    tabId: row.tabId,
    agent,
  };
}

/** A paused or ended run's last event, rebuilt from its row (a halt's marker reason is in `endReason`). */
function endOf(row: RunRow): RunEvent {
  const totals = { tasksDone: row.tasksDone, tasksFailed: row.tasksFailed, elapsedMs: row.elapsedMs, costUsd: row.costUsd };
  const base = { runId: row.id, seq: 0, at: (row.endedAt ?? row.updatedAt).getTime() };
  if (row.status !== "paused")
    return { ...base, type: "run-ended", status: row.status as RunEndStatus, reason: row.endReason ?? "", totals, halt: null };
  const filename = configOf(row).documents[row.docIndex]?.filename;
  const spawns = spawnsAt(row);
  return {
    ...base,
    type: "paused",
    ...(filename === undefined ? {} : { document: filename, docIndex: row.docIndex }),
    taskIndex: Math.max(0, spawns - 1),
    kind: row.pauseKind ?? "user",
    reason: row.pauseReason ?? "",
    resumeAt: row.resumeAt ? row.resumeAt.getTime() : null,
    totals,
  };
}
