import type { Db, Prisma } from "../../db";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import type { TurnsService } from "../turns/service";

export const tabSelect = {
  id: true,
  agentId: true,
  name: true,
  providerSessionId: true,
  starred: true,
  sortOrder: true,
  /** This tab's override of the agent's permission mode (null: the agent's). */
  permissionMode: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.TabSelect;

/** Tabs: several conversations per agent, each with its own provider session. */
export function createTabsService(db: Db, bus: Bus, turns: Pick<TurnsService, "stop" | "settled">) {
  async function mustExist(id: string) {
    const tab = await db.tab.findUnique({ where: { id }, select: tabSelect });
    if (!tab) throw new AppError("NOT_FOUND", "That tab no longer exists.");
    return tab;
  }
  const changed = (agentId: string) => bus.publish("tabs.changed", { agentId });

  async function create(agentId: string, name?: string, providerSessionId?: string | null) {
    if (!(await db.agent.findUnique({ where: { id: agentId }, select: { id: true } }))) {
      throw new AppError("NOT_FOUND", "That agent no longer exists.");
    }
    const count = await db.tab.count({ where: { agentId } });
    const last = await db.tab.aggregate({ where: { agentId }, _max: { sortOrder: true } });
    const tab = await db.tab.create({
      data: {
        agentId,
        name: name || `Tab ${count + 1}`,
        providerSessionId: providerSessionId ?? null,
        sortOrder: (last._max.sortOrder ?? -1) + 1,
      },
      select: tabSelect,
    });
    changed(agentId);
    return tab;
  }

  return {
    byId: mustExist,
    list(agentId: string) {
      return db.tab.findMany({ where: { agentId }, select: tabSelect, orderBy: [{ sortOrder: "asc" }, { createdAt: "asc" }] });
    },
    create,
    async rename(id: string, name: string) {
      const tab = await db.tab.update({ where: { id }, data: { name }, select: tabSelect });
      changed(tab.agentId);
      return tab;
    },
    async star(id: string, starred: boolean) {
      const tab = await db.tab.update({ where: { id }, data: { starred }, select: tabSelect });
      changed(tab.agentId);
      return tab;
    },
    /** Puts the agent's tabs in the given order (ids not listed keep their relative order after). */
    async reorder(agentId: string, ids: string[]) {
      const tabs = await db.tab.findMany({
        where: { agentId },
        select: { id: true },
        orderBy: [{ sortOrder: "asc" }, { createdAt: "asc" }],
      });
      const known = new Set(tabs.map((t) => t.id));
      const order = [...ids.filter((id) => known.has(id)), ...tabs.map((t) => t.id).filter((id) => !ids.includes(id))];
      await db.$transaction(order.map((id, sortOrder) => db.tab.update({ where: { id }, data: { sortOrder } })));
      changed(agentId);
    },
    /**
     * Closing a tab deletes its conversation record; the provider's own session files stay. A
     * running turn is stopped first so no process outlives its tab.
     */
    async close(id: string) {
      if (await turns.stop(id)) await turns.settled(id);
      const tab = await db.tab.delete({ where: { id }, select: { agentId: true } });
      changed(tab.agentId);
    },
    /** A provider session opened in a tab (the next prompt there resumes it): its tab if it has one, else a new one. */
    async openSession(agentId: string, providerSessionId: string) {
      const existing = await db.tab.findFirst({
        where: { agentId, providerSessionId },
        select: tabSelect,
        orderBy: [{ sortOrder: "asc" }, { createdAt: "asc" }],
      });
      return existing ?? create(agentId, undefined, providerSessionId);
    },
  };
}

export type TabsService = ReturnType<typeof createTabsService>;
