import { z } from "zod";
import { MAX_STALE_DAYS } from "../git/worktree-cleanup";
import { idSchema } from "./common";

const worktreePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes("\0"), "The path contains a NUL byte.");

export const removeWorktreeInput = z.object({
  agentId: idSchema,
  deleteBranch: z.boolean().optional(),
  force: z.boolean().optional(),
  /** The check's fingerprint the person saw; required with force. */
  seen: z.string().max(300).optional(),
});
export type RemoveWorktreeInput = z.input<typeof removeWorktreeInput>;

export const staleWorktreesInput = z.object({ olderThanDays: z.number().int().min(1).max(MAX_STALE_DAYS).nullish() }).optional();

export const cleanupWorktreesInput = z.object({
  paths: z.array(worktreePath).min(1, "Pick at least one worktree.").max(200),
  deleteBranches: z.boolean().optional(),
  /** The chosen paths the person saw as at risk and agreed to lose work in (each forced on its own). */
  forcePaths: z.array(worktreePath).max(200).optional(),
});

export const staleDaysInput = z.object({ days: z.number().int().min(1).max(MAX_STALE_DAYS) });
