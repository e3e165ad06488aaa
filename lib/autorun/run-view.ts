/** What the progress card says about a run, from the run row and its documents as read now. Pure. */

export interface RunViewInput {
  status: string;
  docIndex: number;
  loop: number;
  currentTask: string | null;
  elapsedMs: number;
  activeSince: Date | string | null;
  maxLoops: number | null;
  loopEnabled: boolean;
}

export interface DocProgress {
  filename: string;
  done: number;
  total: number;
}

export const STATUS_LABEL: Record<string, string> = {
  running: "Running",
  paused: "Paused",
  stopping: "Stopping after this task",
  done: "Done",
  aborted: "Stopped",
  halted: "Halted",
  error: "Failed",
};

export function runProgress(run: RunViewInput, docs: DocProgress[], now: number) {
  const docCount = docs.length;
  const docNumber = Math.min(run.docIndex + 1, docCount);
  const doc = docs[Math.min(run.docIndex, docCount - 1)] ?? { filename: "", done: 0, total: 0 };
  const working = run.currentTask !== null && run.status !== "paused";
  const taskNumber = Math.min(doc.total, doc.done + (working ? 1 : 0));
  const done = docs.reduce((n, d) => n + d.done, 0);
  const total = docs.reduce((n, d) => n + d.total, 0);
  const active = run.activeSince ? Math.max(0, now - new Date(run.activeSince).getTime()) : 0;
  return {
    documentLabel: `Document ${docNumber} of ${docCount}`,
    documentName: doc.filename,
    taskLabel: doc.total === 0 ? "No tasks" : `Task ${Math.max(taskNumber, 1)} of ${doc.total}`,
    done,
    total,
    fraction: total === 0 ? 0 : done / total,
    elapsedMs: run.elapsedMs + active,
    loopLabel: run.loopEnabled ? `Loop ${run.loop}${run.maxLoops ? ` of ${run.maxLoops}` : ""}` : null,
    statusLabel: STATUS_LABEL[run.status] ?? run.status,
  };
}
