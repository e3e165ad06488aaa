import type { Db, Prisma } from "../../db";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";

export const groupSelect = {
  id: true,
  name: true,
  sortOrder: true,
  collapsed: true,
} satisfies Prisma.GroupSelect;

export function createGroupsService(db: Db, bus: Bus) {
  async function mustExist(id: string) {
    const group = await db.group.findUnique({ where: { id }, select: groupSelect });
    if (!group) throw new AppError("NOT_FOUND", "That group no longer exists.");
    return group;
  }
  return {
    list() {
      return db.group.findMany({ select: groupSelect, orderBy: [{ sortOrder: "asc" }, { createdAt: "asc" }] });
    },
    async create(name: string) {
      const last = await db.group.aggregate({ _max: { sortOrder: true } });
      return db.group.create({ data: { name, sortOrder: (last._max.sortOrder ?? -1) + 1 }, select: groupSelect });
    },
    async rename(id: string, name: string) {
      await mustExist(id);
      return db.group.update({ where: { id }, data: { name }, select: groupSelect });
    },
    async setCollapsed(id: string, collapsed: boolean) {
      await mustExist(id);
      return db.group.update({ where: { id }, data: { collapsed }, select: groupSelect });
    },
    /** Deleting a group keeps its agents: they move to "ungrouped" (onDelete: SetNull). */
    async remove(id: string) {
      await mustExist(id);
      await db.group.delete({ where: { id } });
      bus.publish("agents.changed", { agentId: null });
    },
  };
}

export type GroupsService = ReturnType<typeof createGroupsService>;
