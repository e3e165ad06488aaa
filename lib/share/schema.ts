import { z } from "zod";
import { idSchema } from "../schemas/agents";

export const SHARE_SCOPES = ["agent", "run", "dashboard"] as const;
export const SHARE_PERMISSIONS = ["view", "control"] as const;
export type ShareScope = (typeof SHARE_SCOPES)[number];
export type SharePermission = (typeof SHARE_PERMISSIONS)[number];

const HOUR_S = 60 * 60;
export const MIN_SHARE_EXPIRY_S = HOUR_S;
export const MAX_SHARE_EXPIRY_S = 30 * 24 * HOUR_S;

/** What the owner's share sheet offers. Any whole number of seconds in range is accepted. */
export const SHARE_EXPIRY_CHOICES = [
  { seconds: HOUR_S, label: "1 hour" },
  { seconds: 24 * HOUR_S, label: "1 day" },
  { seconds: 7 * 24 * HOUR_S, label: "7 days" },
  { seconds: 30 * 24 * HOUR_S, label: "30 days" },
] as const;

/**
 * A new share link. Dashboard links are view-only (control means prompting one agent); agent
 * links name their agent; run links name their run (the bridge stores the run's agent with it).
 */
export const createShareInput = z
  .object({
    scope: z.enum(SHARE_SCOPES),
    permission: z.enum(SHARE_PERMISSIONS),
    agentId: idSchema.nullish(),
    runId: idSchema.nullish(),
    expiresInSeconds: z
      .number()
      .int()
      .min(MIN_SHARE_EXPIRY_S, "A link lasts at least 1 hour.")
      .max(MAX_SHARE_EXPIRY_S, "A link lasts at most 30 days."),
    label: z.string().trim().min(1, "Give the link a label (who is it for?).").max(80, "Keep the label under 80 characters."),
  })
  .superRefine((v, ctx) => {
    if (v.scope === "agent" && !v.agentId) ctx.addIssue({ code: "custom", path: ["agentId"], message: "Pick the agent to share." });
    if (v.scope === "run" && !v.runId) ctx.addIssue({ code: "custom", path: ["runId"], message: "Pick the run to share." });
    if (v.scope === "dashboard" && v.permission !== "view") {
      ctx.addIssue({ code: "custom", path: ["permission"], message: "The dashboard can only be shared view-only." });
    }
  });
export type CreateShareInput = z.input<typeof createShareInput>;
