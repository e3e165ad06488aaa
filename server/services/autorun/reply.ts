import { createReplyTracker, type Reply } from "../../../lib/providers/reply";
import type { Db } from "../../db";

/**
 * The final assistant message of a turn, from its stored events (a turn cut off by a restart;
 * a live turn's reply comes from the turns service without this read-back).
 */
export async function replyOf(db: Db, turnId: string): Promise<Reply> {
  const rows = await db.event.findMany({
    where: { turnId, type: { in: ["text", "done", "error"] } },
    orderBy: { id: "asc" },
    select: { type: true, payload: true },
  });
  const tracker = createReplyTracker();
  for (const row of rows) {
    try {
      tracker.take({ ...(JSON.parse(row.payload) as Record<string, unknown>), type: row.type });
    } catch {
      continue;
    }
  }
  return tracker.reply();
}
