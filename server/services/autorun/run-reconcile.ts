import { parseChecklist, type Checklist } from "../../../lib/autorun/checklist";
import { madeProgress } from "../../../lib/autorun/run-rules";
import { firstParagraph } from "../../../lib/history/summary";
import { readDocument } from "./files";
import { replyOf } from "./reply";
import { configOf, states, type RunAgent, type RunRow } from "./run-state";
import type { StepContext } from "./run-step";

/** After a restart: what the attempts the bridge cut off did, read from their documents. */
export function createReconcile(ctx: Pick<StepContext, "db" | "update" | "commitTask" | "history">) {
  const { db, update, commitTask, history } = ctx;
  /** An attempt cut off by a bridge restart: the file says whether its task got done. */
  async function reconcile(run: RunRow, agent: RunAgent): Promise<RunRow> {
    const cut = await db.autorunAttempt.findMany({ where: { runId: run.id, status: "interrupted" }, orderBy: { startedAt: "asc" } });
    for (const a of cut) {
      let now: Checklist | null = null;
      try {
        now = parseChecklist(await readDocument(a.docPath, a.docPath));
      } catch {
        now = null;
      }
      const progress = now !== null && madeProgress({ done: a.doneBefore, total: a.totalBefore }, now);
      if (now && a.loop === run.loop) {
        const docState = states(run, configOf(run).documents.length);
        const state = docState[a.docIndex];
        if (state) state.seen = { done: now.done, total: now.total };
        run = await update(run, { docStateJson: JSON.stringify(docState) });
      }
      const delta = progress && now ? Math.max(0, now.done - a.doneBefore) : 0;
      const reply = a.turnId ? await replyOf(db, a.turnId) : { text: "" };
      const summary = progress ? firstParagraph(reply.text, 500) || `Finished “${a.taskText}” while the bridge was down.` : "";
      await db.autorunAttempt.update({ where: { id: a.id }, data: { status: progress ? "done" : "failed", summary, endedAt: new Date() } });
      if (progress) {
        const problem = run.worktreeBranch ? await commitTask(agent, a.taskText) : null;
        // A paused run whose commit failed: its Resume tries the commit again first.
        const commitPause = problem && run.status === "paused" ? { pauseKind: "commit", pauseReason: problem } : {};
        run = await update(run, { tasksDone: { increment: delta }, loopTasksDone: { increment: delta }, ...commitPause });
        await history.record({
          kind: "autorun-task",
          agentId: agent.id,
          agentName: agent.name,
          tabId: run.tabId,
          turnId: a.turnId,
          runId: run.id,
          success: true,
          summary,
          detail: a.taskText,
          durationMs: null,
        });
      }
    }
    return run;
  }

  return reconcile;
}
