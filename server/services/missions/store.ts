import type { MissionEvent } from "../../../generated/prisma/client.ts";
import type { MissionListItem, MissionLogEntry, MissionView } from "../../../lib/missions/types";
import type { Db } from "../../db";
import { AppError, errorText } from "../../errors";
import type { Bus } from "../../events/bus";
import type { Logger } from "../../logger";
import { createQueues } from "../groupchat/queue";
import type { LogInput, MissionTx } from "./types";
import { agentIdsOf, listItem, logEntry, missionInclude, missionView } from "./views";

const PAGE = 500;
const GONE = "That mission no longer exists.";

export interface MissionStoreDeps {
  db: Db;
  bus: Bus;
  logger: Logger;
  /** Rewrites the mission's `.maestro/` tree from the rows as stored (disk.ts through the service). */
  writeTree: (missionId: string) => Promise<void>;
  /** How long changes gather before one tree write (ms; default 150). */
  diskDebounceMs?: number;
}

/**
 * The missions' store: every change is one Prisma transaction that also appends its log lines
 * (MissionEvent rows are the log and the stream), one mission's commits in call order; after the
 * commit the lines go out on "missions.events" and "missions.changed", and the mission's
 * `.maestro/` tree is rewritten a moment later. The tree is a copy for people and other tools:
 * a failed write is logged and the next change writes it again.
 */
