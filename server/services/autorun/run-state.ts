import { runConfigSchema, type RunConfig } from "../../../lib/autorun/run-config";
import type { Db } from "../../db";

/** Per document of the current loop. */
export interface DocState {
  workPath: string | null;
  noProgress: number;
  stalled: boolean;
  done: boolean;
  /** Lines of review gates the user already let through. */
  reviewsPassed: number[];
  /** The gate (or task marked for a human) the run is paused at. */
  pendingGate: number | null;
  /** Lines where the run paused for a person in this run; carried across passes (no reset only). */
  askedBefore: number[];
  /** Every task left needs a person who has not acted yet: skipped for the rest of this pass. */
  waitsForPerson: boolean;
  /** Per-document mode: this document's provider session has begun. */
  sessionStarted: boolean;
  /**
   * The counts the runner last read, at a task's start and end: progress shown from these moves
   * exactly once per task, not whenever the agent happens to tick mid-turn.
   */
  seen: { done: number; total: number } | null;
  /** Agent turns begun on this document in this pass (desktop's `taskIndex` counts them from 0). */
  spawns: number;
  /** Ticked boxes when the first of them began (what `document_complete` counts from). */
  doneAtStart: number | null;
}

export type RunRow = NonNullable<Awaited<ReturnType<Db["autorunRun"]["findUnique"]>>>;
export type RunAgent = { id: string; name: string; folder: string; settingsJson: string };

const freshDoc = (): DocState => ({
  workPath: null,
  noProgress: 0,
  stalled: false,
  done: false,
  reviewsPassed: [],
  pendingGate: null,
  askedBefore: [],
  waitsForPerson: false,
  sessionStarted: false,
  seen: null,
  spawns: 0,
  doneAtStart: null,
});

/** The run's per-document state for this loop, one entry per document (missing ones fresh). */
export function states(run: { docStateJson: string }, count: number): DocState[] {
  let parsed: DocState[] = [];
  try {
    parsed = JSON.parse(run.docStateJson) as DocState[];
  } catch {
    parsed = [];
  }
  return Array.from({ length: count }, (_, i) => ({ ...freshDoc(), ...(parsed[i] ?? {}) }));
}

/**
 * The per-document state a new pass of a loop starts from: fresh, except that a document without
 * reset remembers where a person was asked and what they let through (otherwise a gate approved
 * in pass 1 would be "asked, not answered" in pass 2 and its document skipped for good). A reset
 * document is a fresh copy each pass, so it remembers nothing.
 */
export function nextPassStates(prev: DocState[], docs: { resetOnCompletion: boolean }[]): Partial<DocState>[] {
  return docs.map((d, i) => {
    const s = prev[i];
    return d.resetOnCompletion || !s ? {} : { askedBefore: s.askedBefore, reviewsPassed: s.reviewsPassed };
  });
}

export function configOf(run: { configJson: string }): RunConfig {
  return runConfigSchema.parse(JSON.parse(run.configJson));
}
