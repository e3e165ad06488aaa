"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import Link from "next/link";
import type { ChatListItem } from "@/lib/groupchat/types";
import { formatCost, formatTokens } from "@/lib/transcript/format";
import { useTRPC } from "@/lib/trpc/client";
import { connection } from "../shell/connection-store";
import { cn } from "../ui/cn";
import { FormError } from "../ui/field";
import { relativeTime } from "../ui/relative-time";
import { readError } from "../ui/trpc-error";
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
    <li>
      <Link
        href={`/groupchats/${encodeURIComponent(chat.id)}`}
        className="block rounded-2xl border border-border bg-surface p-4 shadow-sm transition-colors hover:border-muted/50 active:bg-surface-2"
      >
        <div className="flex items-center gap-2">
          <h2 className="min-w-0 flex-1 truncate text-[17px] font-semibold tracking-tight">{chat.name}</h2>
          <span className="shrink-0 text-xs text-muted">{relativeTime(chat.updatedAt, now)}</span>
        </div>
        <div className="mt-1.5 flex flex-wrap items-center gap-x-2 gap-y-1">
          <span
            className={cn(
              "inline-flex max-w-full items-center gap-1.5 truncate rounded-full px-2.5 py-0.5 text-[13px] leading-5 font-semibold",
              CHAT_STATUS_PILL[chat.status],
            )}
          >
            {running && <span aria-hidden="true" className="size-1.5 shrink-0 rounded-full bg-busy motion-safe:animate-pulse" />}
            <span className="truncate">{statusText(chat.status, chat.statusDetail, workingNames)}</span>
          </span>
          <ParticipantDots participants={chat.participants} working={chat.working} />
          <span className="text-[13px] text-muted">
            {chat.participants.length} {chat.participants.length === 1 ? "agent" : "agents"} · moderator {chat.moderatorName}
          </span>
        </div>
        {chat.lastMessage && <p className="mt-2 line-clamp-2 text-[15px] leading-snug text-text/85">{excerpt(chat.lastMessage)}</p>}
        <p className="mt-2 text-xs text-muted tabular-nums">
          {formatTokens(chat.totals.inputTokens + chat.totals.outputTokens)} tokens · {formatCost(chat.totals.costUsd)}
        </p>
      </Link>
    </li>
  );
}

export function ChatListError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const e = readError(error);
  return (
    <FormError hint={e.hint} className="max-w-xl">
      {e.message}{" "}
      <button type="button" onClick={onRetry} className="font-semibold text-accent underline-offset-2 hover:underline">
        Try again
      </button>
    </FormError>
  );
}
