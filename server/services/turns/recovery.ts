import type { Db } from "../../db";

const INTERRUPTED = "The bridge stopped during this turn.";

/** Turns left "running" by a bridge that died: mark them interrupted, free their agents. */
export async function recoverInterrupted(db: Db): Promise<number> {
  const stale = await db.turn.findMany({ where: { status: "running" }, select: { id: true } });
  for (const t of stale) {
    await db.$transaction([
      db.event.create({
        data: {
          turnId: t.id,
          type: "turn_end",
          payload: JSON.stringify({ status: "error", durationMs: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, error: INTERRUPTED }),
        },
      }),
      db.turn.update({
        where: { id: t.id },
        data: { status: "error", errorKind: "crash", errorMessage: INTERRUPTED, endedAt: new Date() },
      }),
    ]);
  }
  await db.agent.updateMany({ where: { status: "busy" }, data: { status: "idle" } });
  return stale.length;
}
