import { z } from "zod";
import { idSchema, nameSchema } from "./common";

const MINUTE_MS = 60_000;
/** How long one participant may work on one request (default 10 min, settable 1 min – 2 h). */
export const DEFAULT_PARTICIPANT_TIMEOUT_MS = 10 * MINUTE_MS;
export const participantTimeoutSchema = z
  .number()
  .int()
  .min(MINUTE_MS, "At least one minute.")
  .max(120 * MINUTE_MS, "At most two hours.");
/** Moderator turns one user message may take before the round stops (default 6). */
export const DEFAULT_ROUND_LIMIT = 6;
export const roundLimitSchema = z.number().int().min(1, "At least one.").max(50, "At most 50.");

export const chatIdInput = z.object({ chatId: idSchema });
export const roleSchema = z.string().trim().max(200, "Keep the role to one line (200 characters).");

export const createChatInput = z.object({
  name: nameSchema,
  moderatorAgentId: idSchema,
  participantAgentIds: z.array(idSchema).max(20, "At most 20 participants.").default([]),
  participantTimeoutMs: participantTimeoutSchema.optional(),
  roundLimit: roundLimitSchema.optional(),
});
export type CreateChatInput = z.infer<typeof createChatInput>;

export const updateChatInput = z.object({
  chatId: idSchema,
  name: nameSchema.optional(),
  moderatorAgentId: idSchema.optional(),
  participantTimeoutMs: participantTimeoutSchema.optional(),
  roundLimit: roundLimitSchema.optional(),
});
export type UpdateChatInput = z.infer<typeof updateChatInput>;

export const participantInput = z.object({ chatId: idSchema, agentId: idSchema, role: roleSchema.optional() });
export type ParticipantInput = z.infer<typeof participantInput>;

export const sendChatInput = z.object({
  chatId: idSchema,
  text: z.string().trim().min(1, "Write a message.").max(100_000, "Keep a message under 100,000 characters."),
  /** The client's id for this message: a resend is recognised, not run twice. */
  clientId: z.string().min(1).max(64).optional(),
});
export type SendChatInput = z.infer<typeof sendChatInput>;

export const chatEventsInput = z.object({ chatId: idSchema, lastEventId: z.string().max(20).nullish() });
