import type { ImportedMission } from "../../../lib/missions/layout";
import {
  ASSERTION_STATUSES,
  FEATURE_STATUSES,
  HANDOFF_STATUSES,
  MILESTONE_STATUSES,
  MISSION_STATUSES,
  WORKER_HELD_STATUSES,
} from "../../../lib/missions/types";
import { AppError } from "../../errors";
import type { createHandoffs } from "./handoffs";
import type { createMemory } from "./memory";
import { featureRows, milestoneRows } from "./plan-rows";
import type { MissionDisk } from "./service";
import type { MissionCtx } from "./store";

const known = <T extends string>(list: readonly T[], value: string | undefined, fallback: T): T =>
  list.includes(value as T) ? (value as T) : fallback;

/**
 * `.maestro/` made by the reference CLI (or by us, on another machine) into rows. A mission that
 * was executing comes in paused (no worker of ours runs it); a feature that was in progress comes
 * back pending. A refId this project already has is skipped with the reason.
 */
export function createImport(
  ctx: MissionCtx,
  deps: {
    disk: Pick<MissionDisk, "scanMissionTrees" | "readHandoffs" | "readMemory">;
    handoffs: ReturnType<typeof createHandoffs>;
    memory: ReturnType<typeof createMemory>;
  },
) {
  const { db, store } = ctx;

  async function importDisk(input: { agentId: string; refId?: string }) {
    const agent = await db.agent.findUnique({ where: { id: input.agentId }, select: { id: true, folder: true } });
    if (!agent) throw new AppError("NOT_FOUND", "That agent no longer exists.");
    const scan = await deps.disk.scanMissionTrees(agent.folder);
    const wanted = input.refId ? scan.missions.filter((t) => t.refId === input.refId) : scan.missions;
    const unreadable = input.refId ? scan.skipped.filter((s) => s.refId === input.refId) : scan.skipped;
    if (input.refId && wanted.length === 0 && unreadable.length === 0)
      throw new AppError("NOT_FOUND", `No mission "${input.refId}" under ${agent.folder}/.maestro/missions/.`);
    const imported: string[] = [];
    const skipped: { refId: string; reason: string }[] = [...unreadable];
    for (const tree of wanted) {
      const have = await db.mission.findUnique({
        where: { agentId_refId: { agentId: agent.id, refId: tree.refId } },
        select: { id: true },
      });
      if (have) {
        skipped.push({ refId: tree.refId, reason: "Already imported (it is one of this project's missions)." });
        continue;
      }
      try {
        await importOne(agent, tree);
        imported.push(tree.refId);
      } catch (err) {
        skipped.push({ refId: tree.refId, reason: err instanceof Error ? err.message : String(err) });
      }
    }
    if (!input.refId) {
      // The project's own handoffs (no mission's) and memory: the ones not yet known are added.
      for (const h of await deps.disk.readHandoffs(agent.folder)) {
        if (h.missionRefId) continue;
        if (await db.missionHandoff.findUnique({ where: { id: h.id }, select: { id: true } })) continue;
        await deps.handoffs.storeImported({
          folder: agent.folder,
          handoff: h.handoff,
          how: "imported",
          id: h.id,
          status: known(HANDOFF_STATUSES, h.status, "pending"),
          claimedBy: h.claimedBy,
          ...(validDate(h.createdAt) ? { createdAt: validDate(h.createdAt)! } : {}),
        });
      }
    }
    await deps.memory.importEntries(agent.folder, await deps.disk.readMemory(agent.folder));
    return { imported, skipped };
  }

  async function importOne(agent: { id: string; folder: string }, tree: ImportedMission) {
    const { plan } = tree;
    let status = known(MISSION_STATUSES, tree.status, "draft");
    const paused = status === "executing";
    if (paused) status = "paused";
    const byKey = new Map(tree.assertions.map((a) => [a.key, a]));
    const assertionKeys = [...new Set([...plan.features.flatMap((f) => f.fulfills), ...byKey.keys()])];
    const createdAt = new Date(tree.createdAt ?? "");
    const statusOf = (key: string) => known(FEATURE_STATUSES, tree.features[key]?.status, "pending");
    // No worker of ours was running these: they start again.
    const restarted = plan.features.filter((f) => WORKER_HELD_STATUSES.includes(statusOf(f.id))).map((f) => f.id);
    const { id, event } = await db.$transaction(async (tx) => {
      const m = await tx.mission.create({
        data: {
          refId: tree.refId,
          agentId: agent.id,
          title: plan.title,
          description: plan.description,
          status,
          statusDetail: paused ? "Imported while it was executing: resume it to run the rest here." : "",
          planJson: JSON.stringify(plan),
          ...(Number.isNaN(createdAt.getTime()) ? {} : { createdAt }),
          ...(status !== "draft" ? { approvedAt: ctx.now() } : {}),
          milestones: {
            create: milestoneRows(plan).map((row) => ({
              ...row,
              status: known(MILESTONE_STATUSES, tree.milestones[row.key]?.status, "pending"),
              ...(tree.milestones[row.key]?.status === "sealed"
                ? {
                    sealedAt: validDate(tree.milestones[row.key]?.sealedAt) ?? ctx.now(),
                    sealedBy: tree.milestones[row.key]?.sealedBy ?? "import",
                  }
                : {}),
            })),
          },
          features: {
            create: featureRows(plan).map((row) => ({ ...row, status: restarted.includes(row.key) ? "pending" : statusOf(row.key) })),
          },
          assertions: {
            create: assertionKeys.map((key) => {
              const a = byKey.get(key);
              return { key, status: known(ASSERTION_STATUSES, a?.status, "pending"), evidence: a?.evidence ?? "", setBy: a?.setBy ?? null };
            }),
          },
        },
      });
      const text = `Imported from .maestro/missions/${tree.refId}/ (${plan.features.length} feature(s))${paused ? ": it was executing, so it comes in paused" : ""}${restarted.length ? `; ${restarted.join(", ")} (in progress or in review there, with no worker here) go back to pending` : ""}.`;
      const e = await tx.missionEvent.create({
        data: { missionId: m.id, type: "mission-imported", payload: JSON.stringify({ text, featureKey: null, milestoneKey: null }) },
      });
      return { id: m.id, event: e };
    });
    store.announce(id, [event]);
    for (const h of tree.handoffs) {
      const taken = await db.missionHandoff.findUnique({ where: { id: h.id }, select: { folder: true } });
      if (taken?.folder === agent.folder) continue;
      await deps.handoffs.storeImported({
        folder: agent.folder,
        missionId: id,
        featureKey: h.featureKey ?? undefined,
        handoff: h.handoff,
        how: "imported",
        status: known(HANDOFF_STATUSES, h.status, "pending"),
        claimedBy: h.claimedBy,
        ...(validDate(h.createdAt) ? { createdAt: validDate(h.createdAt)! } : {}),
        // Another project's handoff took the id: this one gets a fresh one.
        id: taken ? undefined : h.id,
      });
    }
  }

  return { importDisk };
}

function validDate(s: string | null | undefined): Date | null {
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}
