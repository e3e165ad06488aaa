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
  /** Documents without reset: are they all fully ticked, or waiting for a person? (null when there are none) */
  nonResetAllDone: boolean | null;
  /** How many of those wait for a person (their remaining tasks are behind a gate or marked for a human). */
  nonResetWaiting?: number;
}

/** Whether another pass starts, and if not, why the run ends. */
export function nextLoop(s: LoopState): { again: true } | { again: false; reason: string } {
  if (!s.loopEnabled) return { again: false, reason: "All documents done." };
  if (s.maxLoops !== null && s.loop >= s.maxLoops)
    return { again: false, reason: `Reached the maximum of ${s.maxLoops} loop${s.maxLoops === 1 ? "" : "s"}.` };
  if (s.passTasksDone === 0) return { again: false, reason: "A whole pass found no work." };
  if (s.nonResetAllDone === true)
    return {
      again: false,
      reason: s.nonResetWaiting
        ? `Every document without reset is done or waits for a person (${s.nonResetWaiting}).`
        : "Every document without reset is done.",
    };
  return { again: true };
}

/**
 * The review gate in front of a task: the last `<!-- maestro:review -->` marker above the task
 * and below every task already done (a gate sits between the work before it and the work after).
 */
export function gateBefore<G extends { line: number }>(taskLine: number, doneLines: number[], reviews: G[]): G | null {
  let lastDone = -1;
  for (const l of doneLines) if (l < taskLine && l > lastDone) lastDone = l;
  let gate: G | null = null;
  for (const r of reviews) if (r.line < taskLine && r.line > lastDone) gate = r;
  return gate;
}

interface RuleTask {
  line: number;
  done: boolean;
  forHuman: boolean;
  text: string;
}
interface RuleGate {
  line: number;
  reason: string;
  kind: "review" | "hitl";
  artifact: string | null;
}

/**
 * A document waits for a person when it has unchecked tasks and every one of them is marked for a
 * human or sits behind a review gate (a gate with no ticked task between it and the task). Such a
 * document is not worth an agent's turn (desktop issue #290). Linear: one pass in line order.
 */
export function waitsForPerson(c: { tasks: RuleTask[]; reviews: { line: number }[] }): boolean {
  let open = 0;
  let g = 0;
  let gated = false;
  for (const t of c.tasks) {
    while (g < c.reviews.length && c.reviews[g]!.line < t.line) {
      gated = true;
      g++;
    }
    if (t.done) gated = false;
    else if (t.forHuman || gated) open++;
    else return false;
  }
  return open > 0;
}

/** Where a run must stop for a person before an agent may take a task. */
export interface WaitPoint {
  /** The gate's line, or the task's own line when the task is a person's. */
  line: number;
  kind: "review" | "hitl" | "human";
  reason: string;
  artifact: string | null;
}

export type WaitDecision =
  | { action: "run" }
  | { action: "pause"; at: WaitPoint }
  /** The person let a task marked for a human go by without doing it: the document is left. */
  | { action: "leave"; at: WaitPoint }
  /** Asked in an earlier pass and nothing changed: skip it this pass rather than ask again. */
  | { action: "skip"; at: WaitPoint };

/**
 * Before the runner gives `task` (the first unchecked one) to an agent: must a person act first?
 * `passed`: lines the person let through in this pass (Resume at a gate). `askedBefore`: lines the
 * run already paused at in an earlier pass of a document without reset.
 */
export function decideWait(input: {
  task: RuleTask;
  tasks: RuleTask[];
  reviews: RuleGate[];
  passed: number[];
  askedBefore: number[];
}): WaitDecision {
  const { task, passed, askedBefore } = input;
  const doneLines = input.tasks.filter((t) => t.done).map((t) => t.line);
  const gate = gateBefore(task.line, doneLines, input.reviews);
  let at: WaitPoint | null = null;
  if (gate && !passed.includes(gate.line)) at = { line: gate.line, kind: gate.kind, reason: gate.reason, artifact: gate.artifact };
  else if (task.forHuman) {
    const mine: WaitPoint = { line: task.line, kind: "human", reason: task.text, artifact: null };
    if (passed.includes(task.line)) return { action: "leave", at: mine };
    at = mine;
  }
  if (!at) return { action: "run" };
  return askedBefore.includes(at.line) ? { action: "skip", at } : { action: "pause", at };
}

/** The words of a pause for a person. */
export function waitMessage(filename: string, at: WaitPoint): string {
  if (at.kind === "human")
    return `“${at.reason}” in ${filename} is a person's job: do it and tick its box, then Resume. Resume without ticking leaves the document.`;
  const look = at.artifact ? ` Look at ${at.artifact}.` : "";
  return `Review before the next task of ${filename}: ${at.reason || "a human should look first"}.${look}`;
}
