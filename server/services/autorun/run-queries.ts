import { parseChecklist, type Checklist } from "../../../lib/autorun/checklist";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import { ENTRY_SELECT } from "../history/service";
import { dryRunLines } from "./dry-run";
import { autorunFolderOf, documentPath, readDocument } from "./files";
import { configOf, states, type RunRow } from "./run-state";
import { attemptSelect, runView } from "./run-view";
import { createTaskSource } from "./task-source";

export const ACTIVE_STATUSES = ["running", "paused", "stopping"];

export interface RunListFilter {
  agentId?: string;
  active?: boolean;
  limit?: number;
}

/** What the run is paused for at a document: the gate at that line, or the person's task there. */
function waitingOn(c: Checklist | null, line: number | null) {
  if (!c || line === null) return null;
  const gate = c.reviews.find((r) => r.line === line);
  if (gate) return { kind: gate.kind, reason: gate.reason, artifact: gate.artifact };
  const task = c.tasks.find((t) => t.line === line && t.forHuman);
  return task ? { kind: "human" as const, reason: task.text, artifact: null } : null;
}

/** What clients read about Auto Run runs: lists, one run with its progress, its attempts and History. */
export function createRunQueries(db: Db) {
  async function load(runId: string): Promise<RunRow> {
    const run = await db.autorunRun.findUnique({ where: { id: runId } });
    if (!run) throw new AppError("NOT_FOUND", "That run no longer exists.");
    return run;
  }

  const agentName = async (agentId: string) => (await db.agent.findUnique({ where: { id: agentId }, select: { name: true } }))?.name ?? "";

  /** Progress as the documents say it now (re-read, never cached). */
  async function documents(run: RunRow) {
    const agent = await db.agent.findUnique({ where: { id: run.agentId }, select: { folder: true, settingsJson: true } });
    const config = configOf(run);
    const docState = states(run, config.documents.length);
    // An agent gone, or its folder now refused: the documents show no counts, the run's state stays.
    const folder = agent ? await autorunFolderOf(agent).catch(() => null) : null;
    return Promise.all(
      config.documents.map(async (d, i) => {
        const state = docState[i]!;
        // Documents not reached in this loop show their own state (a reset document: a fresh copy to come).
        const file =
          i <= run.docIndex && state.workPath ? state.workPath : folder ? await documentPath(folder, d.filename).catch(() => null) : null;
        let c: Checklist | null = null;
        if (file) c = parseChecklist(await readDocument(file, d.filename).catch(() => ""));
        const fresh = i > run.docIndex && d.resetOnCompletion && c ? { done: 0, total: c.total } : null;
        // Documents the run has reached show what the runner counted; others, the file now.
        const counted = i <= run.docIndex ? state.seen : null;
        return {
          filename: d.filename,
          resetOnCompletion: d.resetOnCompletion,
          workPath: state.workPath,
          done: counted?.done ?? fresh?.done ?? c?.done ?? 0,
          total: counted?.total ?? fresh?.total ?? c?.total ?? 0,
          stalled: state.stalled,
          halt: c?.halt?.reason ?? null,
          waitsForPerson: state.waitsForPerson,
          waitingOn: i === run.docIndex && run.status === "paused" ? waitingOn(c, state.pendingGate) : null,
        };
      }),
    );
  }

  const attempts = (runId: string) =>
    db.autorunAttempt.findMany({ where: { runId }, orderBy: { startedAt: "asc" }, select: attemptSelect });

  return {
    byId: async (runId: string) => runView(await load(runId)),
    /** What a run would work through, as desktop's `--dry-run` JSONL (nothing starts). */
    dryRun: (input: Parameters<typeof dryRunLines>[1]) => dryRunLines(db, input),

    /** Runs, newest first, each with its agent's name. */
    async list(filter: RunListFilter = {}) {
      const runs = await db.autorunRun.findMany({
        where: { ...(filter.agentId ? { agentId: filter.agentId } : {}), ...(filter.active ? { status: { in: ACTIVE_STATUSES } } : {}) },
        orderBy: { startedAt: "desc" },
        take: filter.limit ?? 50,
      });
      const agents = await db.agent.findMany({
        where: { id: { in: [...new Set(runs.map((r) => r.agentId))] } },
        select: { id: true, name: true },
      });
      const names = new Map(agents.map((a) => [a.id, a.name]));
      return runs.map((r) => ({ ...runView(r), agentName: names.get(r.agentId) ?? "" }));
    },

    /** A run with its documents' progress as read from disk now, and its task attempts. */
    async view(runId: string) {
      const run = await load(runId);
      return {
        run: runView(run),
        agentName: await agentName(run.agentId),
        documents: await documents(run),
        attempts: await attempts(runId),
      };
    },

    /** What History holds for a run (tasks with their summaries, loops, the end). */
    history(runId: string) {
      return db.historyEntry.findMany({ where: { runId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: ENTRY_SELECT });
    },

    attempts,

    /** An Auto Run task of History: its run, summary and the document it ran on (to open and refine). */
    taskSource: createTaskSource(db),

    documents: async (runId: string) => documents(await load(runId)),
  };
}
