import { z } from "zod";
import { checkExchangeUrl } from "../autorun/exchange";
import { idSchema } from "./common";

/** An entry of the Exchange's catalogue, by its `id`. */
const keySchema = z.string().trim().min(1, "Pick a playbook.").max(200);

/** The README (no `file`) or one document of an entry. */
export const exchangePreviewInput = z.object({ key: keySchema, file: z.string().min(1).max(500).optional() });

export const exchangeImportInput = z.object({
  agentId: idSchema,
  key: keySchema,
  /** Replace files of the Auto Run folder that the playbook brings with other content (asked first in the UI). */
  overwrite: z.boolean().optional(),
});

/** The manifest URL in Settings; empty or null goes back to the default registry. */
export const exchangeUrlInput = z.object({
  url: z
    .string()
    .max(2000, "The URL is over 2000 characters.")
    .nullable()
    .superRefine((url, ctx) => {
      if (!url?.trim()) return;
      const check = checkExchangeUrl(url);
      if (!check.ok) ctx.addIssue({ code: "custom", message: check.message });
    }),
});
