import { z } from "zod";
import { CHAT_STATUSES } from "../groupchat/types";
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

// Outputs of the procedures a group chat share link reaches (the share walk requires them): an
// output is checked against these, so nothing beyond the declared views leaves the bridge.
const totalsOutput = z.object({ inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number(), durationMs: z.number() });
const chatStatusOutput = z.enum(CHAT_STATUSES);
const authorOutput = z.enum(["user", "moderator", "participant", "system"]);

export const chatListOutput = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    status: chatStatusOutput,
    statusDetail: z.string(),
    moderatorName: z.string(),
    participants: z.array(z.object({ agentId: z.string(), name: z.string(), colorIndex: z.number() })),
    working: z.array(z.string()),
    lastMessage: z.object({ author: authorOutput, agentName: z.string(), text: z.string(), createdAt: z.string() }).nullable(),
    totals: totalsOutput,
    updatedAt: z.string(),
  }),
);

const chatHeaderOutput = z.object({
  id: z.string(),
  name: z.string(),
  moderatorAgentId: z.string(),
  moderatorName: z.string(),
  moderatorProvider: z.string(),
  moderatorTabId: z.string().nullable(),
  status: chatStatusOutput,
  statusDetail: z.string(),
  working: z.array(z.string()),
  participantTimeoutMs: z.number(),
  roundLimit: z.number(),
  totals: totalsOutput,
  createdAt: z.string(),
  updatedAt: z.string(),
});

const participantOutput = z.object({
  id: z.string(),
  agentId: z.string(),
  name: z.string(),
  agentName: z.string(),
  provider: z.string(),
  folder: z.string(),
  role: z.string(),
  colorIndex: z.number(),
  tabId: z.string().nullable(),
});

const roundOutput = z.object({
  id: z.string(),
  index: z.number(),
  status: z.enum(["running", "done", "stopped", "failed", "interrupted", "limit"]),
  moderatorTurns: z.number(),
  error: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});

const messageOutput = z.object({
  id: z.string(),
  roundId: z.string().nullable(),
  author: authorOutput,
  agentId: z.string().nullable(),
  agentName: z.string(),
  turnId: z.string().nullable(),
  tabId: z.string().nullable(),
  kind: z.enum(["request", "delegation", "answer", "synthesis", "retry", "response", "notice"]),
  status: z.enum(["streaming", "done", "failed", "timeout", "stopped", "interrupted"]),
  text: z.string(),
  mentions: z.array(z.string()),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
});

export const chatViewOutput = z.object({
  chat: chatHeaderOutput,
  participants: z.array(participantOutput),
  rounds: z.array(roundOutput),
  messages: z.array(messageOutput),
  activity: z.record(z.string(), z.string()),
  lastEventId: z.number(),
});

export const chatSendOutput = z.object({ messageId: z.string(), roundId: z.string(), duplicate: z.literal(true).optional() });
export const chatStopOutput = z.object({ stopping: z.boolean() });
export const chatRetryOutput = z.object({ roundId: z.string() });
