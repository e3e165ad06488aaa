import type { ProviderId } from "../../../lib/providers/catalog";
import type { CreateAgentInput } from "../../../lib/schemas/agents";
import { createAgentInput } from "../../../lib/schemas/agents";
import { agentSettingsSchema, parseAgentSettings, type AgentSettings } from "../../../lib/schemas/agent-settings";
import type { Db, Prisma } from "../../db";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import { resolveProjectFolder } from "./folder";
import { agentMissionRoles } from "./mission-roles";
import type { AgentMissionRole } from "../../../lib/missions/agent-rows";

/** What clients see of an agent: an explicit select, so a new column never leaks by accident. */
export const agentSelect = {
  id: true,
  name: true,
  folder: true,
  provider: true,
  groupId: true,
  bookmarked: true,
  status: true,
  statusDetail: true,
  lastActivity: true,
  sortOrder: true,
  createdAt: true,
  updatedAt: true,
  parentId: true,
  worktreeBranch: true,
  worktreeBaseBranch: true,
} satisfies Prisma.AgentSelect;

export function createAgentsService(db: Db, bus: Bus) {
  async function mustExist(id: string) {
    const agent = await db.agent.findUnique({ where: { id }, select: agentSelect });
    if (!agent) throw new AppError("NOT_FOUND", "That agent no longer exists.");
    return agent;
  }
  async function groupMustExist(groupId: string) {
    if (!(await db.group.findUnique({ where: { id: groupId }, select: { id: true } }))) {
      throw new AppError("NOT_FOUND", "That group no longer exists.", { field: "groupId" });
    }
  }
  const changed = (agentId: string | null) => bus.publish("agents.changed", { agentId });

  return {
    /** Every agent, each with its part in a mission (`mission`: null, the mission's own agent, or a feature's worktree agent). */
    async list() {
      const rows = await db.agent.findMany({ select: agentSelect, orderBy: [{ sortOrder: "asc" }, { createdAt: "asc" }] });
      const roles = await agentMissionRoles(db, rows);
      // Optional in the type: an agent read elsewhere (byId, a create) carries no mission part.
      return rows.map((a): typeof a & { mission?: AgentMissionRole | null } => ({ ...a, mission: roles.get(a.id) ?? null }));
    },

    byId: mustExist,

    async create(raw: CreateAgentInput) {
      const input = createAgentInput.parse(raw);
      const folder = await resolveProjectFolder(input.folder);
      if (input.groupId) await groupMustExist(input.groupId);
      const last = await db.agent.aggregate({ _max: { sortOrder: true } });
      // One nested write (agent + its tab), not an interactive transaction held across awaits: the
      // bridge's prepared-statement writers share the database file and must never wait on it.
      const agent = await db.agent.create({
        data: {
          name: input.name,
          folder,
          provider: input.provider,
          groupId: input.groupId ?? null,
          sortOrder: (last._max.sortOrder ?? -1) + 1,
          // A new agent on claude (which can ask headless) asks before it writes or runs commands;
          // agents made before approvals have no mode and keep running as they did.
          ...(input.provider === "claude" ? { settingsJson: JSON.stringify({ permissionMode: "ask" }) } : {}),
          // Every agent starts with one tab, so there is always somewhere to type.
          tabs: { create: { name: "Main" } },
        },
        select: agentSelect,
      });
      changed(agent.id);
      return agent;
    },

    async rename(id: string, name: string) {
      const agent = await db.agent.update({ where: { id }, data: { name }, select: agentSelect });
      changed(id);
      return agent;
    },

    async setBookmarked(id: string, bookmarked: boolean) {
      const agent = await db.agent.update({ where: { id }, data: { bookmarked }, select: agentSelect });
      changed(id);
      return agent;
    },

    async moveToGroup(id: string, groupId: string | null) {
      if (groupId) await groupMustExist(groupId);
      const agent = await db.agent.update({ where: { id }, data: { groupId }, select: agentSelect });
      changed(id);
      return agent;
    },

    /**
     * Another CLI for the agent. The tabs' provider sessions belong to the old CLI, so they are
     * dropped (each tab's next turn starts a new session); refused while a turn runs.
     */
    async setProvider(id: string, provider: ProviderId) {
      const current = await mustExist(id);
      if (current.provider === provider) return current;
      if (current.status === "busy" || current.status === "waiting")
        throw new AppError("CONFLICT", "The agent is busy: wait for its turn to end, or stop it.");
      const [agent] = await db.$transaction([
        db.agent.update({ where: { id }, data: { provider }, select: agentSelect }),
        db.tab.updateMany({ where: { agentId: id }, data: { providerSessionId: null, providerTotals: null } }),
      ]);
      changed(id);
      return agent;
    },

    async settings(id: string): Promise<AgentSettings> {
      // Other services call this (documents, terminals) and catch our NOT_FOUND by type: the
      // router layer's mapping of Prisma's not-found would come too late for them.
      const row = await db.agent.findUnique({ where: { id }, select: { settingsJson: true } });
      if (!row) throw new AppError("NOT_FOUND", "That agent no longer exists.");
      return parseAgentSettings(row.settingsJson);
    },

    async updateSettings(id: string, settings: AgentSettings): Promise<AgentSettings> {
      const clean = agentSettingsSchema.parse(settings);
      await db.agent.update({ where: { id }, data: { settingsJson: JSON.stringify(clean) } });
      changed(id);
      return clean;
    },
  };
}

export type AgentsService = ReturnType<typeof createAgentsService>;
