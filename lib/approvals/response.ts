/**
 * Claude Code's answers to its `can_use_tool` control requests (`--permission-prompt-tool
 * stdio`), as verified against the pinned CLI: one `control_response` JSON line per answer.
 * - allow always echoes `updatedInput` (the original input when it was not edited), as both SDKs do;
 * - "always" adds one session rule and nothing else: the CLI's own suggestions would write
 *   `<project>/.claude/settings.local.json` and switch the session's mode;
 * - deny carries the reason the model receives, never `interrupt` (that ends the turn as failed).
 * Pure.
 */
import type { ApprovalReply } from "../../server/services/approvals/gate";
import { parseRule } from "./rules";

/** The permission result inside the response (`PermissionResult` in the SDK). */
export function claudePermissionResult(reply: ApprovalReply, originalInput: unknown): Record<string, unknown> {
  if (reply.behavior === "deny") return { behavior: "deny", message: reply.message };
  const updatedInput = reply.updatedInput === undefined ? originalInput : reply.updatedInput;
  const rule = reply.sessionRule ? parseRule(reply.sessionRule) : null;
  return {
    behavior: "allow",
    updatedInput: typeof updatedInput === "object" && updatedInput !== null ? updatedInput : {},
    ...(rule
      ? {
          updatedPermissions: [
            {
              type: "addRules",
              rules: [rule.content ? { toolName: rule.tool, ruleContent: rule.content } : { toolName: rule.tool }],
              behavior: "allow",
              destination: "session",
            },
          ],
        }
      : {}),
  };
}

/** The whole line to write on the CLI's stdin (with its newline). */
export function claudeControlResponse(requestId: string, reply: ApprovalReply, originalInput: unknown): string {
  return `${JSON.stringify({
    type: "control_response",
    response: { subtype: "success", request_id: requestId, response: claudePermissionResult(reply, originalInput) },
  })}\n`;
}

/**
 * AskUserQuestion's answer: the question input plus `answers` keyed by question text. Throws
 * (with a message for the person) unless every question has a non-empty answer: the CLI
 * silently drops unanswered ones.
 */
export function questionAnswerInput(input: unknown, answers: Record<string, string>): Record<string, unknown> {
  const base = typeof input === "object" && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  const questions = Array.isArray(base.questions) ? base.questions : [];
  const texts = questions.flatMap((q) =>
    typeof q === "object" && q !== null && typeof (q as { question?: unknown }).question === "string"
      ? [(q as { question: string }).question]
      : [],
  );
  if (!texts.length) throw new Error("This request has no questions to answer.");
  const missing = texts.filter((t) => !answers[t]?.trim());
  if (missing.length) throw new Error(`Answer every question first (${missing.length} left: “${missing[0]}”).`);
  const kept: Record<string, string> = {};
  for (const t of texts) kept[t] = (answers[t] ?? "").trim();
  return { ...base, answers: kept };
}
