"use client";

import { useQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { foldChat } from "@/lib/groupchat/fold";
import type { ChatView, StoredChatEvent } from "@/lib/groupchat/types";
import { useTRPC } from "@/lib/trpc/client";
import { connection } from "../shell/connection-store";

export type ChatStream = "connecting" | "live" | "reconnecting";

/**
 * One chat, live: `get` once, then `onEvent` from its `lastEventId`, each batch folded with
 * `foldChat` once per frame. tRPC resumes a dropped stream from the last tracked id, and the
 * fold skips any id it already has, so every message shows exactly once after a reconnect.
 */
export function useChat(chatId: string): {
  view: ChatView | null;
  error: unknown;
  stream: ChatStream;
} {
  const trpc = useTRPC();
  const first = useQuery(
    trpc.groupchat.get.queryOptions({ chatId }, { staleTime: Infinity, refetchOnWindowFocus: false, refetchOnReconnect: false }),
  );
  const [view, setView] = useState<ChatView | null>(null);
  const current = useRef<ChatView | null>(null);
  const buffer = useRef<StoredChatEvent[]>([]);
  const frame = useRef<number | null>(null);
  const [stream, setStream] = useState<ChatStream>("connecting");

  // The snapshot seeds the view once; from then on the stream is the truth.
  const seed = first.data;
  useEffect(() => {
    if (!seed || current.current) return;
    current.current = seed;
    setView(seed);
  }, [seed]);

  const flush = () => {
    frame.current = null;
    const events = buffer.current;
    buffer.current = [];
    if (!current.current || events.length === 0) return;
    const next = foldChat(current.current, events);
    if (next === current.current) return;
    current.current = next;
    setView(next);
  };
  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  // The resume point is fixed when the subscription starts; tRPC tracks it from then on.
  const startAt = seed?.lastEventId;
  const input = useMemo(
    () => (startAt === undefined ? null : { chatId, lastEventId: startAt > 0 ? String(startAt) : null }),
    [chatId, startAt],
  );

  useSubscription({
    ...trpc.groupchat.onEvent.subscriptionOptions(input ?? { chatId }, { enabled: input !== null }),
    onStarted: () => setStream("live"),
    onData: (envelope) => {
      const batch = envelope.data;
      if (!Array.isArray(batch) || batch.length === 0) return;
      for (const e of batch) buffer.current.push(e);
      if (document.hidden) flush();
      else if (frame.current === null) frame.current = requestAnimationFrame(flush);
    },
    onConnectionStateChange: (state) => {
      if (state.state === "connecting" && state.error) {
        setStream("reconnecting");
        void connection.check();
      } else if (state.state === "pending") setStream("live");
    },
  });

  return { view, error: first.error, stream };
}
