import type { ChatHeader, ChatStatus, MessageStatus, ParticipantView, RoundStatus } from "@/lib/groupchat/types";

/**
 * Participant colours by `colorIndex`: mid-tone hues readable as a dot or a card edge on both
 * the light and the dark theme. The name is always shown beside the colour.
 */
const PALETTE = ["#0ea5e9", "#f97316", "#10b981", "#e11d48", "#8b5cf6", "#ca8a04", "#14b8a6", "#db2777", "#6366f1", "#65a30d"];

export function participantColor(colorIndex: number): string {
  const n = PALETTE.length;
  return PALETTE[((colorIndex % n) + n) % n]!;
}

/** Whether a round runs now (Stop is offered, Send waits). */
export function isRunning(status: ChatStatus): boolean {
  return status === "moderator" || status === "agents" || status === "synthesizing";
}

export const CHAT_STATUS_LABEL: Record<ChatStatus, string> = {
  idle: "Idle",
  moderator: "Moderator thinking",
  agents: "Agents working",
  synthesizing: "Synthesizing",
  stopped: "Stopped",
  failed: "Failed",
};

/** Pill classes per chat status (the text says it too: colour is never the only signal). */
export const CHAT_STATUS_PILL: Record<ChatStatus, string> = {
  idle: "bg-surface-2 text-muted",
  moderator: "bg-busy/14 text-busy",
  agents: "bg-busy/14 text-busy",
  synthesizing: "bg-busy/14 text-busy",
  stopped: "bg-surface-2 text-text",
  failed: "bg-bad/12 text-bad",
};

export const MESSAGE_STATUS_LABEL: Record<MessageStatus, string> = {
  streaming: "Working",
  done: "Done",
  failed: "Failed",
  timeout: "Timed out",
  stopped: "Stopped",
  interrupted: "Interrupted",
};

/** The rounds that end in a way Retry fixes. */
export const RETRYABLE: readonly RoundStatus[] = ["interrupted", "failed", "stopped", "limit"];

/** The names of who works now: participants by colour, the moderator by name. */
export function workingNow(
  chat: Pick<ChatHeader, "working" | "moderatorAgentId" | "moderatorName">,
  participants: readonly ParticipantView[],
): { agentId: string; name: string; color: string | null }[] {
  return chat.working.map((agentId) => {
    const p = participants.find((x) => x.agentId === agentId);
    if (p) return { agentId, name: p.agentName, color: participantColor(p.colorIndex) };
    if (agentId === chat.moderatorAgentId) return { agentId, name: `${chat.moderatorName} (moderator)`, color: null };
    return { agentId, name: "An agent", color: null };
  });
}

/** The status line of a chat in a list: "Agents working: A, B". */
export function statusText(status: ChatStatus, statusDetail: string, workingNames: readonly string[]): string {
  if (status === "agents" && workingNames.length > 0) return `Agents working: ${workingNames.join(", ")}`;
  if (statusDetail && (status === "failed" || status === "stopped")) return `${CHAT_STATUS_LABEL[status]}: ${statusDetail}`;
  return CHAT_STATUS_LABEL[status];
}

/** An agent's conversation on a given tab ("Open in agent"). */
export function agentTabHref(agentId: string, tabId: string | null): string {
  const base = `/agents/${encodeURIComponent(agentId)}`;
  return tabId ? `${base}?tab=${encodeURIComponent(tabId)}` : base;
}
