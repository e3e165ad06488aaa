import { z } from "zod";
import { idSchema } from "./common";

/**
 * Permission modes (agent setting, overridable per tab):
 * - ask: the CLI asks before writes and commands; a person answers (claude; see provider notes);
 * - acceptEdits: file edits in the project go ahead, commands still ask;
 * - plan: read-only, nothing is written (today's Plan mode);
 * - bypass: everything goes ahead without asking (questions still reach the person).
 */
export const PERMISSION_MODES = ["ask", "acceptEdits", "plan", "bypass"] as const;
export type PermissionMode = (typeof PERMISSION_MODES)[number];
export const permissionModeSchema = z.enum(PERMISSION_MODES);

/** Unanswered requests are denied after this many minutes unless the agent says otherwise. */
export const DEFAULT_APPROVAL_TIMEOUT_MIN = 30;

/**
 * An "always allow" rule in the CLIs' own syntax: `Tool` (the whole tool) or `Tool(content)`,
 * e.g. `Bash(npm test:*)`, `Bash(git status)`, `Write`, `WebFetch(domain:example.com)`.
 */
export const RULE_PATTERN = /^([A-Za-z][A-Za-z0-9_]*(?:__[A-Za-z0-9_-]+)*)(?:\((.+)\))?$/s;

/**
 * Whether `rule` is exactly one rule. claude splits its --allowedTools value on commas and
 * spaces outside brackets, so `Bash(x) Bash(*)` or `Bash(ls),Write(*)` would become two rules:
 * the content's brackets must be balanced and never close the rule's own bracket early.
 */
export function isOneRule(rule: string): boolean {
  if (/[\n\r\0]/.test(rule)) return false;
  const m = RULE_PATTERN.exec(rule);
  if (!m) return false;
  let depth = 0;
  for (const ch of m[2] ?? "") {
    if (ch === "(") depth += 1;
    else if (ch === ")" && --depth < 0) return false;
  }
  return depth === 0;
}

export const ruleSchema = z
  .string()
  .trim()
  .min(1, "Write a rule, like Bash(npm test:*).")
  .max(1000, "Keep a rule under 1,000 characters.")
  .refine((r) => !/[\n\r\0]/.test(r), "A rule is one line.")
  .refine((r) => isOneRule(r), "A rule is a tool name, optionally with what it may do in brackets: Bash(npm test:*).");

/** How a person answers a request. */
export const approvalAnswerInput = z
  .object({
    approvalId: idSchema,
    decision: z.enum(["allow", "always", "deny"]),
    /** Deny: the reason the model receives (optional; a plain default otherwise). */
    message: z.string().trim().max(2000, "Keep the reason under 2,000 characters.").optional(),
    /** Always: the rule to store (defaults to the CLI's suggestion). */
    rule: ruleSchema.optional(),
    /** A question's answers, keyed by the question's text (comma-joined for multi-select). */
    answers: z.record(z.string().max(2000), z.string().max(4000)).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.answers && v.decision !== "allow") {
      ctx.addIssue({ code: "custom", path: ["answers"], message: "Answers go with Allow." });
    }
  });
export type ApprovalAnswerInput = z.input<typeof approvalAnswerInput>;

export const pendingApprovalsInput = z.object({ agentId: idSchema.optional() }).default({});
export const rulesListInput = z.object({ agentId: idSchema });
export const ruleAddInput = z.object({ agentId: idSchema, rule: ruleSchema });
export const ruleRemoveInput = z.object({ ruleId: idSchema });
export const tabPermissionModeInput = z.object({ tabId: idSchema, mode: permissionModeSchema.nullable() });
