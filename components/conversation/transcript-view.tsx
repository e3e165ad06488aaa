"use client";

import { elementScroll, useVirtualizer } from "@tanstack/react-virtual";
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { Transcript } from "@/lib/transcript/build";
import { transcriptRows, type TranscriptRow } from "@/lib/transcript/rows";
import { ApprovalCard } from "../approvals/approval-card";
import { cn } from "../ui/cn";
import { IconArrowDown } from "./icons";
import { AssistantText, PromptBubble, RawRow, ThinkingRow, ToolRow } from "./transcript-rows";
import { ErrorCard } from "./transcript-error-card";
import { TurnActions } from "./turn-actions";
import { TurnFooter } from "./turn-footer";

const ESTIMATES: Record<string, number> = { prompt: 84, text: 120, thinking: 44, tool: 52, error: 96, raw: 40, footer: 40, approval: 200 };

function estimate(row: TranscriptRow | undefined): number {
  if (!row) return 60;
  if (row.kind === "item") {
    if (row.item.kind === "text") return Math.min(600, 40 + Math.ceil(row.item.text.length / 70) * 24);
    if (row.item.kind === "tool" && row.item.approval) return 52 + 200;
    return ESTIMATES[row.item.kind] ?? 60;
  }
  return ESTIMATES[row.kind] ?? 60;
}

const Row = memo(function Row({ row }: { row: TranscriptRow }) {
  switch (row.kind) {
    case "prompt":
      return <PromptBubble turn={row.turn} />;
    case "footer":
      return (
        <>
          <TurnFooter turn={row.turn} />
          <TurnActions turn={row.turn} />
        </>
      );
    case "item": {
      const item = row.item;
      switch (item.kind) {
        case "text":
          return <AssistantText item={item} />;
        case "thinking":
          return <ThinkingRow item={item} />;
        case "tool":
          return <ToolRow item={item} />;
        case "error":
          return <ErrorCard item={item} />;
        case "raw":
          return <RawRow item={item} />;
        case "approval":
          return <ApprovalCard approval={item.approval} />;
      }
    }
  }
});

/** Within this many pixels of the end counts as "at the bottom". */
const BOTTOM_SLACK = 48;

const prefersReducedMotion = () => typeof window !== "undefined" && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

/**
 * The conversation: a virtualized list (dynamic row heights) in its own scroll box. It follows
 * the tail while new content streams in; once the user scrolls up it stays put and offers
 * "Jump to latest"; scrolling back to the bottom (or the pill) resumes following.
 */
