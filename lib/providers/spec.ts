import type { TurnSpec } from "./types";

/**
 * The prompt text for CLIs without a system-prompt flag (codex, opencode, gemini): the extra
 * instructions go first, separated by a blank line.
 */
export function promptWithSystem(spec: TurnSpec): string {
  return spec.appendSystemPrompt ? `${spec.appendSystemPrompt}\n\n${spec.prompt}` : spec.prompt;
}
