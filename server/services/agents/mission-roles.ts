import { missionRoles, type AgentMissionRole } from "../../../lib/missions/agent-rows";
import type { Db } from "../../db";

/**
 * The agents' parts in missions (lib/missions/agent-rows.ts), read in two small queries: the
 * agent lists leave feature worktree agents out and mark the mission's own agent.
 */
export async function agentMissionRoles(
  db: Db,
  agents: readonly { id: string; worktreeBranch: string | null }[],
): Promise<Map<string, AgentMissionRole>> {
  const [missions, features] = await Promise.all([
    db.mission.findMany({ where: { branch: { not: null } }, select: { id: true, title: true, branch: true, missionAgentId: true } }),
    db.missionFeature.findMany({ where: { worktreeAgentId: { not: null } }, select: { missionId: true, worktreeAgentId: true } }),
  ]);
  return missionRoles(agents, { missions, features });
}
