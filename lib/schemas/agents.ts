import { z } from "zod";
import { PROVIDER_IDS } from "../providers/catalog";
import { agentSettingsSchema } from "./agent-settings";
import { byIdInput, idSchema, nameSchema, renameInput } from "./common";

// Their first home; kept so existing imports of them from here still work.
export { byIdInput, idSchema, nameSchema, renameInput };

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

export const bookmarkInput = z.object({ id: idSchema, bookmarked: z.boolean() });
export const moveAgentInput = z.object({ id: idSchema, groupId: idSchema.nullable() });
export const updateSettingsInput = z.object({ id: idSchema, settings: agentSettingsSchema });
export const setProviderInput = z.object({ id: idSchema, provider: providerSchema });

export const AGENT_STATUSES = ["idle", "busy", "error", "waiting"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];
