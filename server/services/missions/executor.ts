import type { FeatureView, MissionView } from "../../../lib/missions/types";
import {
  blockedByFailure,
  chooseAgent,
  missionComplete,
  openMilestones,
  readyFeatures,
  stallOf,
  stallReason,
} from "../../../lib/missions/rules";
import type { Db } from "../../db";
import type { Logger } from "../../logger";
import type { WorktreesService } from "../git/worktrees";
import type { TurnsService } from "../turns/service";
import { finishMission, moveMilestones, type MissionFinishApi } from "./finish-mission";
import { startMission } from "./start";
import { recoverMissions } from "./recovery";
import type { LogInput, MissionExecutor, MissionRecorder, MissionTx } from "./types";
import type { WorktreeRemover } from "./tidy";
import { resumeReview, runFeature, worktreeOf } from "./worker";

export interface ExecutorDeps {
  db: Db;
  turns: Pick<TurnsService, "start" | "stop">;
  tabs: { create(agentId: string, name?: string): Promise<{ id: string }> };
  worktrees: Pick<WorktreesService, "info" | "create" | "setupFinished">;
  /** Merging the mission branch back, or pushing it and opening its pull request (`services.finish`). */
  finish: () => MissionFinishApi | null | undefined;
  logger: Logger;
  /** Each verification command's time limit (default 5 min). */
  verifyTimeoutMs?: number;
  /** How a worker creates its handoff from its shell (shown in the worker prompt). */
  handoffCommand?: string;
  /** Removes feature worktrees no longer needed (tidy.ts); without it they stay. */
  worktreeRemoval?: WorktreeRemover;
}

type StopWhy = "pause" | "remove" | "shutdown";

/** A feature's worker while it runs: stopped through its tab's turn and its verification's abort signal. */
export interface Worker {
  key: string;
  agentId: string;
  tabId: string | null;
  stopping: StopWhy | null;
  abort: AbortController;
  done: Promise<void>;
}

/** What the executor's parts (worker, finish, recovery) share. */
export interface ExecCtx {
  deps: ExecutorDeps;
  recorder: MissionRecorder;
  workers(missionId: string): Map<string, Worker>;
  kick(missionId: string): void;
  /** The feature failed: its dependents are blocked, a person is told, the failure policy applies. */
  fail(missionId: string, featureKey: string, reason: string): Promise<void>;
  /** Merges into one mission branch happen one at a time. */
  merging<T>(missionId: string, job: () => Promise<T>): Promise<T>;
  /** Resolves once no worktree is being made ahead of time for this feature. */
  prepared(missionId: string, key: string): Promise<void>;
  update(
    missionId: string,
    key: string,
    data: Parameters<MissionTx["missionFeature"]["update"]>[0]["data"],
    log: LogInput[],
  ): Promise<void>;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
export const RESTARTED = "The bridge restarted mid-mission: Resume to go on.";
export const SHUT_DOWN = "The bridge stopped mid-mission: Resume to go on.";

/** A launch found its feature no longer pending, or the mission no longer executing. */
class NotClaimed extends Error {}

/** One promise chain per key: jobs of one mission run one after another. */
function serial() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, job: () => Promise<T>): Promise<T> => {
    const next = (tails.get(key) ?? Promise.resolve()).then(job, job);
    const settled = next.catch(() => {});
    tails.set(key, settled);
    void settled.then(() => tails.get(key) === settled && tails.delete(key));
    return next;
  };
}

/**
 * The mission executor: the scheduler (kick), the workers, verification, merges, seals and the
 * finish. Built by the missions service around its recorder, through which every row changes.
 */
