"use client";

import { useEffect, useRef } from "react";
import { isHistoryKind, KIND_NOUNS } from "@/lib/history/kinds";
import { dayLabel, groupByDay } from "@/lib/history/range";
import { formatCost, formatDuration, formatTokens } from "@/lib/transcript/format";
import { IconCheck, IconError } from "../ui/icons";
import { Spinner } from "../conversation/icons";
import type { RouterOutputs } from "../ui/trpc-types";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { formatDate } from "../ui/relative-time";
import { KindIcon } from "./kind-icon";

export type HistoryItem = RouterOutputs["history"]["list"]["items"][number];

export const kindNoun = (kind: string) => (isHistoryKind(kind) ? KIND_NOUNS[kind] : kind);
export const entryTitle = (e: HistoryItem) => e.summary || e.detail.split("\n")[0] || kindNoun(e.kind);
const timeOf = (d: Date) => d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });

/** Succeeded / failed, as an icon and words (colour is never the only signal). */
export function Outcome({ success, className, spelled }: { success: boolean; className?: string; spelled?: boolean }) {
  return success ? (
    <span className={cn("inline-flex items-center gap-1 text-ok", className)}>
      <IconCheck className="size-4" />
      <span className={spelled ? "text-xs font-medium" : "sr-only"}>Succeeded</span>
    </span>
  ) : (
    <span className={cn("inline-flex items-center gap-1 text-bad", className)}>
      <IconError className="size-4" />
      <span className="text-xs font-medium">Failed</span>
    </span>
  );
}

function Entry({ entry, selected, onOpen }: { entry: HistoryItem; selected: boolean; onOpen: () => void }) {
  const tokens = entry.inputTokens + entry.outputTokens;
  return (
    <button
      type="button"
      onClick={onOpen}
      aria-current={selected ? "true" : undefined}
      className={cn(
        "flex w-full gap-3 rounded-xl border px-3 py-3 text-left transition-colors",
        selected ? "border-accent bg-accent/8" : "border-border bg-surface hover:bg-surface-2",
      )}
    >
      <span
        className={cn(
          "mt-0.5 inline-flex size-9 shrink-0 items-center justify-center rounded-xl",
          entry.success ? "bg-surface-2 text-muted" : "bg-bad/10 text-bad",
        )}
      >
        <KindIcon kind={entry.kind} className="size-[18px]" />
      </span>
      <span className="min-w-0 flex-1">
        <span className="flex items-center gap-2 text-xs text-muted">
          <span className="truncate font-medium text-text">{entry.agentName || "No agent"}</span>
          <span className="shrink-0">{kindNoun(entry.kind)}</span>
          <span className="ml-auto shrink-0 tabular-nums">
            <time dateTime={entry.createdAt.toISOString()}>{timeOf(entry.createdAt)}</time>
          </span>
        </span>
        <span className="mt-1 line-clamp-2 text-[15px] leading-snug">{entryTitle(entry)}</span>
        <span className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted tabular-nums">
          <Outcome success={entry.success} />
          {entry.durationMs != null && <span>{formatDuration(entry.durationMs)}</span>}
          {tokens > 0 && <span>{formatTokens(tokens)} tokens</span>}
          {entry.costUsd > 0 && <span>{formatCost(entry.costUsd)}</span>}
        </span>
      </span>
    </button>
  );
}

/** The timeline, grouped by local day; the sentinel at the end loads the next page when it scrolls into view. */
export function HistoryTimeline({
  items,
  selectedId,
  onOpen,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  stale = false,
}: {
  items: HistoryItem[];
  selectedId: string | null;
  onOpen: (e: HistoryItem) => void;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  /** The items are the previous filter's, kept on screen while the new one loads: nothing is said of its end. */
  stale?: boolean;
}) {
  const sentinel = useRef<HTMLDivElement>(null);
  const more = useRef(fetchNextPage);
  more.current = fetchNextPage;
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasNextPage || stale) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && more.current(), { rootMargin: "600px 0px" });
    io.observe(el);
    return () => io.disconnect();
  }, [hasNextPage, items.length, stale]);

  const now = new Date();
  return (
    <div aria-busy={stale || undefined} className={stale ? "opacity-60 transition-opacity" : undefined}>
      {groupByDay(items).map((g) => (
        <section key={g.day} aria-label={dayLabel(g.day, now, formatDate)} className="mb-5">
          <h2 className="sticky top-0 z-10 -mx-1 mb-2 bg-bg/90 px-1 py-1.5 text-sm font-semibold text-muted backdrop-blur">
            {dayLabel(g.day, now, formatDate)}
          </h2>
          <ul className="space-y-2">
            {g.items.map((e) => (
              <li key={e.id}>
                <Entry entry={e} selected={e.id === selectedId} onOpen={() => onOpen(e)} />
              </li>
            ))}
          </ul>
        </section>
      ))}
      <div ref={sentinel} className="flex min-h-11 items-center justify-center py-2 text-sm text-muted">
        {stale || isFetchingNextPage ? (
          <span className="inline-flex items-center gap-2">
            <Spinner className="size-4" /> {stale ? "Updating…" : "Loading older entries…"}
          </span>
        ) : hasNextPage ? (
          <Button variant="ghost" size="sm" onClick={fetchNextPage}>
            Load older entries
          </Button>
        ) : items.length > 0 ? (
          <span>That is everything in this range.</span>
        ) : null}
      </div>
    </div>
  );
}
