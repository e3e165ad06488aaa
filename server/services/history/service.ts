import type { Db } from "../../db";
import type { Bus } from "../../events/bus";

export type HistoryKind = "turn" | "autorun-task" | "autorun-loop" | "autorun-run" | "share-use";

export interface HistoryRecord {
  kind: HistoryKind;
  agentId?: string | null;
  agentName?: string;
  tabId?: string | null;
  turnId?: string | null;
  runId?: string | null;
  success?: boolean;
  summary?: string;
  detail?: string;
  durationMs?: number | null;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

/**
 * History: the timeline of everything done. Other services call `record`; the timeline, filters
 * and totals are read from here. Writing history never fails the work it describes.
 */
export function createHistoryService(db: Db, bus: Bus) {
  return {
    async record(entry: HistoryRecord) {
      const row = await db.historyEntry.create({
        data: {
          kind: entry.kind,
          agentId: entry.agentId ?? null,
          agentName: entry.agentName ?? "",
          tabId: entry.tabId ?? null,
          turnId: entry.turnId ?? null,
          runId: entry.runId ?? null,
          success: entry.success ?? true,
          summary: entry.summary ?? "",
          detail: entry.detail ?? "",
          durationMs: entry.durationMs ?? null,
          inputTokens: entry.inputTokens ?? 0,
          outputTokens: entry.outputTokens ?? 0,
          costUsd: entry.costUsd ?? 0,
        },
      });
      bus.publish("history.changed", { agentId: row.agentId });
      return row;
    },
  };
}

export type HistoryService = ReturnType<typeof createHistoryService>;