export function createMissionExecutor(deps: ExecutorDeps): (recorder: MissionRecorder) => MissionExecutor {
  return (recorder) => {
    const { db, logger } = deps;
    const running = new Map<string, Map<string, Worker>>();
    const kicks = serial();
    const merges = serial();
    /** Worktrees being made ahead of time, by mission and feature key. */
    const preparing = new Map<string, Map<string, Promise<void>>>();
    /** Missions being stopped, with how many stops are under way: their kicks start nothing until the last is over. */
    const halting = new Map<string, number>();
    let closing = false;
    const halted = (missionId: string) => closing || (halting.get(missionId) ?? 0) > 0;

    const workers = (missionId: string) => {
      let m = running.get(missionId);
      if (!m) running.set(missionId, (m = new Map<string, Worker>()));
      return m;
    };

    const update: ExecCtx["update"] = async (missionId, key, data, log) => {
      await recorder.commit(
        missionId,
        (tx) => tx.missionFeature.update({ where: { missionId_key: { missionId, key } }, data }).then(() => {}),
        log,
      );
    };

    async function pause(missionId: string, detail: string) {
      await recorder.commit(
        missionId,
        (tx) => tx.mission.update({ where: { id: missionId }, data: { status: "paused", statusDetail: detail } }).then(() => {}),
        [{ type: "mission-paused", text: detail }],
      );
    }

    async function fail(missionId: string, featureKey: string, reason: string) {
      const view = await recorder.view(missionId);
      const feature = view.features.find((f) => f.key === featureKey);
      if (!feature) return;
      const marked = view.features.map((f) => (f.key === featureKey ? { ...f, status: "failed" as const } : f));
      const blocked = blockedByFailure(marked, featureKey);
      await recorder.commit(
        missionId,
        async (tx) => {
          await tx.missionFeature.update({
            where: { missionId_key: { missionId, key: featureKey } },
            data: { status: "failed", statusDetail: reason, endedAt: new Date() },
          });
          if (blocked.length)
            await tx.missionFeature.updateMany({
              where: { missionId, key: { in: blocked } },
              data: { status: "blocked", statusDetail: `Waits for ${feature.title}, which failed.` },
            });
        },
        [
          { type: "feature-failed", text: `${feature.title} failed: ${reason}`, featureKey },
          ...(blocked.length
            ? [{ type: "features-blocked", text: `Blocked until ${feature.title} is fixed: ${blocked.join(", ")}.`, featureKey }]
            : []),
        ],
      );
      await recorder.notify(missionId, "Feature failed", `${feature.title}: ${reason}`.slice(0, 300)).catch(() => {});
      if (view.failurePolicy === "stop" && view.status === "executing") {
        await pause(missionId, `Feature ${feature.title} failed: Retry, Skip or Reassign.`);
        // Not awaited: this worker is one of those stopped, and it is the one calling.
        void stopWorkers(missionId, "pause", featureKey).catch((err: unknown) => logger.error(`mission ${missionId}: ${messageOf(err)}`));
      }
    }

    const ctx: ExecCtx = {
      deps,
      recorder,
      workers,
      kick: (missionId) => kick(missionId),
      fail,
      merging: (missionId, job) => merges(missionId, job),
      prepared: async (missionId, key) => {
        await preparing.get(missionId)?.get(key);
      },
      update,
    };

    /**
     * While features run, the worktrees of those that will be ready when they are done are made
     * ahead of time (from the mission branch's tip as it is; the worker fast-forwards it when it
     * starts), so a feature's start is not a `git worktree add` after its dependencies' merges.
     * At most the concurrency's worth at a time; a failure here is only retried at the start.
     */
    function prepareAhead(view: MissionView, busy: Map<string, number>, pool: { id: string; provider: string }[]) {
      let mine = preparing.get(view.id);
      if (!mine) preparing.set(view.id, (mine = new Map<string, Promise<void>>()));
      const started = new Set(["done", "skipped", "in-progress", "review"]);
      const status = new Map(view.features.map((f) => [f.key, f.status]));
      const open = openMilestones(view.milestones);
      const next = view.features.filter(
        (f) =>
          f.status === "pending" &&
          !f.worktreeAgentId &&
          !mine.has(f.key) &&
          open.has(f.milestoneKey) &&
          f.dependsOn.length > 0 &&
          f.dependsOn.every((d) => started.has(status.get(d) ?? "")),
      );
      for (const f of next.slice(0, Math.max(0, view.concurrency - mine.size))) {
        const agentId = chooseAgent({ feature: f, pool, projectAgentId: view.agentId, busy });
        busy.set(agentId, (busy.get(agentId) ?? 0) + 1);
        const job = worktreeOf(ctx, view, f.key, agentId)
          .then(() => {})
          .catch((err: unknown) => logger.error(`mission ${view.id}: preparing ${f.key}'s worktree: ${messageOf(err)}`))
          .finally(() => mine.delete(f.key));
        mine.set(f.key, job);
      }
    }

    /**
     * Starts a worker on a pending feature. The feature is claimed in the commit itself, only while
     * it is still pending and the mission still executing: a pause, a person's change or a removal
     * that came after this step read the mission wins, and nothing starts (false).
     */
    async function launch(view: MissionView, f: FeatureView, agentId: string): Promise<boolean> {
      const w: Worker = { key: f.key, agentId, tabId: null, stopping: null, abort: new AbortController(), done: Promise.resolve() };
      workers(view.id).set(f.key, w);
      const startedAt = new Date();
      // A feature left in review (its turn ended before a pause or a restart) is only reviewed again.
      const again = f.status === "review";
      const start = {
        status: "in-progress",
        statusDetail: "",
        agentId,
        attempts: { increment: 1 },
        startedAt,
        endedAt: null,
        mergedSha: null,
      };
      try {
        await recorder.commit(
          view.id,
          async (tx) => {
            const claimed = await tx.missionFeature.updateMany({
              where: { missionId: view.id, key: f.key, status: again ? "review" : "pending", mission: { status: "executing" } },
              data: again ? { statusDetail: "Verifying." } : start,
            });
            if (claimed.count === 0) throw new NotClaimed();
          },
          [
            again
              ? { type: "feature-review", text: `${f.title}: its work is committed; verifying and merging it again.`, featureKey: f.key }
              : {
                  type: "feature-started",
                  text: `${f.title} started${f.attempts ? ` (attempt ${f.attempts + 1})` : ""}.`,
                  featureKey: f.key,
                },
          ],
        );
      } catch (err) {
        workers(view.id).delete(f.key);
        if (err instanceof NotClaimed) return false;
        throw err;
      }
      w.done = (again ? resumeReview(ctx, view, f, w) : runFeature(ctx, view, f, w, startedAt))
        .catch((err: unknown) => logger.error(`mission ${view.id} feature ${f.key}: ${messageOf(err)}`))
        .finally(() => {
          workers(view.id).delete(f.key);
          kick(view.id);
        });
      return true;
    }

    /**
     * The agent a feature's worktree was made ahead for, while it may still do the feature (the
     * project agent or in the pool): the feature runs there, in that worktree, not in a new one.
     */
    async function preparedFor(view: MissionView, f: FeatureView, pool: { id: string }[]): Promise<string | null> {
      if (!f.worktreeAgentId || f.agentId) return null;
      const wt = await db.agent.findUnique({ where: { id: f.worktreeAgentId }, select: { parentId: true } });
      const parent = wt?.parentId;
      return parent && (parent === view.agentId || pool.some((a) => a.id === parent)) ? parent : null;
    }

    async function step(missionId: string) {
      if (halted(missionId)) return;
      let view = await recorder.view(missionId).catch(() => null);
      if (!view || view.status !== "executing") return;
      for (let i = 0; i < 100 && (await moveMilestones(ctx, view)); i++) view = await recorder.view(missionId);
      if (missionComplete(view.milestones)) {
        if (workers(missionId).size === 0) await finishMission(ctx, view);
        return;
      }
      const mine = workers(missionId);
      const open = openMilestones(view.milestones);
      const reviews = view.features.filter((f) => f.status === "review" && !mine.has(f.key) && open.has(f.milestoneKey));
      const ready = [...reviews, ...readyFeatures(view.features, view.milestones).filter((f) => !mine.has(f.key))];
      const slots = Math.max(0, view.concurrency - mine.size);
      const pool = await db.agent.findMany({ where: { id: { in: view.pool } }, select: { id: true, provider: true } });
      const ordered = view.pool.flatMap((id) => pool.filter((a) => a.id === id));
      const busy = new Map<string, number>();
      for (const m of running.values()) for (const w of m.values()) busy.set(w.agentId, (busy.get(w.agentId) ?? 0) + 1);
      if (ready.length && slots) {
        for (const f of ready.slice(0, slots)) {
          // A stop that began while this step ran: it waits for this step, which starts nothing more.
          if (halted(missionId)) return;
          const agentId =
            f.status === "review"
              ? (f.agentId ?? view.agentId)
              : ((await preparedFor(view, f, ordered)) ?? chooseAgent({ feature: f, pool: ordered, projectAgentId: view.agentId, busy }));
          if (await launch(view, f, agentId)) busy.set(agentId, (busy.get(agentId) ?? 0) + 1);
        }
        if (halted(missionId)) return;
        prepareAhead(await recorder.view(missionId), busy, ordered);
        return;
      }
      if (mine.size) prepareAhead(view, busy, ordered);
      if (mine.size || ready.length) return;
      // Nothing runs, nothing may start, no milestone moved: unless a milestone waits for a
      // person's seal, the mission would sit executing forever. It pauses, saying on what.
      const stall = stallOf(view.features, view.milestones, new Map(view.assertions.map((a) => [a.key, a.status])), 0);
      if (!stall) return;
      const reason = stallReason(stall, view);
      await pause(missionId, reason);
      // A failure has told the person already.
      if (stall.kind !== "failed")
        await recorder.notify(missionId, "Mission paused", `${view.title}: ${reason}`.slice(0, 300)).catch(() => {});
    }

    function kick(missionId: string) {
      void kicks(missionId, () => step(missionId)).catch(async (err: unknown) => {
        logger.error(`mission ${missionId}: ${messageOf(err)}`);
        await pause(missionId, `The mission stopped on an error: ${messageOf(err)} Resume to try again.`).catch(() => {});
      });
    }

    async function stopWorkers(missionId: string, why: StopWhy, except?: string) {
      halting.set(missionId, (halting.get(missionId) ?? 0) + 1);
      try {
        // A step in flight may be launching: it ends first (starting nothing more once it sees the
        // stop), and so do the worktrees being made ahead; then every worker is in the snapshot.
        await kicks(missionId, async () => {});
        await Promise.all([...(preparing.get(missionId)?.values() ?? [])]);
        const ws = [...workers(missionId).values()].filter((w) => w.key !== except);
        for (const w of ws) {
          w.stopping = why;
          w.abort.abort();
          if (w.tabId) await deps.turns.stop(w.tabId);
        }
        await Promise.all(ws.map((w) => w.done));
      } finally {
        const left = (halting.get(missionId) ?? 1) - 1;
        if (left > 0) halting.set(missionId, left);
        else halting.delete(missionId);
      }
    }

    return {
      // In the mission's chain: two approvals at once (a double tap) make its branch once; the
      // second finds it made.
      start: (missionId) => kicks(missionId, () => startMission(ctx, missionId)),

      kick,

      stop: (missionId, why) => stopWorkers(missionId, why),

      running: (missionId) => [...(running.get(missionId)?.keys() ?? [])],

      async idle(missionId) {
        await kicks(missionId, async () => {});
      },

      recover: () => recoverMissions(ctx, RESTARTED),

      async shutdown() {
        closing = true;
        const ids = new Set([...running.entries()].filter(([, m]) => m.size > 0).map(([id]) => id));
        for (const m of await db.mission.findMany({ where: { status: "executing" }, select: { id: true } })) ids.add(m.id);
        for (const id of ids) {
          await pause(id, SHUT_DOWN).catch((err: unknown) => logger.error(`mission ${id}: ${messageOf(err)}`));
          await stopWorkers(id, "shutdown");
        }
      },
    };
  };
}
