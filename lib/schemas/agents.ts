import { z } from "zod";
import { PROVIDER_IDS } from "../providers/catalog";

export const idSchema = z.string().min(1).max(64);
export const nameSchema = z.string().trim().min(1, "Give it a name.").max(80, "Keep the name under 80 characters.");

/**
 * The shape half of folder validation (pure): absolute, no `..` segments, no NUL. That the
 * folder exists and is a directory is checked by the agents service, which also resolves links.
 */
export const folderSchema = z
  .string()
  .trim()
  .min(1, "Choose the project folder.")
  .max(4096, "That path is too long.")
  .refine((p) => !p.includes("\0"), "The path contains a NUL byte.")
  .refine((p) => p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p), "Use an absolute path (starting with /).")
  .refine((p) => !p.split(/[\\/]+/).includes(".."), "The path must not contain `..` segments.");

export const providerSchema = z.enum(PROVIDER_IDS);

export const createAgentInput = z.object({
  name: nameSchema,
  folder: folderSchema,
  provider: providerSchema.default("simulator"),
  groupId: idSchema.nullish(),
});
export type CreateAgentInput = z.input<typeof createAgentInput>;

export const renameInput = z.object({ id: idSchema, name: nameSchema });
export const byIdInput = z.object({ id: idSchema });
export const bookmarkInput = z.object({ id: idSchema, bookmarked: z.boolean() });
export const moveAgentInput = z.object({ id: idSchema, groupId: idSchema.nullable() });
export const createGroupInput = z.object({ name: nameSchema });

export const AGENT_STATUSES = ["idle", "busy", "error", "waiting"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];
