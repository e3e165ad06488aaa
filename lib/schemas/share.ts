import { z } from "zod";
import { MAX_SHARE_EXPIRY_S, MIN_SHARE_EXPIRY_S, SHARE_PERMISSIONS, SHARE_SCOPES } from "../share/choices";
import { idSchema } from "./common";

export * from "../share/choices";

/**
 * A new share link. Dashboard links are view-only (control means prompting one agent); agent
 * links name their agent; run links name their run (the bridge stores the run's agent with it);
 * group chat links name their chat (control: send messages, stop, retry in that chat).
 */
export const createShareInput = z
  .object({
    scope: z.enum(SHARE_SCOPES),
    permission: z.enum(SHARE_PERMISSIONS),
    agentId: idSchema.nullish(),
    runId: idSchema.nullish(),
    groupChatId: idSchema.nullish(),
    expiresInSeconds: z
      .number()
      .int()
      .min(MIN_SHARE_EXPIRY_S, "A link lasts at least 1 hour.")
      .max(MAX_SHARE_EXPIRY_S, "A link lasts at most 30 days."),
    label: z.string().trim().min(1, "Give the link a label (who is it for?).").max(80, "Keep the label under 80 characters."),
    /** The teammate may answer this agent's tool approvals (Allow runs commands on this machine). */
    canApprove: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    if (v.scope === "agent" && !v.agentId) ctx.addIssue({ code: "custom", path: ["agentId"], message: "Pick the agent to share." });
    if (v.scope === "run" && !v.runId) ctx.addIssue({ code: "custom", path: ["runId"], message: "Pick the run to share." });
    if (v.scope === "groupchat" && !v.groupChatId)
      ctx.addIssue({ code: "custom", path: ["groupChatId"], message: "Pick the group chat to share." });
    if (v.scope === "dashboard" && v.permission !== "view") {
      ctx.addIssue({ code: "custom", path: ["permission"], message: "The dashboard can only be shared view-only." });
    }
    if (v.canApprove && (v.permission !== "control" || v.scope !== "agent")) {
      ctx.addIssue({
        code: "custom",
        path: ["canApprove"],
        message: "Only a control link to one agent may approve tool use.",
      });
    }
  });
export type CreateShareInput = z.input<typeof createShareInput>;
