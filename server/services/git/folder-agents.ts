import path from "node:path";
import type { Db } from "../../db";
import { ACTIVE_STATUSES } from "../autorun/run-queries";
import type { TurnsService } from "../turns/service";

/** Whether `folder` is `root` or inside it (both already resolved paths). */
export function isWithin(root: string, folder: string): boolean {
  const rel = path.relative(root, folder);
  return rel === "" || (!path.isAbsolute(rel) && rel.split(path.sep)[0] !== "..");
}

/** The agents working in `root` or in a folder inside it, oldest first. */
export async function agentsWithin(db: Db, root: string): Promise<{ id: string; name: string; folder: string }[]> {
  const all = await db.agent.findMany({ select: { id: true, name: true, folder: true }, orderBy: { createdAt: "asc" } });
  return all.filter((a) => isWithin(root, a.folder));
}

/**
 * Why a work tree is in use: an agent working in it (or inside it) with a turn running or an
 * Auto Run going (paused counts: it resumes there). Null when none is.
 */
export function createBusyCheck({ db, turns }: { db: Db; turns: Pick<TurnsService, "isBusy"> }) {
  return async function busyIn(root: string): Promise<string | null> {
    for (const a of await agentsWithin(db, root)) {
      const tabs = await db.tab.findMany({ where: { agentId: a.id }, select: { id: true } });
      if (tabs.some((t) => turns.isBusy(t.id))) return `${a.name} has a turn running there`;
      const run = await db.autorunRun.findFirst({ where: { agentId: a.id, status: { in: ACTIVE_STATUSES } }, select: { id: true } });
      if (run) return `${a.name} has an Auto Run going there`;
    }
    return null;
  };
}
