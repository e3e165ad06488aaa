import type { MissionHandoff } from "../../../generated/prisma/client.ts";
import { normalizeHandoff, type Handoff } from "../../../lib/missions/handoff";
import { handoffId, localDate } from "../../../lib/missions/ids";
import { decodeUki, encodeUki } from "../../../lib/missions/uki";
import type { HandoffFields, HandoffStatus, HandoffView } from "../../../lib/missions/types";
import { AppError } from "../../errors";
import type { MissionCtx } from "./store";
import type { MissionTx } from "./types";
import { handoffView } from "./views";

/** The transfer string of stored fields (fields that no longer check out give no string, not an error). */
export function ukiOf(fields: HandoffFields): string {
  const n = normalizeHandoff(fields);
  return n.ok ? encodeUki(n.handoff) : "";
}

export const viewOf = (row: MissionHandoff): HandoffView => handoffView(row, ukiOf);

/**
 * The project folder of an agent: its own, or for a worktree agent the folder of the agent it was
 * made from (a project's worktrees share its handoffs and memory).
 */
export async function projectFolder(db: MissionCtx["db"], agentId: string): Promise<string> {
  const a = await db.agent.findUnique({ where: { id: agentId }, select: { folder: true, parent: { select: { folder: true } } } });
  if (!a) throw new AppError("NOT_FOUND", "That agent no longer exists.");
  return a.parent?.folder ?? a.folder;
}

/**
 * Handoffs, per project folder (the project agent's folder): made by a worker, a person or the
 * reference CLI (its UKI string), then picked up, claimed and completed (pending → picked-up →
 * completed). One on a mission is also a line of the mission's log.
 */
