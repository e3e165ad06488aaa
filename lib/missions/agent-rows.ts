/**
 * Which agents a mission made, for the agent lists. A mission's features each get a worktree
 * agent (nested under the pool agent doing it): a 20-feature mission would add 20 rows to the
 * sidebar and the dashboard, so those rows are left out there and reached from Mission Control
 * instead; the mission's own agent (the mission branch's worktree) stays, marked. Pure.
 */

export interface AgentMissionRole {
  missionId: string;
  /** "mission": the worktree agent on the mission branch; "feature": one feature's worktree agent. */
  role: "mission" | "feature";
  /** The mission's title (for the marker's label). */
  title: string;
}

export interface MissionAgentRefs {
  missions: { id: string; title: string; branch: string | null; missionAgentId: string | null }[];
  features: { missionId: string; worktreeAgentId: string | null }[];
}

const FEATURE_BRANCH = /^(mission\/.+)\/f\/[^/]+$/;

/**
 * Each agent's part in a mission, by id: the mission's own agent, a feature's recorded worktree
 * agent, or a worktree on a feature branch of a known mission branch (`mission/<ref>/f/<key>`: a
 * worktree just made, before its feature row names it, already counts).
 */
export function missionRoles(
  agents: readonly { id: string; worktreeBranch?: string | null }[],
  refs: MissionAgentRefs,
): Map<string, AgentMissionRole> {
  const out = new Map<string, AgentMissionRole>();
  const byId = new Map(refs.missions.map((m) => [m.id, m]));
  const byRoot = new Map<string, (typeof refs.missions)[number]>();
  for (const m of refs.missions) if (m.branch?.endsWith("/main")) byRoot.set(m.branch.slice(0, -"/main".length), m);
  for (const m of refs.missions) if (m.missionAgentId) out.set(m.missionAgentId, { missionId: m.id, role: "mission", title: m.title });
  for (const f of refs.features) {
    const m = byId.get(f.missionId);
    if (m && f.worktreeAgentId && !out.has(f.worktreeAgentId))
      out.set(f.worktreeAgentId, { missionId: m.id, role: "feature", title: m.title });
  }
  for (const a of agents) {
    const root = a.worktreeBranch ? FEATURE_BRANCH.exec(a.worktreeBranch)?.[1] : undefined;
    const m = root ? byRoot.get(root) : undefined;
    if (m && !out.has(a.id)) out.set(a.id, { missionId: m.id, role: "feature", title: m.title });
  }
  return out;
}

/** The agents the sidebar and the dashboard list: every one but a mission feature's worktree agent. */
export function listedAgents<T extends { mission?: AgentMissionRole | null }>(agents: readonly T[]): T[] {
  return agents.filter((a) => a.mission?.role !== "feature");
}

/**
 * The agent holding a feature worker's conversation: its worktree agent, or once that worktree
 * was tidied away at the mission's end (its tab moved), the mission's own agent. Null before any.
 */
export function conversationAgentOf(
  view: { missionAgentId: string | null },
  feature: { worktreeAgentId: string | null; tabId: string | null },
): string | null {
  return feature.worktreeAgentId ?? (feature.tabId ? view.missionAgentId : null);
}
