import type { LogInput, MissionTx } from "./types";
import { stringList } from "./views";

// Which pending and blocked features a failure stands behind: worked out again after every
// person's change of a feature (lifecycle.ts).

interface Node {
  key: string;
  status: string;
  dependsOn: string[];
}

/** Every feature `key` depends on, directly or through others. */
export function ancestors(nodes: Node[], key: string): Set<string> {
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const out = new Set<string>();
  const queue = [...(byKey.get(key)?.dependsOn ?? [])];
  while (queue.length) {
    const k = queue.shift()!;
    if (out.has(k)) continue;
    out.add(k);
    queue.push(...(byKey.get(k)?.dependsOn ?? []));
  }
  return out;
}

/**
 * The blocked features no failure stands behind any more (pending again), and the pending ones a
 * failure now stands behind (blocked). Only pending and blocked features move.
 */
export function reblock(nodes: Node[]): { unblock: string[]; block: string[] } {
  const failed = new Set(nodes.filter((n) => n.status === "failed").map((n) => n.key));
  const unblock: string[] = [];
  const block: string[] = [];
  for (const n of nodes) {
    if (n.status !== "blocked" && n.status !== "pending") continue;
    const behindFailure = [...ancestors(nodes, n.key)].some((k) => failed.has(k));
    if (n.status === "blocked" && !behindFailure) unblock.push(n.key);
    if (n.status === "pending" && behindFailure) block.push(n.key);
  }
  return { unblock, block };
}

export async function nodesOf(tx: MissionTx, missionId: string): Promise<Node[]> {
  const rows = await tx.missionFeature.findMany({ where: { missionId }, select: { key: true, status: true, dependsOnJson: true } });
  return rows.map((r) => ({ key: r.key, status: r.status, dependsOn: stringList(r.dependsOnJson) }));
}

/** Sets each feature's status in `nodes` (as decided) and applies `reblock` to the rest, in the same transaction. */
export async function applyReblock(tx: MissionTx, missionId: string, nodes: Node[], log: LogInput[]) {
  const { unblock, block } = reblock(nodes);
  if (unblock.length)
    await tx.missionFeature.updateMany({ where: { missionId, key: { in: unblock } }, data: { status: "pending", statusDetail: "" } });
  if (block.length)
    await tx.missionFeature.updateMany({
      where: { missionId, key: { in: block } },
      data: { status: "blocked", statusDetail: "A feature it depends on failed." },
    });
  if (unblock.length) log.push({ type: "features-unblocked", text: `Unblocked: ${unblock.join(", ")}.` });
  if (block.length) log.push({ type: "features-blocked", text: `Blocked by a failure: ${block.join(", ")}.` });
}
