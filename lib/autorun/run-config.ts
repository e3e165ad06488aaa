import { z } from "zod";
import { checkAssetPath, MAX_ASSETS } from "./bundle-rules";

/**
 * A Run configuration, which is exactly what a Playbook stores. The JSON import/export uses
 * Maestro desktop's playbook field names, so playbooks move between the two.
 */
export const TASK_MODES = ["task", "document"] as const;
export type TaskMode = (typeof TASK_MODES)[number];

const filenameSchema = z
  .string({ error: "Each document needs a filename." })
  .trim()
  .min(1, "A document filename is empty.")
  .max(500, "A document filename is too long (500 characters at most).")
  .refine((f) => !f.split(/[\\/]/).includes(".."), "A document filename may not contain '..'.")
  .refine((f) => !f.startsWith("/") && !/^[A-Za-z]:[\\/]/.test(f), "A document filename must be relative to the Auto Run folder.");

export const runDocumentSchema = z.object({
  filename: filenameSchema,
  resetOnCompletion: z.boolean({ error: "resetOnCompletion must be true or false." }).default(false),
});

const flag = (name: string) => z.boolean({ error: `worktreeSettings.${name} must be true or false.` }).optional();
const text = (name: string) =>
  z
    .string({ error: `worktreeSettings.${name} must be text.` })
    .max(200, `worktreeSettings.${name} is too long (200 characters at most).`)
    .optional();

/**
 * Where a run works (a new worktree on a branch, a pull request at the end: `lib/autorun/worktree.ts`
 * reads it), kept as written and exported back unchanged.
 * Desktop's fields first (pedramamini/Maestro src/shared/types.ts, `Playbook.worktreeSettings`:
 * `branchNameTemplate`, `createPROnCompletion`, `prTargetBranch?`), in its order, so an export
 * writes them as desktop did; then the first spelling our own exports used, still read.
 */
export const worktreeSettingsSchema = z
  .object(
    {
      branchNameTemplate: text("branchNameTemplate"),
      createPROnCompletion: flag("createPROnCompletion"),
      prTargetBranch: text("prTargetBranch"),
      enabled: flag("enabled"),
      branchName: text("branchName"),
      createPR: flag("createPR"),
    },
    { error: "worktreeSettings must be an object or null." },
  )
  .nullish();

const assetSchema = z.string({ error: "Each asset is a file name." }).superRefine((name, ctx) => {
  const check = checkAssetPath(name);
  if (!check.ok) ctx.addIssue({ code: "custom", message: check.message });
});

/** Desktop names the modes in several spellings; anything that says "document" means per document. */
const taskModeSchema = z
  .string()
  .max(50)
  .nullish()
  .transform((m): TaskMode => (m && /doc/i.test(m) ? "document" : "task"));

export const runConfigSchema = z.object({
  documents: z
    .array(runDocumentSchema, { error: "documents must be a list of {filename, resetOnCompletion}." })
    .min(1, "A playbook needs at least one document.")
    .max(100, "A playbook holds 100 documents at most."),
  loopEnabled: z.boolean({ error: "loopEnabled must be true or false." }).default(false),
  maxLoops: z
    .number({ error: "maxLoops must be a number or null." })
    .int("maxLoops must be a whole number.")
    .min(1, "maxLoops must be at least 1.")
    .max(10_000)
    .nullish()
    .transform((v) => v ?? null),
  /** The prompt template; empty (or the registry's `null`) means the built-in one. */
  prompt: z
    .string({ error: "prompt must be text or null." })
    .max(100_000, "The prompt is too long (100,000 characters at most).")
    .nullish()
    .transform((v) => v ?? ""),
  taskSelectionMode: taskModeSchema,
  worktreeSettings: worktreeSettingsSchema.transform((v) => v ?? null),
  /** The registry's list of files in the playbook's `assets/` folder; kept only when given. */
  assets: z
    .array(assetSchema, { error: "assets must be a list of file names." })
    .max(MAX_ASSETS, `A playbook lists ${MAX_ASSETS} assets at most.`)
    .optional(),
});
export type RunConfig = z.output<typeof runConfigSchema>;
export type RunConfigInput = z.input<typeof runConfigSchema>;

/**
 * The export file: the configuration plus a name (unknown fields on import are ignored). The
 * registry names a playbook `title` (RunMaestro/Maestro-Playbooks manifest.json); `name` wins.
 */
export const playbookFileSchema = runConfigSchema.extend({
  name: z.string({ error: "name must be text." }).trim().max(200, "The name is too long (200 characters at most).").optional(),
  title: z.string({ error: "title must be text." }).trim().max(200, "The title is too long (200 characters at most).").optional(),
});

export class PlaybookImportError extends Error {
  override name = "PlaybookImportError";
}

/** Parses an imported playbook file; throws PlaybookImportError with a message a person can act on. */
export function parsePlaybookFile(text: string): { name: string | null; config: RunConfig } {
  if (text.length > 2_000_000) throw new PlaybookImportError("That file is too large to be a playbook (2 MB at most).");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new PlaybookImportError(`That file is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new PlaybookImportError("A playbook file is a JSON object with a documents list.");
  return parsePlaybookObject(raw);
}

/** One playbook object (a file's, or one entry of a manifest) → its name and configuration. */
export function parsePlaybookObject(raw: object): { name: string | null; config: RunConfig } {
  const r = playbookFileSchema.safeParse(raw);
  if (!r.success) throw new PlaybookImportError(`Not a valid playbook: ${describeIssue(r.error.issues[0]!, raw)}`);
  const { name, title, ...config } = r.data;
  return { name: name || title || null, config };
}

/** A zod issue in words, with where it is: a field that is absent is "missing", not a type error. */
export function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const where = issue.path.length ? ` (at ${issue.path.join(".")})` : "";
  const given = issue.path.reduce<unknown>(
    (v, k) => (v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined),
    raw,
  );
  const message = issue.code === "invalid_type" && given === undefined ? `${issue.path.join(".") || "a field"} is missing.` : issue.message;
  return `${message}${where}`;
}

/** The export file for a playbook (desktop's field names). */
export function playbookFile(name: string, config: RunConfig) {
  return {
    name,
    documents: config.documents.map((d) => ({ filename: d.filename, resetOnCompletion: d.resetOnCompletion })),
    loopEnabled: config.loopEnabled,
    maxLoops: config.maxLoops,
    prompt: config.prompt,
    taskSelectionMode: config.taskSelectionMode,
    worktreeSettings: config.worktreeSettings,
    ...(config.assets ? { assets: config.assets } : {}),
  };
}
