/**
 * Running documents straight from the list or the editor, without a playbook: the run
 * configuration for the documents picked, in the order picked. Pure (the type of RunConfig only,
 * so no zod reaches the page).
 */
import { RUNS_FOLDER } from "./documents";
import type { RunConfig } from "./run-config";

export type RunOptions = Omit<RunConfig, "documents">;

/** What a run does when nobody changed an option: once through, a fresh session per task, the built-in prompt. */
export const DEFAULT_RUN_OPTIONS: RunOptions = {
  loopEnabled: false,
  maxLoops: null,
  prompt: "",
  taskSelectionMode: "task",
  worktreeSettings: null,
};

/**
 * A run of `paths` in that order. Options and each document's reset flag come from `base` when it
 * has them (the options last used, or a finished run's), else the defaults.
 */
export function directRunConfig(paths: readonly string[], base?: RunConfig | null): RunConfig {
  const { documents: baseDocs = [], ...options } = base ?? { ...DEFAULT_RUN_OPTIONS, documents: [] };
  return {
    ...DEFAULT_RUN_OPTIONS,
    ...options,
    documents: paths.map((filename) => ({
      filename,
      resetOnCompletion: baseDocs.find((d) => d.filename === filename)?.resetOnCompletion ?? false,
    })),
  };
}

/** A runner's working copy (`runs/…`), not a document the user wrote. */
export const isRunCopy = (path: string) => path.startsWith(`${RUNS_FOLDER}/`);

/**
 * "Run again" from a finished run's task: the document that task ran on, with the run's options.
 * A loop copy is run as it stands (never copied again), so what the user changed in it is what runs.
 */
export function runAgainConfig(path: string, run: RunConfig, original: string | null): RunConfig {
  const from = run.documents.find((d) => d.filename === (original ?? path));
  const config = directRunConfig([path], run);
  return { ...config, documents: [{ filename: path, resetOnCompletion: isRunCopy(path) ? false : (from?.resetOnCompletion ?? false) }] };
}

/** Multi-select: a tap adds a document at the end of the order, or takes it out. */
export function toggleSelected(selected: readonly string[], path: string): string[] {
  return selected.includes(path) ? selected.filter((p) => p !== path) : [...selected, path];
}

/** Moves item `i` by `by` places (clamped), for reordering the documents of a run. */
export function moveItem<T>(list: readonly T[], i: number, by: number): T[] {
  const to = Math.max(0, Math.min(list.length - 1, i + by));
  if (i < 0 || i >= list.length || to === i) return [...list];
  const next = [...list];
  const [item] = next.splice(i, 1);
  next.splice(to, 0, item!);
  return next;
}

/** The Auto Run page opening the document a task of History ran on, with the task's summary beside it. */
export const taskDocumentHref = (historyEntryId: string) => `/autorun?entry=${encodeURIComponent(historyEntryId)}`;

/** The Auto Run page with one document open. */
export const documentHref = (agentId: string, path: string) =>
  `/autorun?agent=${encodeURIComponent(agentId)}&doc=${encodeURIComponent(path)}`;
