import { z } from "zod";
import { idSchema } from "./common";

// Loose bounds only: branch names are checked by the service (checkBranchName), so a hostile
// name gets its own sentence rather than zod's generic one.
export const commitInput = z.object({
  agentId: idSchema,
  message: z.string().max(20_000, "Keep the commit message under 20,000 characters."),
  /** Stage every change first (`git add -A`); false commits only what is already staged. */
  all: z.boolean().optional(),
});

export const createPrInput = z.object({
  agentId: idSchema,
  base: z.string().max(1000).nullish(),
  title: z.string().max(256, "Keep the title under 256 characters.").nullish(),
  body: z.string().max(60_000, "Keep the description under 60,000 characters.").nullish(),
  draft: z.boolean().optional(),
});

export const mergeBackInput = z.object({ agentId: idSchema, into: z.string().max(1000).nullish() });
