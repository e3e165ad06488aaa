/**
 * The dependency graph of a mission's features (`dependsOn`). Pure; unknown dependency ids are
 * ignored here (lib/missions/plan.ts reports them).
 */

export interface GraphNode {
  id: string;
  dependsOn: readonly string[];
}

function indexOf(features: readonly GraphNode[]): Map<string, GraphNode> {
  return new Map(features.map((f) => [f.id, f]));
}

/**
 * A dependency cycle as the ids along it, the first repeated at the end (`["a", "b", "a"]`), or
 * null. Searched in the features' order, so the same plan always names the same cycle.
 */
export function findCycle(features: readonly GraphNode[]): string[] | null {
  const byId = indexOf(features);
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: finished
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 1);
    path.push(id);
    for (const dep of byId.get(id)?.dependsOn ?? []) {
      if (!byId.has(dep)) continue;
      const s = state.get(dep);
      if (s === 1) return [...path.slice(path.indexOf(dep)), dep];
      if (s === undefined) {
        const found = visit(dep);
        if (found) return found;
      }
    }
    path.pop();
    state.set(id, 2);
    return null;
  };
  for (const f of features) {
    if (state.has(f.id)) continue;
    const found = visit(f.id);
    if (found) return found;
  }
  return null;
}

/**
 * Every feature after its dependencies; among those ready at once, the features' own order.
 * Features on a cycle come last, in their order (check `findCycle` first).
 */
export function topoOrder(features: readonly GraphNode[]): string[] {
  const byId = indexOf(features);
  const done = new Set<string>();
  const out: string[] = [];
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const f of features) {
      if (done.has(f.id)) continue;
      if (f.dependsOn.every((d) => done.has(d) || !byId.has(d))) {
        done.add(f.id);
        out.push(f.id);
        progressed = true;
        break; // restart so earlier features that just became ready keep their place
      }
    }
  }
  for (const f of features) if (!done.has(f.id)) out.push(f.id);
  return out;
}

/** Every feature that depends on `key`, directly or through others, in the features' order. */
export function dependentsOf(features: readonly GraphNode[], key: string): string[] {
  const found = new Set<string>();
  let frontier = [key];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const f of features) {
      if (found.has(f.id) || f.id === key) continue;
      if (f.dependsOn.some((d) => frontier.includes(d))) {
        found.add(f.id);
        next.push(f.id);
      }
    }
    frontier = next;
  }
  return features.filter((f) => found.has(f.id)).map((f) => f.id);
}

/**
 * Levels for drawing: a feature's level is the length of the longest dependency chain below it
 * (no dependencies: level 0). Each level keeps the features' order.
 */
export function layers(features: readonly GraphNode[]): string[][] {
  const byId = indexOf(features);
  const level = new Map<string, number>();
  for (const id of topoOrder(features)) {
    const deps = (byId.get(id)?.dependsOn ?? []).filter((d) => level.has(d));
    level.set(id, deps.length === 0 ? 0 : Math.max(...deps.map((d) => level.get(d)!)) + 1);
  }
  const out: string[][] = [];
  for (const f of features) {
    const l = level.get(f.id) ?? 0;
    while (out.length <= l) out.push([]);
    out[l]!.push(f.id);
  }
  return out;
}

/** The heaviest dependency chain (by `weight` per feature) and its total. */
export function criticalPath(features: readonly GraphNode[], weight: (id: string) => number): { path: string[]; total: number } {
  const byId = indexOf(features);
  const best = new Map<string, { total: number; via: string | null }>();
  for (const id of topoOrder(features)) {
    let via: string | null = null;
    let below = 0;
    for (const d of byId.get(id)?.dependsOn ?? []) {
      const b = best.get(d);
      if (b && b.total > below) {
        below = b.total;
        via = d;
      }
    }
    best.set(id, { total: below + weight(id), via });
  }
  let end: string | null = null;
  let total = 0;
  for (const f of features) {
    const b = best.get(f.id)!;
    if (end === null || b.total > total) {
      end = f.id;
      total = b.total;
    }
  }
  const path: string[] = [];
  for (let id = end; id !== null; id = best.get(id)?.via ?? null) path.unshift(id);
  return { path, total };
}
