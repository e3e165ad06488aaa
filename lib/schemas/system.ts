import { z } from "zod";
import { SHARE_PERMISSIONS, SHARE_SCOPES } from "../share/choices";

export const foldersInput = z.object({ dir: z.string().max(4096).optional() });

const ownerPrincipal = z.object({ kind: z.literal("owner"), sessionId: z.string() });
const cliPrincipal = z.object({ kind: z.literal("cli"), sessionId: z.string() });
const sharePrincipal = z.object({
  kind: z.literal("share"),
  shareId: z.string(),
  label: z.string(),
  scope: z.enum(SHARE_SCOPES),
  agentId: z.string().nullable(),
  runId: z.string().nullable(),
  groupChatId: z.string().nullable(),
  permission: z.enum(SHARE_PERMISSIONS),
  canApprove: z.boolean(),
  expiresAt: z.date(),
});

/** `system.me`: who is asking and, for the owner (or the owner's CLI) only, where the bridge runs. */
export const meOutput = z.object({
  principal: z.discriminatedUnion("kind", [ownerPrincipal, cliPrincipal, sharePrincipal]),
  dataDir: z.string().nullable(),
  homeDir: z.string().nullable(),
  hostname: z.string().nullable(),
  version: z.string(),
});
