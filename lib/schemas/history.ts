import { z } from "zod";
import { HISTORY_KINDS } from "../history/kinds";
import { idSchema } from "./common";

export const historyKindSchema = z.enum(HISTORY_KINDS);

const range = {
  agentId: idSchema.optional(),
  from: z.date().optional(),
  to: z.date().optional(),
};

export const historyListInput = z.object({
  ...range,
  kinds: z.array(historyKindSchema).max(HISTORY_KINDS.length).optional(),
  success: z.boolean().optional(),
  text: z.string().trim().max(200, "Search for at most 200 characters.").optional(),
  cursor: z.string().max(120).nullish(),
  limit: z.number().int().min(1).max(100).default(30),
});
export type HistoryListInput = z.input<typeof historyListInput>;

export const historyStatsInput = z.object({
  ...range,
  /** The browser's offset east of UTC in minutes (−getTimezoneOffset()), so days are local days. */
  tzOffsetMinutes: z
    .number()
    .int()
    .min(-14 * 60)
    .max(14 * 60)
    .default(0),
});
export type HistoryStatsInput = z.input<typeof historyStatsInput>;
