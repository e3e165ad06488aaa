import { checkpointId } from "../../../lib/missions/ids";
import { WORKER_HELD_STATUSES, type CheckpointView } from "../../../lib/missions/types";
import { AppError } from "../../errors";
import type { MissionCtx } from "./store";
import type { LogInput, MissionTx } from "./types";
import { checkpointView } from "./views";

/** What a checkpoint keeps: statuses (not git: branches and merged commits stay as they are). */
interface Snapshot {
  version: 1;
  mission: { status: string; statusDetail: string };
  milestones: { key: string; status: string; sealedAt: string | null; sealedBy: string | null }[];
  features: { key: string; status: string; statusDetail: string; agentId: string | null; attempts: number }[];
  assertions: { key: string; status: string; evidence: string; setBy: string | null }[];
}

async function snapshotOf(tx: MissionTx, missionId: string): Promise<Snapshot> {
  const m = await tx.mission.findUniqueOrThrow({
    where: { id: missionId },
    include: { milestones: true, features: true, assertions: true },
  });
  return {
    version: 1,
    mission: { status: m.status, statusDetail: m.statusDetail },
    milestones: m.milestones.map((x) => ({
      key: x.key,
      status: x.status,
      sealedAt: x.sealedAt?.toISOString() ?? null,
      sealedBy: x.sealedBy,
    })),
    features: m.features.map((x) => ({
      key: x.key,
      status: x.status,
      statusDetail: x.statusDetail,
      agentId: x.agentId,
      attempts: x.attempts,
    })),
    assertions: m.assertions.map((x) => ({ key: x.key, status: x.status, evidence: x.evidence, setBy: x.setBy })),
  };
}

function readSnapshot(json: string): Snapshot {
  try {
    const s = JSON.parse(json) as Snapshot;
    if (s && s.version === 1 && Array.isArray(s.features) && Array.isArray(s.milestones) && Array.isArray(s.assertions)) return s;
  } catch {
    // Falls through to the error below.
  }
  throw new AppError("BAD_INPUT", "That checkpoint cannot be read: it was not made by this version of Maestro.");
}

export function createCheckpoints(ctx: MissionCtx) {
  const { db, store } = ctx;

  async function list(missionId: string): Promise<CheckpointView[]> {
    const m = await db.mission.findUnique({ where: { id: missionId }, select: { id: true } });
    if (!m) throw new AppError("NOT_FOUND", "That mission no longer exists.");
    const rows = await db.missionCheckpoint.findMany({
      where: { missionId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true, label: true, reason: true, createdAt: true },
    });
    return rows.map(checkpointView);
  }

  /** A fresh id: the reference's timestamp, with a suffix when another mission took the same millisecond. */
  async function freshId(tx: MissionTx, now: Date): Promise<string> {
    const base = checkpointId(now);
    for (let n = 0; ; n += 1) {
      const id = n === 0 ? base : `${base}-${n}`;
      if (!(await tx.missionCheckpoint.findUnique({ where: { id }, select: { id: true } }))) return id;
    }
  }

  async function save(input: { missionId: string; label?: string }, reason: "auto" | "manual" = "manual"): Promise<CheckpointView> {
    let view: CheckpointView | null = null;
    const label = input.label?.trim() ?? "";
    await store.commit(
      input.missionId,
      async (tx) => {
        const now = ctx.now();
        const row = await tx.missionCheckpoint.create({
          data: {
            id: await freshId(tx, now),
            missionId: input.missionId,
            label,
            reason,
            snapshot: JSON.stringify(await snapshotOf(tx, input.missionId)),
            createdAt: now,
          },
        });
        view = checkpointView(row);
      },
      [{ type: "checkpoint", text: `Checkpoint saved${label ? `: ${label}` : ""}${reason === "auto" ? " (automatic)" : ""}.` }],
    );
    return view!;
  }

  async function restore(input: { missionId: string; checkpointId: string }): Promise<void> {
    const m = await db.mission.findUnique({ where: { id: input.missionId }, select: { status: true } });
    if (!m) throw new AppError("NOT_FOUND", "That mission no longer exists.");
    const running = ctx.executor().running(input.missionId).length;
    if (running > 0) throw new AppError("CONFLICT", `Pause the mission first: ${running} feature(s) are running.`);
    if (m.status === "executing") throw new AppError("CONFLICT", "Pause the mission first: it would start features while it is restored.");
    const log: LogInput[] = [];
    await store.commit(
      input.missionId,
      async (tx) => {
        const row = await tx.missionCheckpoint.findUnique({ where: { id: input.checkpointId } });
        if (!row || row.missionId !== input.missionId) throw new AppError("NOT_FOUND", "That checkpoint no longer exists.");
        const inProgress = await tx.missionFeature.count({ where: { missionId: input.missionId, status: "in-progress" } });
        if (inProgress > 0) throw new AppError("CONFLICT", `Pause the mission first: ${inProgress} feature(s) are in progress.`);
        const snap = readSnapshot(row.snapshot);
        for (const x of snap.milestones)
          await tx.missionMilestone.updateMany({
            where: { missionId: input.missionId, key: x.key },
            data: { status: x.status, sealedAt: x.sealedAt ? new Date(x.sealedAt) : null, sealedBy: x.sealedBy },
          });
        // A feature that was running (or in review) when the checkpoint was taken has no worker now: it starts again.
        const restarted = snap.features.filter((x) => WORKER_HELD_STATUSES.includes(x.status)).map((x) => x.key);
        for (const x of snap.features)
          await tx.missionFeature.updateMany({
            where: { missionId: input.missionId, key: x.key },
            data: restarted.includes(x.key)
              ? { status: "pending", statusDetail: "", agentId: x.agentId }
              : { status: x.status, statusDetail: x.statusDetail, agentId: x.agentId },
          });
        for (const x of snap.assertions)
          await tx.missionAssertion.updateMany({
            where: { missionId: input.missionId, key: x.key },
            data: { status: x.status, evidence: x.evidence, setBy: x.setBy },
          });
        // A finished mission taken back to before its end waits for a person to resume it.
        const open = await tx.missionMilestone.count({ where: { missionId: input.missionId, status: { not: "sealed" } } });
        if (open > 0 && (m.status === "completed" || m.status === "failed"))
          await tx.mission.update({
            where: { id: input.missionId },
            data: { status: "paused", statusDetail: "Restored from a checkpoint: resume to run the rest.", completedAt: null },
          });
        log.push({
          type: "checkpoint-restored",
          text: `Restored checkpoint ${input.checkpointId}: the statuses of milestones, features and assertions are back as they were${restarted.length ? ` (but ${restarted.join(", ")}, in progress or in review then, go back to pending: no worker runs them now)` : ""}; git is not (branches and merged commits stay).`,
        });
      },
      log,
    );
  }

  return { list, save, restore };
}
