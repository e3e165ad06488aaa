import type { Db } from "../../db";

const INTERRUPTED = "The bridge stopped during this turn.";
const INTERRUPTED_WAITING = "Interrupted while waiting for approval.";

/**
 * Turns left "running" by a bridge that died: mark them interrupted, free their agents. A turn
 * that was waiting for an approval says so, and its requests end as expired (nobody can answer
 * them: the CLI that asked is gone).
 */
export async function recoverInterrupted(db: Db): Promise<number> {
  const stale = await db.turn.findMany({ where: { status: "running" }, select: { id: true } });
  const pending = await db.approval.findMany({
    where: { status: "pending" },
    select: { id: true, turnId: true },
    orderBy: { createdAt: "asc" },
  });
  for (const t of stale) {
    const cards = pending.filter((a) => a.turnId === t.id);
    const error = cards.length ? INTERRUPTED_WAITING : INTERRUPTED;
    await db.$transaction([
      // Each card that waited ends in the stream too, before the turn's end.
      ...cards.map((a) =>
        db.event.create({
          data: {
            turnId: t.id,
            type: "approval_decision",
            payload: JSON.stringify({ approvalId: a.id, status: "expired", by: "Maestro", message: INTERRUPTED_WAITING }),
          },
        }),
      ),
      db.event.create({
        data: {
          turnId: t.id,
          type: "turn_end",
          payload: JSON.stringify({ status: "error", durationMs: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, error }),
        },
      }),
      db.turn.update({
        where: { id: t.id },
        data: { status: "error", errorKind: "crash", errorMessage: error, endedAt: new Date() },
      }),
    ]);
  }
  await db.approval.updateMany({
    where: { status: "pending" },
    data: { status: "expired", decidedByKind: "system", decidedByLabel: "Maestro", message: INTERRUPTED_WAITING, decidedAt: new Date() },
  });
  await db.agent.updateMany({ where: { status: { in: ["busy", "waiting"] } }, data: { status: "idle" } });
  return stale.length;
}
