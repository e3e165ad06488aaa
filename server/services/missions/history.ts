import type { MissionLogEntry } from "../../../lib/missions/types";
import type { Db } from "../../db";
import type { Bus } from "../../events/bus";
import type { Logger } from "../../logger";
import type { HistoryRecord } from "../history/service";

/** The mission log lines that are History entries, and how each reads there. */
function kindOf(e: MissionLogEntry): { kind: "mission" | "mission-feature"; success: boolean } | null {
  switch (e.type) {
    case "mission-completed":
      return { kind: "mission", success: true };
    case "mission-start-failed":
      return { kind: "mission", success: false };
    // A mission that stops on a failure (its policy "stop", or nothing else can run) is the
    // mission failing, as far as a person reading History is concerned; other pauses are not.
    case "mission-paused":
      return /\bfailed\b/i.test(e.text) ? { kind: "mission", success: false } : null;
    case "feature-done":
      return { kind: "mission-feature", success: true };
    case "feature-failed":
      return { kind: "mission-feature", success: false };
    default:
      return null;
  }
}

/**
 * History entries for missions, as Auto Run writes its runs' and tasks': a mission done or
 * failed (its totals, on the project agent), a feature done or failed (its worker's tab and
 * turn, numbers). Written from the mission's log once committed (`missions.events`), so every
 * way a mission moves is covered; `runId` holds the mission's id (Mission Control's link).
 */
export function recordMissionHistory(deps: {
  db: Db;
  bus: Bus;
  logger: Logger;
  history: { record(entry: HistoryRecord): Promise<unknown> };
}): () => void {
  const { db, bus, logger, history } = deps;
  async function record(missionId: string, e: MissionLogEntry) {
    const how = kindOf(e);
    if (!how) return;
    const m = await db.mission.findUnique({
      where: { id: missionId },
      select: { title: true, agentId: true, agent: { select: { name: true } } },
    });
    if (!m) return;
    if (how.kind === "mission") {
      const sum = await db.missionFeature.aggregate({
        where: { missionId },
        _sum: { inputTokens: true, outputTokens: true, costUsd: true, durationMs: true },
      });
      await history.record({
        kind: "mission",
        agentId: m.agentId,
        agentName: m.agent.name,
        runId: missionId,
        success: how.success,
        summary: `${m.title}: ${e.text}`.slice(0, 500),
        detail: e.text,
        durationMs: sum._sum.durationMs ?? null,
        inputTokens: sum._sum.inputTokens ?? 0,
        outputTokens: sum._sum.outputTokens ?? 0,
        costUsd: sum._sum.costUsd ?? 0,
      });
      return;
    }
    const f = e.featureKey ? await db.missionFeature.findUnique({ where: { missionId_key: { missionId, key: e.featureKey } } }) : null;
    if (!f) return;
    // The worker's conversation: its worktree agent's tab (moved to the mission's agent when tidied).
    const at = f.worktreeAgentId ? await db.agent.findUnique({ where: { id: f.worktreeAgentId }, select: { id: true, name: true } }) : null;
    await history.record({
      kind: "mission-feature",
      agentId: at?.id ?? m.agentId,
      agentName: at?.name ?? m.agent.name,
      tabId: at ? f.tabId : null,
      turnId: at ? f.turnId : null,
      runId: missionId,
      success: how.success,
      summary: e.text.slice(0, 500),
      detail: `Mission: ${m.title}\n${f.statusDetail || e.text}`,
      durationMs: f.durationMs || null,
      inputTokens: f.inputTokens,
      outputTokens: f.outputTokens,
      costUsd: f.costUsd,
    });
  }
  return bus.subscribe("missions.events", ({ missionId, entries }) => {
    for (const e of entries)
      void record(missionId, e).catch((err: unknown) =>
        logger.error(`missions: History entry for ${missionId}: ${err instanceof Error ? err.message : String(err)}`),
      );
  });
}
