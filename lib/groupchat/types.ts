// Group chat vocabulary shared by the bridge and the app: the views a client shows and the
// stream events it folds into them. No zod here (the app's bundles import it).

/** Where a chat stands. "moderator": the moderator's first turn of a round; "agents": participants work; "synthesizing": the moderator reads their answers. */
export const CHAT_STATUSES = ["idle", "moderator", "agents", "synthesizing", "stopped", "failed"] as const;
export type ChatStatus = (typeof CHAT_STATUSES)[number];

export type MessageAuthor = "user" | "moderator" | "participant" | "system";
/**
 * user: request · moderator: delegation (has mentions), answer (final, no mention), synthesis
 * (after participants answered: final or a further delegation), retry (the correction asked
 * after a delegation without a mention) · participant: response · system: notice.
 */
export type MessageKind = "request" | "delegation" | "answer" | "synthesis" | "retry" | "response" | "notice";
export type MessageStatus = "streaming" | "done" | "failed" | "timeout" | "stopped" | "interrupted";
export type RoundStatus = "running" | "done" | "stopped" | "failed" | "interrupted" | "limit";

export interface ChatMessageView {
  id: string;
  roundId: string | null;
  author: MessageAuthor;
  agentId: string | null;
  agentName: string;
  turnId: string | null;
  tabId: string | null;
  kind: MessageKind;
  status: MessageStatus;
  text: string;
  /** Participant names this message mentions (validated against the participants when written). */
  mentions: string[];
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMs: number | null;
  error: string | null;
  /** ISO times. */
  createdAt: string;
  endedAt: string | null;
}

export interface ParticipantView {
  id: string;
  agentId: string;
  /** The agent's name as the chat writes it in a mention (spaces as hyphens: `mentionName`). */
  name: string;
  /** The agent's display name. */
  agentName: string;
  provider: string;
  folder: string;
  role: string;
  colorIndex: number;
  /** The agent's tab holding this chat's session ("open in agent"), once made. */
  tabId: string | null;
}

export interface RoundView {
  id: string;
  index: number;
  status: RoundStatus;
  moderatorTurns: number;
  error: string | null;
  startedAt: string;
  endedAt: string | null;
}

export interface ChatTotals {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMs: number;
}

export interface ChatHeader {
  id: string;
  name: string;
  moderatorAgentId: string;
  moderatorName: string;
  moderatorProvider: string;
  moderatorTabId: string | null;
  status: ChatStatus;
  statusDetail: string;
  /** Agent ids working right now (the moderator's included while it thinks). */
  working: string[];
  participantTimeoutMs: number;
  roundLimit: number;
  totals: ChatTotals;
  createdAt: string;
  updatedAt: string;
}

/** One event of a chat's stream. A client folds them, in id order, into its `ChatView`. */
export type ChatEvent =
  /** The header changed (status, working, name, settings, totals). */
  | { type: "chat"; chat: ChatHeader }
  /** The participant list, whole, after any add, remove or role change. */
  | { type: "participants"; participants: ParticipantView[] }
  /** A round began or changed. */
  | { type: "round"; round: RoundView }
  /** A message, whole: new, or replacing the one with its id (its end, its status). */
  | { type: "message"; message: ChatMessageView }
  /** Text appended to a streaming message. */
  | { type: "delta"; messageId: string; text: string }
  /** What a streaming message's agent does now (a tool call in one line), until its next delta or end. */
  | { type: "activity"; messageId: string; text: string };

export type StoredChatEvent = ChatEvent & { id: number };

/** A chat as a client shows it; `lastEventId` is where its stream resumes. */
export interface ChatView {
  chat: ChatHeader;
  participants: ParticipantView[];
  rounds: RoundView[];
  messages: ChatMessageView[];
  /** The last activity line of each streaming message. */
  activity: Record<string, string>;
  lastEventId: number;
}

export interface ChatListItem {
  id: string;
  name: string;
  status: ChatStatus;
  statusDetail: string;
  moderatorName: string;
  participants: { agentId: string; name: string; colorIndex: number }[];
  working: string[];
  lastMessage: { author: MessageAuthor; agentName: string; text: string; createdAt: string } | null;
  totals: ChatTotals;
  updatedAt: string;
}
