import type { Db, Prisma } from "../../db";
import type { Bus } from "../../events/bus";

export const groupSelect = {
  id: true,
  name: true,
  sortOrder: true,
  collapsed: true,
} satisfies Prisma.GroupSelect;

export function createGroupsService(db: Db, bus: Bus) {
  // Groups are shown with the agents, so other devices refetch on the same signal.
  const changed = () => bus.publish("agents.changed", { agentId: null });
  return {
    list() {
      return db.group.findMany({ select: groupSelect, orderBy: [{ sortOrder: "asc" }, { createdAt: "asc" }] });
    },
    async create(name: string) {
      const last = await db.group.aggregate({ _max: { sortOrder: true } });
      const group = await db.group.create({ data: { name, sortOrder: (last._max.sortOrder ?? -1) + 1 }, select: groupSelect });
      changed();
      return group;
    },
    async rename(id: string, name: string) {
      const group = await db.group.update({ where: { id }, data: { name }, select: groupSelect });
      changed();
      return group;
    },
    async setCollapsed(id: string, collapsed: boolean) {
      const group = await db.group.update({ where: { id }, data: { collapsed }, select: groupSelect });
      changed();
      return group;
    },
    /** Deleting a group keeps its agents: they move to "ungrouped" (onDelete: SetNull). */
    async remove(id: string) {
      await db.group.delete({ where: { id } });
      changed();
    },
  };
}

export type GroupsService = ReturnType<typeof createGroupsService>;
