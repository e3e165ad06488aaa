import { z } from "zod";
import { idSchema } from "./common";

export const promptSchema = z
  .string()
  .min(1, "Type a message first.")
  .max(200_000, "That message is too long (200,000 characters at most).");

export const eventsAfterInput = z.object({
  tabId: idSchema,
  afterId: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(5000).default(1000),
});
export const tailInput = z.object({ tabId: idSchema, tail: z.number().int().min(1).max(2000) });
export const earlierInput = z.object({
  tabId: idSchema,
  beforeId: z.number().int().min(1),
  limit: z.number().int().min(1).max(5000).default(500),
});
export const sendInput = z.object({
  tabId: idSchema,
  prompt: promptSchema,
  images: z.array(z.string().max(64)).max(10).optional(),
  /** The client's id for this message (its queue item): a resend returns the first send's turn. */
  clientId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{8,64}$/, "Bad client id.")
    .optional(),
  /** This turn only in the provider's read-only / plan mode (`maestro send --read-only`). */
  readOnly: z.boolean().optional(),
});
export const turnResultInput = z.object({ turnId: idSchema });
export const onEventInput = z.object({
  tabId: idSchema,
  lastEventId: z.string().regex(/^\d+$/).nullish(),
  /** Without a lastEventId: start with only the newest ~N events (whole turns); older ones via `earlier`. */
  tail: z.number().int().min(1).max(100_000).optional(),
});

// What share links can read back: each output is parsed (unknown keys dropped) before it leaves.

/** One stored event of a tab's stream. */
export const storedEventOutput = z.object({
  id: z.number(),
  turnId: z.string(),
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
  at: z.string(),
});
export const eventsOutput = z.array(storedEventOutput);

export const tabOverviewOutput = z.object({
  count: z.number(),
  newestTurnId: z.string().nullable(),
  running: z.boolean(),
  totals: z.object({ inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number() }),
});

export const sendOutput = z.object({ turnId: z.string(), duplicate: z.literal(true).optional() });
export const stopOutput = z.object({ stopping: z.boolean() });