export function createMissionStore(deps: MissionStoreDeps) {
  const { db, bus, logger } = deps;
  // At most one tree write a second per mission: a running mission changes many times a second,
  // and each write reads the mission back and rewrites its files (bench/mission.ts profiled it).
  // A change after a quiet second is written a moment later.
  const debounceMs = deps.diskDebounceMs ?? 1000;
  const lastWrite = new Map<string, number>();
  const commits = createQueues();
  const diskWrites = createQueues();
  const timers = new Map<string, NodeJS.Timeout>();

  /**
   * Runs `change` and stores `log` in one transaction (the mission's `updatedAt` is touched in it),
   * then publishes. Never call it from inside another commit's `change` for the same mission: they
   * run one after the other.
   */
  function commit(missionId: string, change: (tx: MissionTx) => Promise<void>, log: LogInput[]): Promise<MissionLogEntry[]> {
    return commits.run(missionId, async () => {
      const rows = await db.$transaction(
        async (tx) => {
          const exists = await tx.mission.findUnique({ where: { id: missionId }, select: { id: true } });
          if (!exists) throw new AppError("NOT_FOUND", GONE);
          await change(tx);
          await tx.mission.update({ where: { id: missionId }, data: { updatedAt: new Date() } });
          const stored = [];
          for (const line of log) {
            const payload = JSON.stringify({
              text: line.text,
              featureKey: line.featureKey ?? null,
              milestoneKey: line.milestoneKey ?? null,
            });
            stored.push(await tx.missionEvent.create({ data: { missionId, type: line.type, payload } }));
          }
          return stored;
        },
        { maxWait: 10_000, timeout: 30_000 },
      );
      const entries = rows.map(logEntry);
      if (entries.length > 0) bus.publish("missions.events", { missionId, entries });
      bus.publish("missions.changed", { missionId });
      scheduleDisk(missionId);
      return entries;
    });
  }

  /**
   * Publishes event rows a caller stored in its own transaction (a mission made with its first
   * line, where `commit` cannot run yet), then schedules the tree write.
   */
  function announce(missionId: string, rows: MissionEvent[]) {
    const entries = rows.map(logEntry);
    if (entries.length > 0) bus.publish("missions.events", { missionId, entries });
    bus.publish("missions.changed", { missionId });
    scheduleDisk(missionId);
  }

  /** A change that is not a mission's (a mission made or removed, a handoff, memory): told to lists and views. */
  function changed(missionId: string) {
    bus.publish("missions.changed", { missionId });
  }

  /** The next tree write of this mission: a moment after a quiet spell, else a whole interval after the last write. */
  function scheduleDisk(missionId: string) {
    if (timers.has(missionId)) return;
    // A burst's commits (a feature's start is several) gather for a moment even after a quiet spell.
    const gather = Math.min(100, debounceMs);
    const wait = Math.max(gather, (lastWrite.get(missionId) ?? -Infinity) + debounceMs - Date.now());
    timers.set(
      missionId,
      setTimeout(() => {
        timers.delete(missionId);
        lastWrite.set(missionId, Date.now());
        if (lastWrite.size > 1000) lastWrite.delete(lastWrite.keys().next().value!);
        void writeNow(missionId);
      }, wait),
    );
  }

  function writeNow(missionId: string): Promise<void> {
    return diskWrites.run(missionId, async () => {
      try {
        await deps.writeTree(missionId);
      } catch (err) {
        // Gone since (removed): nothing to write. Anything else is logged; the next change rewrites it.
        if (err instanceof AppError && err.code === "NOT_FOUND") return;
        logger.error(`missions: writing .maestro/ for ${missionId} failed: ${errorText(err)}`);
      }
    });
  }

  /** Writes every scheduled tree now and waits for every write under way (tests, shutdown). */
  async function flushDisk(): Promise<void> {
    const due = [...timers.keys()];
    for (const id of due) {
      clearTimeout(timers.get(id));
      timers.delete(id);
    }
    await Promise.all(due.map(writeNow));
    await Promise.all(due.map((id) => diskWrites.drained(id)));
  }

  /** Waits until the mission's queued commits have run (a remove does this before deleting rows). */
  function settled(missionId: string): Promise<void> {
    return commits.drained(missionId);
  }

  async function names(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db.agent.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
    return new Map(rows.map((a) => [a.id, a.name]));
  }

  /** The mission as stored, with the newest event id read in the same transaction. */
  async function view(missionId: string): Promise<MissionView> {
    const [rows, last] = await db.$transaction([
      db.mission.findUnique({ where: { id: missionId }, include: missionInclude }),
      db.missionEvent.aggregate({ where: { missionId }, _max: { id: true } }),
    ]);
    if (!rows) throw new AppError("NOT_FOUND", GONE);
    return missionView(rows, await names(agentIdsOf(rows)), last._max.id ?? 0);
  }

  async function list(input: { agentId?: string } = {}): Promise<MissionListItem[]> {
    const rows = await db.mission.findMany({
      where: input.agentId ? { agentId: input.agentId } : {},
      include: {
        agent: { select: { name: true } },
        features: { select: { status: true, inputTokens: true, outputTokens: true, costUsd: true, durationMs: true } },
      },
      orderBy: { updatedAt: "desc" },
    });
    return rows.map(listItem);
  }

  /** Newest first, before `beforeId` (older pages). */
  async function log(input: { missionId: string; beforeId?: number; limit?: number }): Promise<MissionLogEntry[]> {
    const found = await db.mission.findUnique({ where: { id: input.missionId }, select: { id: true } });
    if (!found) throw new AppError("NOT_FOUND", GONE);
    const rows = await db.missionEvent.findMany({
      where: { missionId: input.missionId, ...(input.beforeId ? { id: { lt: input.beforeId } } : {}) },
      orderBy: { id: "desc" },
      take: input.limit ?? 100,
    });
    return rows.map(logEntry);
  }

  async function* pagesAfter(missionId: string | undefined, afterId: number): AsyncIterable<MissionLogEntry[]> {
    let after = afterId;
    for (;;) {
      const rows = await db.missionEvent.findMany({
        where: { ...(missionId ? { missionId } : {}), id: { gt: after } },
        orderBy: { id: "asc" },
        take: PAGE,
      });
      if (rows.length === 0) return;
      yield rows.map(logEntry);
      after = rows[rows.length - 1]!.id;
      if (rows.length < PAGE) return;
    }
  }

  function shutdown(): Promise<void> {
    return flushDisk();
  }

  return { commit, announce, changed, scheduleDisk, flushDisk, settled, view, list, log, pagesAfter, shutdown };
}

export type MissionStore = ReturnType<typeof createMissionStore>;

/** What the missions service's parts (lifecycle, assertions, checkpoints, handoffs, memory, import) share. */
export interface MissionCtx {
  db: Db;
  bus: Bus;
  logger: Logger;
  store: MissionStore;
  /** The executor (built after the recorder it is handed, so read when used). */
  executor: () => import("./types").MissionExecutor;
  now: () => Date;
}
