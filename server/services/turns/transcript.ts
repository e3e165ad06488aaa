import type { Db, Prisma } from "../../db";
import { toStored, type StoredEvent } from "./event-writer";
import type { TabOverview } from "../../db/fast";

const TURN_SELECT = {
  id: true,
  tabId: true,
  agentId: true,
  prompt: true,
  status: true,
  errorKind: true,
  errorMessage: true,
  inputTokens: true,
  outputTokens: true,
  costUsd: true,
  startedAt: true,
  endedAt: true,
  durationMs: true,
} as const satisfies Prisma.TurnSelect;

/** A page of a stream's backlog: big enough to be cheap, small enough to start showing soon. */
export const BACKLOG_PAGE = 500;

/** The reads behind opening a tab and streaming it, as the fast path (prepared statements) answers them. */
export interface TranscriptReads {
  eventsAfter(tabId: string, afterId: number, limit: number): StoredEvent[];
  tailStart(tabId: string, tail: number): number;
  overview(tabId: string): TabOverview;
}

/** Reading a tab's stored conversation: its turns and their events, forwards and back. */
export function createTranscript(db: Db, reads: TranscriptReads) {
  return {
    listTurns(tabId: string) {
      return db.turn.findMany({ where: { tabId }, orderBy: { startedAt: "asc" }, select: TURN_SELECT });
    },

    /** Stored events of a tab after an id, in order (the backlog a reconnecting client missed). */
    eventsAfter(tabId: string, afterId: number, limit = 2000): Promise<StoredEvent[]> {
      return Promise.resolve(reads.eventsAfter(tabId, afterId, limit));
    },

    /** Every stored event of a tab after an id, a page at a time (a stream's backlog). */
    *pagesAfter(tabId: string, afterId: number, pageSize = BACKLOG_PAGE): Generator<StoredEvent[]> {
      let last = afterId;
      for (;;) {
        const page = reads.eventsAfter(tabId, last, pageSize);
        if (page.length > 0) {
          last = page[page.length - 1]!.id;
          yield page;
        }
        if (page.length < pageSize) return;
      }
    },

    /** How many turns a tab has, their tokens and cost, its newest, and whether one is running (what opening it needs). */
    overview(tabId: string): TabOverview {
      return reads.overview(tabId);
    },

    /**
     * Where a client that wants only the recent part of a long transcript starts: the id before
     * the first event of the turn that holds the `tail`-th newest event (whole turns only).
     */
    tailStart(tabId: string, tail: number): Promise<number> {
      return Promise.resolve(reads.tailStart(tabId, tail));
    },

    /** A tab's newest events (about `tail`, widened to whole turns): what a cold tab opens with. */
    tail(tabId: string, tail: number): StoredEvent[] {
      return reads.eventsAfter(tabId, reads.tailStart(tabId, tail), tail + BACKLOG_PAGE);
    },

    /** About `limit` events before an id, widened to whole turns, in order (scrolling back). */
    async eventsBefore(tabId: string, beforeId: number, limit: number): Promise<StoredEvent[]> {
      const older = await db.event.findMany({
        where: { id: { lt: beforeId }, turn: { tabId } },
        orderBy: { id: "desc" },
        take: limit,
        select: { id: true, turnId: true },
      });
      if (older.length === 0) return [];
      const first = await db.event.findFirst({
        where: { turnId: older[older.length - 1]!.turnId },
        orderBy: { id: "asc" },
        select: { id: true },
      });
      const rows = await db.event.findMany({ where: { id: { gte: first!.id, lt: beforeId }, turn: { tabId } }, orderBy: { id: "asc" } });
      return rows.map(toStored);
    },
  };
}
