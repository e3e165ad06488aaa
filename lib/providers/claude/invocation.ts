/**
 * Claude Code in batch mode:
 * `claude -p --verbose --output-format stream-json [--input-format stream-json] [--resume ID]
 *  [--model M] [--permission-mode plan|acceptEdits | --dangerously-skip-permissions]
 *  [--append-system-prompt S] [extra…] -- PROMPT`, stdin closed.
 *
 * With approvals (permission modes ask, acceptEdits and bypass — bypass so AskUserQuestion
 * still reaches the person) it runs the control protocol the Agent SDK uses:
 * `claude -p --verbose --output-format stream-json --input-format stream-json
 *  --permission-prompt-tool stdio [--resume ID] [--model M]
 *  --permission-mode default|acceptEdits | --dangerously-skip-permissions [--allowedTools=RULE]…
 *  [--append-system-prompt S] [extra…]`, the prompt as a stream-json user message on stdin,
 * which stays open for the answers (`control_response` lines, lib/approvals/response.ts).
 */
import { claudeControlResponse } from "../../approvals/response";
import type { ApprovalReply } from "../../../server/services/approvals/gate";
import { checkImagePaths } from "../images";
import type { Invocation, TurnSpec } from "../types";

/** The permission mode the turn really runs in: the explicit one, else the older pair. */
export function effectiveMode(spec: TurnSpec): "ask" | "acceptEdits" | "plan" | "bypass" | "legacy" {
  if (spec.readOnly) return "plan";
  return spec.permissionMode ?? "legacy";
}

export function buildInvocation(spec: TurnSpec): Invocation {
  const mode = effectiveMode(spec);
  if (mode === "ask" || mode === "acceptEdits" || mode === "bypass") return askingInvocation(spec, mode);
  const images = spec.images ?? [];
  checkImagePaths("claude", images);
  const env: Record<string, string> = { CLAUDE_CODE_DISABLE_BACKGROUND_TASKS: "1" };
  const args = ["-p", "--verbose", "--output-format", "stream-json"];
  // Images can only travel inside a stream-json user message on stdin.
  if (images.length) args.push("--input-format", "stream-json");
  if (spec.resumeSessionId) args.push("--resume", spec.resumeSessionId);
  if (spec.model) args.push("--model", spec.model);
  if (mode === "plan") {
    args.push("--permission-mode", "plan");
  } else if (spec.autoApprove ?? true) {
    // As root claude refuses skip-permissions unless IS_SANDBOX=1, which only the user may
    // choose; acceptEdits still lets it edit files (shell commands stay denied).
    if (spec.isRoot && !spec.isSandbox) args.push("--permission-mode", "acceptEdits");
    else {
      args.push("--dangerously-skip-permissions");
      if (spec.isSandbox) env.IS_SANDBOX = "1";
    }
  }
  if (spec.appendSystemPrompt) args.push("--append-system-prompt", spec.appendSystemPrompt);
  args.push(...(spec.extraArgs ?? []));
  if (!images.length) args.push("--", spec.prompt);
  return {
    command: spec.binary,
    args,
    env: { ...env, ...spec.env },
    cwd: spec.cwd,
    stdin: null,
    ...(images.length ? { stdinImages: { prompt: spec.prompt, paths: [...images] } } : {}),
  };
}

/** A turn that can ask: stream-json in and out, the permission prompt on stdio, stdin kept open. */
function askingInvocation(spec: TurnSpec, mode: "ask" | "acceptEdits" | "bypass"): Invocation {
  const images = spec.images ?? [];
  checkImagePaths("claude", images);
  const env: Record<string, string> = { CLAUDE_CODE_DISABLE_BACKGROUND_TASKS: "1" };
  const args = ["-p", "--verbose", "--output-format", "stream-json", "--input-format", "stream-json", "--permission-prompt-tool", "stdio"];
  if (spec.resumeSessionId) args.push("--resume", spec.resumeSessionId);
  if (spec.model) args.push("--model", spec.model);
  if (mode === "bypass" && !(spec.isRoot && !spec.isSandbox)) {
    args.push("--dangerously-skip-permissions");
    if (spec.isSandbox) env.IS_SANDBOX = "1";
  } else {
    // As root without the user's sandbox statement claude refuses to skip permissions: edits go
    // ahead and commands ask the person instead.
    args.push("--permission-mode", mode === "ask" ? "default" : "acceptEdits");
  }
  // One flag per rule, so a comma inside a rule is never split; `--flag=value` (as the SDK
  // passes it) so a value can never be read as an option of its own.
  for (const rule of spec.allowRules ?? []) args.push(`--allowedTools=${rule}`);
  if (spec.appendSystemPrompt) args.push("--append-system-prompt", spec.appendSystemPrompt);
  args.push(...(spec.extraArgs ?? []));
  return {
    command: spec.binary,
    args,
    env: { ...env, ...spec.env },
    cwd: spec.cwd,
    stdin: claudeStreamJsonInput(spec.prompt, []),
    stdinOpen: true,
    ...(images.length ? { stdinImages: { prompt: spec.prompt, paths: [...images] } } : {}),
  };
}

/** The answer to a `can_use_tool` request, as the line for claude's stdin. */
export function approvalReply(requestId: string, reply: ApprovalReply, originalInput: unknown): string {
  return claudeControlResponse(requestId, reply, originalInput);
}

export interface EncodedImage {
  mediaType: string;
  base64: string;
}

/**
 * The stdin for an Invocation with `stdinImages`: one stream-json user message holding the
 * images (first, as Anthropic recommends) and the prompt. The runner reads the files.
 */
export function claudeStreamJsonInput(prompt: string, images: EncodedImage[]): string {
  const content = [
    ...images.map((i) => ({ type: "image", source: { type: "base64", media_type: i.mediaType, data: i.base64 } })),
    { type: "text", text: prompt },
  ];
  return `${JSON.stringify({ type: "user", message: { role: "user", content } })}\n`;
}
