import { z } from "zod";
import { idSchema, nameSchema } from "./common";

// Loose bounds only: the branch rules (checkBranchName) run in the service, so a 300-character or
// hostile name gets its own sentence rather than zod's generic one.
export const createWorktreeInput = z.object({
  parentId: idSchema,
  branch: z.string().max(1000),
  base: z.string().trim().max(1000).nullish(),
  name: nameSchema.nullish(),
});
export type CreateWorktreeInput = z.input<typeof createWorktreeInput>;

export const adoptWorktreeInput = z.object({
  parentId: idSchema,
  path: z
    .string()
    .min(1)
    .max(4096)
    .refine((p) => !p.includes("\0"), "The path contains a NUL byte."),
  name: nameSchema.nullish(),
});

export const worktreeSetupInput = z.object({ agentId: idSchema });
