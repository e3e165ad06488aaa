import { z } from "zod";
import { MAX_BUNDLE_BYTES } from "../autorun/bundle-rules";
import { runConfigSchema } from "../autorun/run-config";
import { idSchema, nameSchema } from "./common";

export const autorunListInput = z
  .object({ agentId: idSchema.optional(), active: z.boolean().optional(), limit: z.number().int().min(1).max(200).optional() })
  .default({});
export type AutorunListInput = z.output<typeof autorunListInput>;

/** `markDone`: the run waits at a task marked for a human, and the person did it (tick it, then go on). */
export const resumeRunInput = z.object({ id: idSchema, markDone: z.boolean().optional() });
/** A file a review gate names (`artifact="…"`), relative to the agent's project. */
export const artifactInput = z.object({ agentId: idSchema, path: z.string().min(1).max(1000) });
export const runHistoryInput = z.object({ runId: idSchema });
export const startRunInput = z.object({ agentId: idSchema, config: runConfigSchema, name: z.string().trim().max(200).optional() });
/** A dry run of a run (or of a playbook's, `playbookId` naming it in the `start` line). */
export const dryRunInput = startRunInput.extend({ playbookId: idSchema.optional() });
/** Names are checked in full by the service (inside the Auto Run folder); here only a length cap. */
export const clearHaltInput = z.object({ agentId: idSchema, filename: z.string().min(1).max(500) });
/**
 * A run's events as desktop's JSONL; `fromStart`: first replay what happened since the run
 * started (or was last resumed), so a reader that subscribes after `start` returned misses nothing.
 */
export const runEventsInput = z.object({ runId: idSchema, fromStart: z.boolean().optional() });
export const autorunChangesInput = z.object({ agentId: idSchema.optional(), runId: idSchema.optional() }).default({});

export const listPlaybooksInput = z.object({ agentId: idSchema.optional() }).default({});
export const createPlaybookInput = z.object({ agentId: idSchema, name: nameSchema, config: runConfigSchema });
export const updatePlaybookInput = z.object({ id: idSchema, name: nameSchema.optional(), config: runConfigSchema.optional() });
/** Which playbook of a manifest to import: a key the import answered with. */
const pickSchema = z.string().min(1).max(300).optional();

/**
 * The text of a playbook JSON file (desktop format) or of a manifest (`{"playbooks": […]}`);
 * its content is validated by the service.
 */
export const importPlaybookInput = z.object({
  agentId: idSchema,
  text: z.string().max(2_000_000, "That file is too large to be a playbook (2 MB at most)."),
  name: z.string().trim().max(80).optional(),
  pick: pickSchema,
});

/** A `.maestro-playbook.zip`, base64; the cap is the zip limit in base64 characters. */
export const importPlaybookZipInput = z.object({
  agentId: idSchema,
  zip: z
    .string()
    .min(1, "That file is empty.")
    .max(Math.ceil(MAX_BUNDLE_BYTES / 3) * 4, `That zip is too large (${MAX_BUNDLE_BYTES / 1024 / 1024} MB at most).`),
  name: z.string().trim().max(80).optional(),
  pick: pickSchema,
  /** Replace files of the Auto Run folder that the zip brings with other content (asked first in the UI). */
  overwrite: z.boolean().optional(),
});