export function TranscriptView({
  transcript,
  pending,
  empty,
  loading,
  footer,
  header,
}: {
  transcript: Transcript;
  /** Shown above the first row (e.g. "Load earlier messages"). */
  header?: ReactNode;
  /** A prompt sent but not yet in the stream: shown at once, dimmed. */
  pending: { text: string; at: string } | null;
  empty: ReactNode;
  loading: boolean;
  /** Shown under the last row (e.g. the stream's reconnecting note). */
  footer?: ReactNode;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => transcriptRows(transcript), [transcript]);
  const following = useRef(true);
  const [showJump, setShowJump] = useState(false);
  /** When we (or the virtualizer) last moved the scroll position; such moves are not the user's. */
  const ourScrollAt = useRef(0);
  const smoothUntil = useRef(0);
  /** When the user last touched, wheeled, pressed a key or grabbed the scroll bar here. */
  const userAt = useRef(0);
  const touching = useRef(false);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => estimate(rows[i]),
    getItemKey: (i) => rows[i]?.key ?? i,
    overscan: 6,
    // Start at the tail: a conversation opens on its newest rows, so render those first instead
    // of the oldest ones and then jumping.
    initialOffset: () => rows.reduce((sum, row) => sum + estimate(row), 0),
    paddingStart: 4,
    paddingEnd: 8,
    scrollToFn: (offset, options, instance) => {
      ourScrollAt.current = performance.now();
      elementScroll(offset, options, instance);
    },
  });

  const pin = useCallback(() => {
    const el = scrollRef.current;
    if (!el || !following.current) return;
    const bottom = el.scrollHeight - el.clientHeight;
    if (Math.abs(el.scrollTop - bottom) < 1) return;
    ourScrollAt.current = performance.now();
    el.scrollTop = bottom;
  }, []);

  // After every render (new rows, re-measured rows, a pending prompt): stay at the tail.
  useLayoutEffect(pin);

  // The box itself changes size (the composer grows, the keyboard opens), or rows are measured:
  // stay at the tail.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => pin());
    ro.observe(el);
    if (el.firstElementChild) ro.observe(el.firstElementChild);
    return () => ro.disconnect();
  }, [pin]);

  const setFollowing = (v: boolean) => {
    if (following.current === v) return;
    following.current = v;
    setShowJump(!v);
  };

  // Any scroll that leaves the bottom and was not ours — wheel, touch, keys, the scroll bar,
  // focus moving to a row above, find-in-page — means the user is reading: stop following.
  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const now = performance.now();
    const distance = el.scrollHeight - el.scrollTop - el.clientHeight;
    if (distance <= BOTTOM_SLACK) return setFollowing(true);
    if (touching.current || now - userAt.current < 250) return setFollowing(false);
    if (now - ourScrollAt.current < 120 || now < smoothUntil.current) return;
    setFollowing(false);
  };

  const userScroll = () => {
    userAt.current = performance.now();
    smoothUntil.current = 0;
  };

  const jump = () => {
    const el = scrollRef.current;
    following.current = true;
    setShowJump(false);
    if (!el) return;
    if (rows.length > 0) virtualizer.scrollToIndex(rows.length - 1, { align: "end" });
    requestAnimationFrame(() => {
      const smooth = !prefersReducedMotion();
      smoothUntil.current = smooth ? performance.now() + 1200 : 0;
      ourScrollAt.current = performance.now();
      el.scrollTo({ top: el.scrollHeight, behavior: smooth ? "smooth" : "auto" });
    });
  };

  const items = virtualizer.getVirtualItems();
  const hasContent = rows.length > 0 || pending !== null;

  return (
    <div className="relative flex min-h-0 flex-1 flex-col">
      <div
        ref={scrollRef}
        role="region"
        aria-label="Conversation"
        tabIndex={0}
        onScroll={onScroll}
        onWheel={userScroll}
        onKeyDown={userScroll}
        onPointerDown={userScroll}
        onTouchStart={() => {
          touching.current = true;
          userScroll();
        }}
        onTouchEnd={() => {
          touching.current = false;
        }}
        onTouchCancel={() => {
          touching.current = false;
        }}
        className="min-h-0 flex-1 overflow-y-auto overscroll-contain outline-none [overflow-anchor:none] focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-accent"
      >
        <div className="mx-auto flex min-h-full w-full max-w-3xl flex-col px-4 sm:px-6 lg:px-8">
          {!hasContent && !loading && empty}
          {loading && !hasContent && <TranscriptSkeleton />}
          {hasContent && header}
          {rows.length > 0 && (
            <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
              {items.map((v) => {
                const row = rows[v.index];
                if (!row) return null;
                return (
                  <div
                    key={v.key}
                    data-index={v.index}
                    ref={virtualizer.measureElement}
                    className="absolute top-0 left-0 w-full"
                    style={{ transform: `translateY(${v.start}px)` }}
                  >
                    <Row row={row} />
                  </div>
                );
              })}
            </div>
          )}
          {pending && <PromptBubble turn={{ prompt: pending.text, images: 0, startedAt: pending.at }} pending />}
          {footer}
          <div className="h-3" />
        </div>
      </div>
      <div
        className={cn(
          "pointer-events-none absolute inset-x-0 bottom-3 flex justify-center transition-opacity",
          showJump ? "opacity-100" : "opacity-0",
        )}
      >
        {showJump && (
          <button
            type="button"
            onClick={jump}
            className="pointer-events-auto inline-flex min-h-11 animate-pop-in items-center gap-1.5 rounded-full border border-border bg-surface px-4 text-sm font-semibold text-text shadow-lg hover:bg-surface-2"
          >
            <IconArrowDown className="size-4 text-accent" />
            Jump to latest
          </button>
        )}
      </div>
    </div>
  );
}

function TranscriptSkeleton() {
  return (
    <div aria-hidden="true" className="space-y-5 pt-6">
      <div className="ml-auto h-12 w-2/3 rounded-2xl bg-surface-2" />
      <div className="space-y-2">
        <div className="h-4 w-11/12 rounded bg-surface-2" />
        <div className="h-4 w-4/5 rounded bg-surface-2" />
        <div className="h-4 w-2/3 rounded bg-surface-2" />
      </div>
      <div className="h-11 w-full rounded-xl border border-border" />
    </div>
  );
}
