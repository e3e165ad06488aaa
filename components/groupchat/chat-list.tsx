"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import type { ChatListItem } from "@/lib/groupchat/types";
import { formatCost, formatTokens } from "@/lib/transcript/format";
import { useTRPC } from "@/lib/trpc/client";
import { connection } from "../shell/connection-store";
import { ListCard, StatusPill } from "../ui/list-card";
import { CHAT_STATUS_PILL, isRunning, statusText } from "./chat-meta";
import { ParticipantDots } from "./participant-dots";

/** The chat list, refreshed whenever any chat changes (and on reconnect). */
export function useChatList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.groupchat.list.queryOptions());
  useSubscription(
    trpc.groupchat.onChange.subscriptionOptions(undefined, {
      onData: () => void queryClient.invalidateQueries(trpc.groupchat.list.queryFilter()),
      onConnectionStateChange: (state) => {
        if (state.state === "connecting" && state.error) void connection.check();
      },
    }),
  );
  return list;
}

const AUTHOR_PREFIX = { user: "You", moderator: null, participant: null, system: null } as const;

function excerpt(m: NonNullable<ChatListItem["lastMessage"]>): string {
  const who = AUTHOR_PREFIX[m.author] ?? m.agentName;
  // Markdown marks read as noise in a one-line excerpt.
  const text = m.text
    .replace(/^\s*(#+|[-*]|\[final\])\s*/gim, "")
    .replace(/[*_`]{1,3}([^*_`]+)[*_`]{1,3}/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
  return who ? `${who}: ${text}` : text;
}

export function ChatRow({ chat, now }: { chat: ChatListItem; now: number }) {
  const running = isRunning(chat.status);
  const workingNames = chat.participants.filter((p) => chat.working.includes(p.agentId)).map((p) => p.name);
  return (
    <ListCard href={`/groupchats/${encodeURIComponent(chat.id)}`} title={chat.name} updatedAt={chat.updatedAt} now={now}>
      <div className="mt-1.5 flex flex-wrap items-center gap-x-2 gap-y-1">
        <StatusPill tone={CHAT_STATUS_PILL[chat.status]} running={running}>
          {statusText(chat.status, chat.statusDetail, workingNames)}
        </StatusPill>
        <ParticipantDots participants={chat.participants} working={chat.working} />
        <span className="text-[13px] text-muted">
          {chat.participants.length} {chat.participants.length === 1 ? "agent" : "agents"} · moderator {chat.moderatorName}
        </span>
      </div>
      {chat.lastMessage && <p className="mt-2 line-clamp-2 text-[15px] leading-snug text-text/85">{excerpt(chat.lastMessage)}</p>}
      <p className="mt-2 text-xs text-muted tabular-nums">
        {formatTokens(chat.totals.inputTokens + chat.totals.outputTokens)} tokens · {formatCost(chat.totals.costUsd)}
      </p>
    </ListCard>
  );
}
