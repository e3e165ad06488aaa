"use client";

import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import type { ChatView } from "@/lib/groupchat/types";
import { IconArrowDown } from "../conversation/icons";
import { ModeratorBubble, ParticipantCard, SystemNotice, UserBubble } from "./chat-messages";

/** Within this many pixels of the end, the view follows new text. */
const NEAR_END = 80;

/**
 * The chat's messages in order: bubbles for the user and the moderator, cards for the
 * participants. It follows the tail while the user is at the end; scrolled up, a "Jump to latest"
 * pill appears instead.
 */
export function ChatTimeline({ view, showAgentLinks, empty }: { view: ChatView; showAgentLinks: boolean; empty: ReactNode }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [atEnd, setAtEnd] = useState(true);
  const following = useRef(true);
  const lastRound = view.rounds[view.rounds.length - 1]?.id ?? null;
  const byAgent = new Map(view.participants.map((p) => [p.agentId, p]));

  // New content: stay at the end when we were there.
  const size = view.messages.reduce((n, m) => n + m.text.length, view.messages.length);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  }, [size, view.activity]);
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const end = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_END;
    following.current = end;
    setAtEnd(end);
  };

  return (
    <div className="relative min-h-0 flex-1">
      <div ref={scroller} onScroll={onScroll} className="h-full overflow-y-auto overscroll-contain" aria-label="Messages" role="log">
        <div className="mx-auto flex w-full max-w-3xl flex-col gap-3 px-3 py-4 sm:px-4">
          {view.messages.length === 0 && empty}
          {view.messages.map((m) => {
            if (m.author === "user") return <UserBubble key={m.id} m={m} />;
            if (m.author === "moderator") return <ModeratorBubble key={m.id} m={m} activity={view.activity[m.id]} />;
            if (m.author === "system") return <SystemNotice key={m.id} m={m} />;
            return (
              <ParticipantCard
                key={m.id}
                m={m}
                participant={m.agentId ? byAgent.get(m.agentId) : undefined}
                activity={view.activity[m.id]}
                defaultOpen={m.roundId === lastRound}
                showAgentLink={showAgentLinks}
              />
            );
          })}
        </div>
      </div>
      {!atEnd && (
        <button
          type="button"
          onClick={() => {
            const el = scroller.current;
            if (el) el.scrollTo({ top: el.scrollHeight, behavior: "smooth" });
          }}
          className="absolute bottom-3 left-1/2 inline-flex min-h-11 -translate-x-1/2 items-center gap-1.5 rounded-full border border-border bg-surface px-4 text-sm font-medium shadow-lg"
        >
          <IconArrowDown className="size-4" />
          Jump to latest
        </button>
      )}
    </div>
  );
}
