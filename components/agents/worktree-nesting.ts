/**
 * Puts worktree agents right after their parent (depth first), keeping the given order among
 * siblings; an agent whose parent is not in the list stays where it is, at depth 0. Pure.
 */
export function nestAgents<T extends { id: string; parentId?: string | null }>(agents: readonly T[]): { agent: T; depth: number }[] {
  const ids = new Set(agents.map((a) => a.id));
  const children = new Map<string, T[]>();
  for (const a of agents) {
    if (a.parentId && a.parentId !== a.id && ids.has(a.parentId)) {
      const list = children.get(a.parentId) ?? [];
      list.push(a);
      children.set(a.parentId, list);
    }
  }
  const out: { agent: T; depth: number }[] = [];
  const seen = new Set<string>();
  const visit = (a: T, depth: number) => {
    if (seen.has(a.id)) return;
    seen.add(a.id);
    out.push({ agent: a, depth });
    for (const c of children.get(a.id) ?? []) visit(c, depth + 1);
  };
  for (const a of agents) if (!a.parentId || !ids.has(a.parentId)) visit(a, 0);
  // A parent cycle (not made by Maestro, but stored data is data): its agents still show, flat.
  for (const a of agents) visit(a, 0);
  return out;
}
