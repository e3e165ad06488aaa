import { z } from "zod";

/** A row id (cuid or uuid) as the client sends it. */
export const idSchema = z.string().min(1).max(64);
export const nameSchema = z.string().trim().min(1, "Give it a name.").max(80, "Keep the name under 80 characters.");

export const byIdInput = z.object({ id: idSchema });
export const renameInput = z.object({ id: idSchema, name: nameSchema });
export const agentIdInput = z.object({ agentId: idSchema });
export const tabIdInput = z.object({ tabId: idSchema });
