import { z } from "zod";
import { idSchema, nameSchema } from "./common";

export const createTabInput = z.object({
  agentId: idSchema,
  name: nameSchema.optional(),
  providerSessionId: z.string().max(200).nullish(),
});
export const starTabInput = z.object({ id: idSchema, starred: z.boolean() });
export const reorderTabsInput = z.object({ agentId: idSchema, ids: z.array(idSchema).max(500) });