export function createHandoffs(ctx: MissionCtx, deps: { writeHandoff?: (folder: string, h: HandoffView) => Promise<void> } = {}) {
  const { db, store } = ctx;

  /** A handoff that is no mission's is written to its project's `.maestro/handoffs/` (never fatal: the database is the live store). */
  async function persisted(view: HandoffView, folder: string): Promise<HandoffView> {
    if (view.missionId || !deps.writeHandoff) return view;
    await deps
      .writeHandoff(folder, view)
      .catch((err: unknown) =>
        ctx.logger.error(
          `missions: writing .maestro/handoffs/${view.id}.json in ${folder} failed: ${err instanceof Error ? err.message : String(err)}`,
        ),
      );
    return view;
  }

  /** The project folder a handoff belongs to: the mission's project, or the agent's project (projectFolder). */
  async function folderOf(input: { agentId?: string; missionId?: string }): Promise<string> {
    return (await placeOf(input)).folder;
  }

  /**
   * A mission's project folder. Given an agent too, it must be of that project: refIds repeat across
   * projects, so a pair that does not belong together is a mix-up, never a handoff to file.
   */
  async function missionFolder(missionId: string, agentId?: string): Promise<string> {
    const m = await db.mission.findUnique({ where: { id: missionId }, select: { refId: true, agent: { select: { folder: true } } } });
    if (!m) throw new AppError("NOT_FOUND", "That mission no longer exists.");
    if (agentId && (await projectFolder(db, agentId)) !== m.agent.folder)
      throw new AppError("BAD_INPUT", `Mission ${m.refId} belongs to another project than that agent's.`, { field: "missionId" });
    return m.agent.folder;
  }

  /**
   * Where a new handoff goes. Given only an agent that is a running feature's worktree agent (a
   * worker calling `maestro handoff create` from its shell), it is that feature's handoff, in the
   * mission's project: the executor finds it there and makes none from the reply.
   */
  async function placeOf(input: {
    agentId?: string;
    missionId?: string;
  }): Promise<{ folder: string; missionId?: string; featureKey?: string }> {
    if (input.missionId) return { folder: await missionFolder(input.missionId, input.agentId), missionId: input.missionId };
    if (input.agentId) {
      const worker = await db.missionFeature.findFirst({
        where: { worktreeAgentId: input.agentId, status: { in: ["in-progress", "review"] } },
        orderBy: { startedAt: "desc" },
        select: { missionId: true, key: true, mission: { select: { agent: { select: { folder: true } } } } },
      });
      if (worker) return { folder: worker.mission.agent.folder, missionId: worker.missionId, featureKey: worker.key };
      return { folder: await projectFolder(db, input.agentId) };
    }
    throw new AppError("BAD_INPUT", "Name the project (its agent) or the mission the handoff belongs to.");
  }

  /** A fresh id: the reference's date sequence (ids are global here, so the day's ids of every project count). */
  async function freshId(tx: Pick<MissionTx, "missionHandoff">): Promise<string> {
    const now = ctx.now();
    const rows = await tx.missionHandoff.findMany({ where: { id: { startsWith: localDate(now) } }, select: { id: true } });
    return handoffId(
      now,
      rows.map((r) => r.id),
    );
  }

  async function store_(input: {
    folder: string;
    missionId?: string;
    featureKey?: string;
    handoff: Handoff;
    how: string;
    id?: string;
    status?: HandoffStatus;
    claimedBy?: string | null;
    createdAt?: Date;
  }) {
    const write = async (tx: Pick<MissionTx, "missionHandoff">) =>
      tx.missionHandoff.create({
        data: {
          id: input.id ?? (await freshId(tx)),
          folder: input.folder,
          missionId: input.missionId ?? null,
          featureKey: input.featureKey ?? null,
          fieldsJson: JSON.stringify(input.handoff),
          ...(input.status ? { status: input.status } : {}),
          ...(input.claimedBy ? { claimedBy: input.claimedBy } : {}),
          ...(input.createdAt ? { createdAt: input.createdAt } : {}),
        },
      });
    if (!input.missionId) {
      const row = await db.$transaction((tx) => write(tx));
      // Not one mission's: lists and views refetch all the same.
      store.changed("");
      return viewOf(row);
    }
    let row: MissionHandoff | null = null;
    await store.commit(
      input.missionId,
      async (tx) => {
        row = await write(tx);
      },
      [{ type: "handoff", text: `Handoff ${input.how}: ${input.handoff.summary}`, featureKey: input.featureKey ?? null }],
    );
    return viewOf(row!);
  }

  async function createHandoff(input: { agentId?: string; missionId?: string; featureKey?: string; fields: HandoffFields }) {
    const place = await placeOf(input);
    const { folder } = place;
    const missionId = place.missionId;
    const featureKey = input.featureKey ?? place.featureKey;
    const n = normalizeHandoff(input.fields);
    if (!n.ok) {
      const [first, ...rest] = n.errors;
      throw new AppError("BAD_INPUT", first ?? "The handoff is not valid.", rest.length ? { hint: rest.join("\n") } : {});
    }
    if (featureKey && missionId) {
      const f = await db.missionFeature.findUnique({ where: { missionId_key: { missionId, key: featureKey } } });
      if (!f) throw new AppError("BAD_INPUT", `No feature "${featureKey}" in this mission.`, { field: "featureKey" });
    }
    return persisted(await store_({ folder, missionId, featureKey, handoff: n.handoff, how: "created" }), folder);
  }

  async function importHandoff(input: { agentId: string; missionId?: string; uki: string }) {
    const place = await placeOf(input);
    const decoded = decodeUki(input.uki);
    if (!decoded.ok) throw new AppError("BAD_INPUT", decoded.error, { field: "uki" });
    return persisted(await store_({ ...place, handoff: decoded.handoff, how: "imported from a UKI string" }), place.folder);
  }

  async function list(input: { agentId?: string; missionId?: string; status?: string }): Promise<HandoffView[]> {
    if (input.agentId && input.missionId) await missionFolder(input.missionId, input.agentId);
    const folder = input.agentId ? await folderOf({ agentId: input.agentId }) : undefined;
    const rows = await db.missionHandoff.findMany({
      where: {
        ...(folder ? { folder } : {}),
        ...(input.missionId ? { missionId: input.missionId } : {}),
        ...(input.status ? { status: input.status } : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 500,
    });
    return rows.map(viewOf);
  }

  async function get(id: string): Promise<HandoffView> {
    const row = await db.missionHandoff.findUnique({ where: { id } });
    if (!row) throw new AppError("NOT_FOUND", "That handoff no longer exists.");
    return viewOf(row);
  }

  /** A status change checked in its transaction; a mission's handoff is logged on the mission. */
  async function move(
    id: string,
    decide: (row: MissionHandoff) => { status: HandoffStatus; claimedBy?: string; line: string } | null,
  ): Promise<HandoffView> {
    const row = await db.missionHandoff.findUnique({ where: { id } });
    if (!row) throw new AppError("NOT_FOUND", "That handoff no longer exists.");
    const apply = async (tx: Pick<MissionTx, "missionHandoff">) => {
      const now = await tx.missionHandoff.findUniqueOrThrow({ where: { id } });
      const next = decide(now);
      if (!next) return { row: now, line: null };
      const stamp = ctx.now();
      const updated = await tx.missionHandoff.update({
        where: { id },
        data: {
          status: next.status,
          ...(next.claimedBy !== undefined ? { claimedBy: next.claimedBy } : {}),
          ...(next.status === "picked-up" && !now.pickedUpAt ? { pickedUpAt: stamp } : {}),
          ...(next.status === "completed" ? { completedAt: stamp, pickedUpAt: now.pickedUpAt ?? stamp } : {}),
        },
      });
      return { row: updated, line: next.line };
    };
    const missionId = row.missionId;
    if (!missionId) {
      const r = await db.$transaction((tx) => apply(tx));
      store.changed("");
      return persisted(viewOf(r.row), r.row.folder);
    }
    let out: MissionHandoff = row;
    const log: { type: string; text: string; featureKey: string | null }[] = [];
    await store.commit(
      missionId,
      async (tx) => {
        const r = await apply(tx);
        out = r.row;
        if (r.line) log.push({ type: "handoff", text: r.line, featureKey: r.row.featureKey });
      },
      log,
    );
    return viewOf(out);
  }

  const finished = (id: string) => new AppError("CONFLICT", `Handoff ${id} is completed: make a new one to hand the work on.`);

  /** pending → picked-up (picking up one already picked up just reads it). */
  function pickup(id: string) {
    return move(id, (row) => {
      if (row.status === "completed") throw finished(id);
      return row.status === "pending" ? { status: "picked-up", line: `Handoff ${id} picked up.` } : null;
    });
  }

  function claim(input: { handoffId: string; agent: string }) {
    return move(input.handoffId, (row) => {
      if (row.status === "completed") throw finished(input.handoffId);
      return { status: "picked-up", claimedBy: input.agent, line: `Handoff ${input.handoffId} claimed by ${input.agent}.` };
    });
  }

  function complete(id: string) {
    return move(id, (row) => {
      if (row.status === "completed") throw new AppError("CONFLICT", `Handoff ${id} is already completed.`);
      return { status: "completed", line: `Handoff ${id} completed.` };
    });
  }

  /** The executor's: a mission's handoffs for these features, newest first per feature. */
  async function handoffsOf(missionId: string, featureKeys: string[]): Promise<HandoffView[]> {
    if (featureKeys.length === 0) return [];
    const rows = await db.missionHandoff.findMany({
      where: { missionId, featureKey: { in: featureKeys } },
      orderBy: [{ featureKey: "asc" }, { createdAt: "desc" }, { id: "desc" }],
    });
    return rows.map(viewOf);
  }

  /** The executor's: a worker's handoff (made from its reply when it made none). */
  async function createForFeature(input: { missionId: string; featureKey: string; fields: HandoffFields }) {
    return createHandoff({ missionId: input.missionId, featureKey: input.featureKey, fields: input.fields });
  }

  return {
    folderOf,
    list,
    get,
    create: createHandoff,
    importUki: importHandoff,
    pickup,
    claim,
    complete,
    handoffsOf,
    createForFeature,
    /** Import: a handoff read from disk, under its own id when free. */
    storeImported: store_,
  };
}
