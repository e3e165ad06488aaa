/**
 * Permission modes as people read them: labels, what each does, the mode an agent runs with
 * (older settings included), and what each CLI can do about asking. Pure, no zod (the settings
 * sheet and the tab menu import it).
 */
import type { PermissionMode } from "../schemas/approvals";

export const PERMISSION_MODE_TEXT: Record<PermissionMode, { label: string; hint: string }> = {
  ask: {
    label: "Ask me",
    hint: "Asks before it edits a file or runs a command that changes things; you answer on the card or from the notification. Reading goes ahead.",
  },
  acceptEdits: {
    label: "Accept edits",
    hint: "File edits inside the project go ahead; commands that change things still ask.",
  },
  plan: {
    label: "Plan (read-only)",
    hint: "Reads and plans, but never edits files or runs commands that change things.",
  },
  bypass: {
    label: "Bypass",
    hint: "Everything goes ahead without asking (a question for you still reaches you).",
  },
};

/** In the order the select offers them. */
export const PERMISSION_MODE_ORDER: readonly PermissionMode[] = ["ask", "acceptEdits", "plan", "bypass"];

/**
 * The mode an agent's settings mean. Agents made before approvals have no `permissionMode`:
 * they keep what they did then (Plan when the old "plan mode" switch was on, else Bypass).
 */
export function agentPermissionMode(settings: { permissionMode?: PermissionMode; readOnly?: boolean }): PermissionMode {
  return settings.permissionMode ?? (settings.readOnly ? "plan" : "bypass");
}

export interface ProviderApprovalNote {
  /** The CLI asks before each tool call and Maestro answers it (Allow / Deny on the card). */
  asks: boolean;
  text: string;
}

/**
 * What each CLI can do, in batch mode as Maestro runs it (checked against the pinned versions:
 * claude 2.1.330, codex 0.169.0, opencode 1.18.33, gemini 0.61.0).
 */
export function providerApprovalNote(provider: string, dialect?: string | null): ProviderApprovalNote {
  const cli = provider === "simulator" ? (dialect ?? "claude") : provider;
  const simulated = provider === "simulator" ? " (the simulator imitates it)" : "";
  switch (cli) {
    case "claude":
      return {
        asks: true,
        text: `Claude Code${simulated} asks before each tool call that needs it, and waits for your answer on the card or the notification.`,
      };
    case "codex":
      return {
        asks: false,
        text:
          `Codex${simulated} runs with its own sandbox and approval policy in batch mode: codex exec cannot ask before each tool call, so Maestro cannot approve them one by one ` +
          "(its app-server can; Maestro does not drive it yet). Plan runs it read-only; the other modes let it write inside the project (anywhere, with the sandbox switch on).",
      };
    case "opencode":
      return {
        asks: false,
        text:
          `OpenCode${simulated} runs with its own approval policy in batch mode: opencode run cannot ask (without automatic approval it rejects every request), ` +
          "so Maestro cannot approve its tool calls one by one. Plan runs its read-only plan agent; the other modes approve its tool calls automatically.",
      };
    case "gemini":
      return {
        asks: false,
        text:
          `Gemini CLI${simulated} runs with its own approval policy in batch mode: gemini -p cannot ask, so Maestro cannot approve its tool calls one by one. ` +
          "Plan runs it without edit and shell tools; the other modes run it with -y (every tool call approved).",
      };
    default:
      return { asks: false, text: "This CLI cannot ask before tool calls when Maestro runs it." };
  }
}
