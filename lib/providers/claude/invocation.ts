/**
 * Claude Code in batch mode:
 * `claude -p --verbose --output-format stream-json [--input-format stream-json] [--resume ID]
 *  [--model M] [--permission-mode plan|acceptEdits | --dangerously-skip-permissions]
 *  [--append-system-prompt S] [extra…] -- PROMPT`, stdin closed.
 */
import { checkImagePaths } from "../images";
import type { Invocation, TurnSpec } from "../types";

export function buildInvocation(spec: TurnSpec): Invocation {
  const images = spec.images ?? [];
  checkImagePaths("claude", images);
  const env: Record<string, string> = { CLAUDE_CODE_DISABLE_BACKGROUND_TASKS: "1" };
  const args = ["-p", "--verbose", "--output-format", "stream-json"];
  // Images can only travel inside a stream-json user message on stdin.
  if (images.length) args.push("--input-format", "stream-json");
  if (spec.resumeSessionId) args.push("--resume", spec.resumeSessionId);
  if (spec.model) args.push("--model", spec.model);
  if (spec.readOnly) {
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
