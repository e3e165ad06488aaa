import path from "node:path";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import { isWithin } from "../files/confine";
import { autorunFolderOf } from "./files";
import { configOf } from "./run-state";

/**
 * Where an Auto Run task of History ran: the run, the task, its summary, and the document the
 * task worked on, relative to the agent's Auto Run folder. For a reset-on-completion document
 * that is the loop's copy under `runs/` (the audit trail), not the original. The attempt the
 * runner stored before the task's turn holds that path; the History entry names the attempt by
 * its turn (a stalled document's entry has no turn, so the run's last attempt at that task).
 */
export function createTaskSource(db: Db) {
  return async function taskSource(entryId: string) {
    const entry = await db.historyEntry.findUnique({
      where: { id: entryId },
      select: {
        id: true,
        kind: true,
        runId: true,
        turnId: true,
        agentId: true,
        summary: true,
        detail: true,
        success: true,
        createdAt: true,
      },
    });
    if (!entry || entry.kind !== "autorun-task" || !entry.runId)
      throw new AppError("NOT_FOUND", "That History entry is not an Auto Run task.");
    const run = await db.autorunRun.findUnique({ where: { id: entry.runId } });
    if (!run) throw new AppError("NOT_FOUND", "The run of that task no longer exists.");
    const agent = await db.agent.findUnique({
      where: { id: run.agentId },
      select: { id: true, name: true, folder: true, settingsJson: true },
    });
    if (!agent) throw new AppError("NOT_FOUND", "The agent of that task no longer exists.");
    const attempt = await db.autorunAttempt.findFirst({
      where: { runId: run.id, ...(entry.turnId ? { turnId: entry.turnId } : { taskText: entry.detail }) },
      orderBy: { startedAt: "desc" },
      select: { docIndex: true, docPath: true, taskText: true, loop: true },
    });
    const config = configOf(run);
    const original = config.documents[attempt?.docIndex ?? 0]?.filename ?? null;
    // The project may be gone, or its Auto Run folder refused now: the editor says so when it opens.
    const folder = await autorunFolderOf(agent).catch(() => null);
    // The document as the editor names it: relative, with `/`; a path outside the folder (the
    // setting changed since) falls back to the run's own document name.
    let document = original;
    if (attempt && folder && isWithin(folder, attempt.docPath)) document = path.relative(folder, attempt.docPath).split(path.sep).join("/");
    if (!document) throw new AppError("NOT_FOUND", "That run names no document.");
    return {
      entryId: entry.id,
      agentId: agent.id,
      agentName: agent.name,
      runId: run.id,
      runName: run.name,
      runStatus: run.status,
      loop: attempt?.loop ?? null,
      /** The document to open (a loop copy for a reset-on-completion run). */
      path: document,
      /** The run's own document, as configured. */
      original,
      task: attempt?.taskText ?? entry.detail,
      summary: entry.summary,
      success: entry.success,
      at: entry.createdAt,
      config,
    };
  };
}
