import type { GroupChat, GroupChatMessage, GroupChatParticipant, GroupChatRound } from "../../../generated/prisma/client.ts";
import { mentionName } from "../../../lib/groupchat/mentions";
import type {
  ChatHeader,
  ChatMessageView,
  ChatStatus,
  ChatTotals,
  MessageAuthor,
  MessageKind,
  MessageStatus,
  ParticipantView,
  RoundStatus,
  RoundView,
} from "../../../lib/groupchat/types";

/** A participant row with the agent fields its view shows. */
export type ParticipantRow = GroupChatParticipant & { agent: { name: string; provider: string; folder: string } };

export const participantInclude = { agent: { select: { name: true, provider: true, folder: true } } } as const;

function mentionsOf(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export function messageView(m: GroupChatMessage): ChatMessageView {
  return {
    id: m.id,
    roundId: m.roundId,
    author: m.author as MessageAuthor,
    agentId: m.agentId,
    agentName: m.agentName,
    turnId: m.turnId,
    tabId: m.tabId,
    kind: m.kind as MessageKind,
    status: m.status as MessageStatus,
    text: m.text,
    mentions: mentionsOf(m.mentionsJson),
    inputTokens: m.inputTokens,
    outputTokens: m.outputTokens,
    costUsd: m.costUsd,
    durationMs: m.durationMs,
    error: m.error,
    createdAt: m.createdAt.toISOString(),
    endedAt: m.endedAt?.toISOString() ?? null,
  };
}

export function participantView(p: ParticipantRow): ParticipantView {
  return {
    id: p.id,
    agentId: p.agentId,
    name: mentionName(p.agent.name),
    agentName: p.agent.name,
    provider: p.agent.provider,
    folder: p.agent.folder,
    role: p.role,
    colorIndex: p.colorIndex,
    tabId: p.tabId,
  };
}

export function roundView(r: GroupChatRound): RoundView {
  return {
    id: r.id,
    index: r.index,
    status: r.status as RoundStatus,
    moderatorTurns: r.moderatorTurns,
    error: r.error,
    startedAt: r.startedAt.toISOString(),
    endedAt: r.endedAt?.toISOString() ?? null,
  };
}

export function headerView(
  chat: GroupChat,
  moderator: { name: string; provider: string } | null,
  totals: ChatTotals,
  working: readonly string[],
): ChatHeader {
  return {
    id: chat.id,
    name: chat.name,
    moderatorAgentId: chat.moderatorAgentId,
    moderatorName: moderator?.name ?? "(removed agent)",
    moderatorProvider: moderator?.provider ?? "",
    moderatorTabId: chat.moderatorTabId,
    status: chat.status as ChatStatus,
    statusDetail: chat.statusDetail,
    working: [...working],
    participantTimeoutMs: chat.participantTimeoutMs,
    roundLimit: chat.roundLimit,
    totals,
    createdAt: chat.createdAt.toISOString(),
    updatedAt: chat.updatedAt.toISOString(),
  };
}

/** A message's share of the chat's totals. */
export type MessageCost = Pick<GroupChatMessage, "inputTokens" | "outputTokens" | "costUsd" | "durationMs">;

export function addTotals(sum: ChatTotals, m: MessageCost): ChatTotals {
  return {
    inputTokens: sum.inputTokens + m.inputTokens,
    outputTokens: sum.outputTokens + m.outputTokens,
    costUsd: sum.costUsd + m.costUsd,
    durationMs: sum.durationMs + (m.durationMs ?? 0),
  };
}

export const NO_TOTALS: ChatTotals = { inputTokens: 0, outputTokens: 0, costUsd: 0, durationMs: 0 };
