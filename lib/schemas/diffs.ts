import { z } from "zod";
import { idSchema } from "./common";

const pathSchema = z.string().min(1).max(4096);
const shaSchema = z.string().regex(/^[0-9a-f]{4,40}$/i, "A commit is 4 to 40 hex characters.");

export const diffFilesInput = z.object({ agentId: idSchema, staged: z.boolean() });
export const diffFileInput = z.object({ agentId: idSchema, path: pathSchema, staged: z.boolean(), full: z.boolean().optional() });
export const diffLogInput = z.object({
  agentId: idSchema,
  limit: z.number().int().min(1).max(500).default(50),
  cursor: shaSchema.nullish(),
});
export const diffCommitInput = z.object({ agentId: idSchema, sha: shaSchema });
export const diffCommitFileInput = z.object({ agentId: idSchema, sha: shaSchema, path: pathSchema, full: z.boolean().optional() });
