/** The runner's decisions, as pure functions of counts (tested in a table). */

/** After this many task runs in a row without progress a document is stalled. */
export const STALL_AFTER = 3;

/** Progress: more boxes ticked, or tasks added or removed (the agent reshaped the list). */
export function madeProgress(before: { done: number; total: number }, after: { done: number; total: number }): boolean {
  return after.done > before.done || after.total !== before.total;
}

export interface LoopState {
  loopEnabled: boolean;
  maxLoops: number | null;
  loop: number;
  /** Tasks completed in the pass that just ended. */
  passTasksDone: number;
  /** Documents without reset: are they all fully ticked? (null when there are none) */
  nonResetAllDone: boolean | null;
}

/** Whether another pass starts, and if not, why the run ends. */
export function nextLoop(s: LoopState): { again: true } | { again: false; reason: string } {
  if (!s.loopEnabled) return { again: false, reason: "All documents done." };
  if (s.maxLoops !== null && s.loop >= s.maxLoops)
    return { again: false, reason: `Reached the maximum of ${s.maxLoops} loop${s.maxLoops === 1 ? "" : "s"}.` };
  if (s.passTasksDone === 0) return { again: false, reason: "A whole pass found no work." };
  if (s.nonResetAllDone === true) return { again: false, reason: "Every document without reset is done." };
  return { again: true };
}

/**
 * The review gate in front of a task: the last `<!-- maestro:review -->` marker above the task
 * and below every task already done (a gate sits between the work before it and the work after).
 */
export function gateBefore(
  taskLine: number,
  doneLines: number[],
  reviews: { line: number; reason: string }[],
): { line: number; reason: string } | null {
  const lastDone = Math.max(-1, ...doneLines.filter((l) => l < taskLine));
  const gates = reviews.filter((r) => r.line < taskLine && r.line > lastDone);
  return gates[gates.length - 1] ?? null;
}
