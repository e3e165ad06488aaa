import type { AgentStatus } from "@/lib/schemas/agents";
import type { Agent, Group } from "../ui/trpc-types";

const KNOWN: readonly string[] = ["idle", "busy", "error", "waiting"];

export function normalizeStatus(status: string): AgentStatus {
  return (KNOWN.includes(status) ? status : "idle") as AgentStatus;
}

// What needs the user first, then what is running; idle agents keep their own order.
const STATUS_RANK: Record<AgentStatus, number> = { waiting: 0, busy: 1, error: 2, idle: 3 };

/** Bookmarked first, then waiting/busy/error float up, then the user's order. Pure. */
export function sortAgents<T extends Pick<Agent, "bookmarked" | "status" | "sortOrder" | "createdAt">>(agents: readonly T[]): T[] {
  return [...agents].sort(
    (a, b) =>
      Number(b.bookmarked) - Number(a.bookmarked) ||
      STATUS_RANK[normalizeStatus(a.status)] - STATUS_RANK[normalizeStatus(b.status)] ||
      a.sortOrder - b.sortOrder ||
      new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime(),
  );
}

export interface AgentSection {
  /** Group id, or "ungrouped". */
  key: string;
  group: Group | null;
  name: string;
  agents: Agent[];
}

/**
 * Sections in group order with "Ungrouped" last. Empty groups are kept (so a new group shows
 * up); the Ungrouped section only appears when it has agents.
 */
export function groupAgents(agents: readonly Agent[], groups: readonly Group[]): AgentSection[] {
  const known = new Set(groups.map((g) => g.id));
  const sections: AgentSection[] = groups.map((g) => ({
    key: g.id,
    group: g,
    name: g.name,
    agents: sortAgents(agents.filter((a) => a.groupId === g.id)),
  }));
  const loose = sortAgents(agents.filter((a) => !a.groupId || !known.has(a.groupId)));
  if (loose.length > 0 || groups.length === 0) sections.push({ key: "ungrouped", group: null, name: "Ungrouped", agents: loose });
  return sections;
}
