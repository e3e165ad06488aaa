import { Prisma } from "../../../generated/prisma/client.ts";
import type { HistoryKind } from "../../../lib/history/kinds";
import { dayKey, daysBetween, decodeCursor, encodeCursor, likeContains } from "../../../lib/history/query";
import { historyListInput, historyStatsInput, type HistoryListInput, type HistoryStatsInput } from "../../../lib/schemas/history";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";

export type { HistoryKind };

export interface HistoryRecord {
  kind: HistoryKind;
  agentId?: string | null;
  agentName?: string;
  tabId?: string | null;
  turnId?: string | null;
  runId?: string | null;
  /** groupchat-* entries: the chat they belong to. */
  groupChatId?: string | null;
  success?: boolean;
  summary?: string;
  detail?: string;
  durationMs?: number | null;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

/** The fields a client sees: everything stored, chosen on purpose. */
export const ENTRY_SELECT = {
  id: true,
  kind: true,
  agentId: true,
  agentName: true,
  tabId: true,
  turnId: true,
  runId: true,
  groupChatId: true,
  success: true,
  summary: true,
  detail: true,
  durationMs: true,
  inputTokens: true,
  outputTokens: true,
  costUsd: true,
  createdAt: true,
} as const satisfies Prisma.HistoryEntrySelect;

export interface HistoryTotals {
  count: number;
  succeeded: number;
  /** succeeded / count, 0…1 (1 when there is nothing). */
  successRate: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

interface TotalsRow {
  n: number | bigint;
  ok: number | bigint | null;
  tin: number | bigint | null;
  tout: number | bigint | null;
  cost: number | null;
}

function totals(row: TotalsRow | undefined): HistoryTotals {
  const count = Number(row?.n ?? 0);
  const succeeded = Number(row?.ok ?? 0);
  return {
    count,
    succeeded,
    successRate: count === 0 ? 1 : succeeded / count,
    inputTokens: Number(row?.tin ?? 0),
    outputTokens: Number(row?.tout ?? 0),
    costUsd: Number(row?.cost ?? 0),
  };
}

const TOTALS_SQL = Prisma.sql`COUNT(*) AS n, SUM(success) AS ok, SUM(inputTokens) AS tin, SUM(outputTokens) AS tout, SUM(costUsd) AS cost`;

/** WHERE conditions shared by list and stats. Dates bind in the same ISO form Prisma stores. */
function conditions(f: { agentId?: string; from?: Date; to?: Date; kinds?: readonly string[]; success?: boolean; text?: string }) {
  const where: Prisma.Sql[] = [];
  if (f.agentId) where.push(Prisma.sql`agentId = ${f.agentId}`);
  if (f.from) where.push(Prisma.sql`createdAt >= ${f.from}`);
  if (f.to) where.push(Prisma.sql`createdAt < ${f.to}`);
  if (f.kinds && f.kinds.length > 0) where.push(Prisma.sql`kind IN (${Prisma.join(f.kinds)})`);
  if (f.success !== undefined) where.push(Prisma.sql`success = ${f.success ? 1 : 0}`);
  if (f.text) {
    const pattern = likeContains(f.text);
    where.push(
      Prisma.sql`(summary LIKE ${pattern} ESCAPE '\\' OR detail LIKE ${pattern} ESCAPE '\\' OR agentName LIKE ${pattern} ESCAPE '\\')`,
    );
  }
  return where;
}

const whereSql = (parts: Prisma.Sql[]) => (parts.length ? Prisma.sql`WHERE ${Prisma.join(parts, " AND ")}` : Prisma.empty);

/** The stored columns of an entry, defaults filled (also for writers that batch it with their own work). */
export function historyRow(entry: HistoryRecord) {
  return {
    kind: entry.kind,
    agentId: entry.agentId ?? null,
    agentName: entry.agentName ?? "",
    tabId: entry.tabId ?? null,
    turnId: entry.turnId ?? null,
    runId: entry.runId ?? null,
    groupChatId: entry.groupChatId ?? null,
    success: entry.success ?? true,
    summary: entry.summary ?? "",
    detail: entry.detail ?? "",
    durationMs: entry.durationMs ?? null,
    inputTokens: entry.inputTokens ?? 0,
    outputTokens: entry.outputTokens ?? 0,
    costUsd: entry.costUsd ?? 0,
  };
}

/**
 * History: the timeline of everything done. Other services call `record`; the timeline, filters
 * and totals are read from here. Writing history never fails the work it describes.
 */
export function createHistoryService(db: Db, bus: Bus) {
  return {
    async record(entry: HistoryRecord) {
      const row = await db.historyEntry.create({ data: historyRow(entry) });
      bus.publish("history.changed", { agentId: row.agentId });
      return row;
    },

    /**
     * One page of the timeline, newest first. The cursor is the last row's (createdAt, id), so
     * rows written while the user scrolls never shift a page or appear twice.
     */
    async list(raw: HistoryListInput) {
      const input = historyListInput.parse(raw);
      const where = conditions(input);
      if (input.cursor) {
        const c = decodeCursor(input.cursor);
        if (!c) throw new AppError("BAD_INPUT", "That page cursor is not valid; reload the timeline.", { field: "cursor" });
        where.push(Prisma.sql`(createdAt < ${c.createdAt} OR (createdAt = ${c.createdAt} AND id < ${c.id}))`);
      }
      const ids = await db.$queryRaw<{ id: string }[]>(
        Prisma.sql`SELECT id FROM HistoryEntry ${whereSql(where)} ORDER BY createdAt DESC, id DESC LIMIT ${input.limit + 1}`,
      );
      const page = ids.slice(0, input.limit).map((r) => r.id);
      const rows = await db.historyEntry.findMany({ where: { id: { in: page } }, select: ENTRY_SELECT });
      const byId = new Map(rows.map((r) => [r.id, r]));
      const items = page.map((id) => byId.get(id)).filter((r) => r !== undefined);
      const last = items[items.length - 1];
      return { items, nextCursor: ids.length > input.limit && last ? encodeCursor(last) : null };
    },

    async get(id: string) {
      const row = await db.historyEntry.findUnique({ where: { id }, select: ENTRY_SELECT });
      if (!row) throw new AppError("NOT_FOUND", "That History entry no longer exists.");
      return row;
    },

    /** Every agent that has History (also deleted ones, by the name they had), for the filter. */
    async agents() {
      const rows = await db.historyEntry.groupBy({
        by: ["agentId", "agentName"],
        where: { agentId: { not: null } },
        _max: { createdAt: true },
      });
      const latest = new Map<string, { agentId: string; agentName: string; at: number }>();
      for (const r of rows) {
        const at = r._max.createdAt?.getTime() ?? 0;
        const seen = latest.get(r.agentId!);
        if (!seen || at > seen.at) latest.set(r.agentId!, { agentId: r.agentId!, agentName: r.agentName, at });
      }
      return [...latest.values()]
        .map(({ agentId, agentName }) => ({ agentId, agentName }))
        .sort((a, b) => a.agentName.localeCompare(b.agentName));
    },

    /** Totals overall and per agent, and a per-day series (local days, no gaps) for the chart. */
    async stats(raw: HistoryStatsInput) {
      const input = historyStatsInput.parse(raw);
      const where = whereSql(conditions(input));
      const shift = `${input.tzOffsetMinutes >= 0 ? "+" : ""}${input.tzOffsetMinutes} minutes`;
      const [overall] = await db.$queryRaw<TotalsRow[]>(Prisma.sql`SELECT ${TOTALS_SQL} FROM HistoryEntry ${where}`);
      const agentRows = await db.$queryRaw<(TotalsRow & { agentId: string | null; agentName: string | null })[]>(
        Prisma.sql`SELECT agentId, MAX(agentName) AS agentName, ${TOTALS_SQL} FROM HistoryEntry ${where} GROUP BY agentId`,
      );
      const dayRows = await db.$queryRaw<(TotalsRow & { day: string })[]>(
        Prisma.sql`SELECT date(createdAt, ${shift}) AS day, ${TOTALS_SQL} FROM HistoryEntry ${where} GROUP BY day ORDER BY day`,
      );
      const perDay = new Map(dayRows.map((r) => [r.day, totals(r)]));
      const today = dayKey(input.to ? new Date(input.to.getTime() - 1) : new Date(), input.tzOffsetMinutes);
      const first = input.from ? dayKey(input.from, input.tzOffsetMinutes) : (dayRows[0]?.day ?? today);
      const allDays = daysBetween(first, today, 100_000);
      const days = allDays.slice(-366).map((day) => ({ day, ...(perDay.get(day) ?? totals(undefined)) }));
      return {
        total: totals(overall),
        agents: agentRows
          .map((r) => ({ agentId: r.agentId, agentName: r.agentName ?? "", ...totals(r) }))
          .sort((a, b) => b.costUsd - a.costUsd || b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens) || b.count - a.count),
        days,
      };
    },
  };
}

export type HistoryService = ReturnType<typeof createHistoryService>;
