"use client";

import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useMemo, useState } from "react";
import { HistoryDetail } from "@/components/history/detail";
import { HistoryFilterBar, NO_FILTERS, type HistoryFilters } from "@/components/history/filters";
import { HistoryTimeline, type HistoryItem } from "@/components/history/timeline";
import { HistoryTotals } from "@/components/history/totals";
import { useDebounced, useMedia } from "@/components/history/use-media";
import { IconHistory } from "@/components/ui/icons";
import { PageHeader, pageX } from "@/components/ui/page-header";
import { readError } from "@/components/ui/trpc-error";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { usePageTitle } from "@/components/ui/use-page-title";
import { RANGE_LABELS, rangeStart } from "@/lib/history/range";
import { useTRPC } from "@/lib/trpc/client";

export default function HistoryPage() {
  usePageTitle("History");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isDesktop = useMedia("(min-width: 1024px)");
  const [filters, setFilters] = useState<HistoryFilters>(NO_FILTERS);
  const text = useDebounced(filters.text.trim(), 300);
  const [selected, setSelected] = useState<HistoryItem | null>(null);

  // The range start is fixed when the range is picked, so the query key stays put while scrolling.
  const from = useMemo(() => rangeStart(filters.range, new Date()), [filters.range]);
  const listInput = {
    agentId: filters.agentId ?? undefined,
    kinds: filters.kinds.length ? filters.kinds : undefined,
    success: filters.outcome === "all" ? undefined : filters.outcome === "ok",
    from,
    text: text || undefined,
    limit: 30,
  };
  const timeline = useInfiniteQuery(
    trpc.history.list.infiniteQueryOptions(listInput, { getNextPageParam: (last) => last.nextCursor, placeholderData: keepPreviousData }),
  );
  const stats = useQuery(
    trpc.history.stats.queryOptions(
      { agentId: listInput.agentId, from, tzOffsetMinutes: -new Date().getTimezoneOffset() },
      { placeholderData: keepPreviousData },
    ),
  );
  const agents = useQuery(trpc.history.agents.queryOptions());

  // New entries (a turn just ended, an Auto Run task finished) refresh the page live.
  const refresh = () => void queryClient.invalidateQueries(trpc.history.pathFilter());
  useSubscription(trpc.history.onChange.subscriptionOptions(undefined, { onData: refresh }));

  const items = useMemo(() => timeline.data?.pages.flatMap((p) => p.items) ?? [], [timeline.data]);
  const filtered = filters.kinds.length > 0 || filters.agentId || filters.outcome !== "all" || !!text;
  const empty = timeline.isSuccess && items.length === 0;

  return (
    <>
      <PageHeader title="History" subtitle="What your agents did, newest first." />
      <div className={`${pageX} space-y-4`}>
        <HistoryFilterBar value={filters} onChange={setFilters} agents={agents.data ?? []} isDesktop={isDesktop} />
        <div className="lg:grid lg:grid-cols-[minmax(0,1fr)_24rem] lg:items-start lg:gap-6">
          <div className="min-w-0 space-y-4">
            {!isDesktop && (
              <HistoryTotals
                stats={stats.data}
                rangeLabel={RANGE_LABELS[filters.range]}
                onPickAgent={(agentId) => setFilters({ ...filters, agentId })}
              />
            )}
            {timeline.error && (
              <FormError>
                Couldn&apos;t load History: {readError(timeline.error).message}{" "}
                <Button size="sm" onClick={() => void timeline.refetch()}>
                  Retry
                </Button>
              </FormError>
            )}
            {timeline.isPending && (
              // Entry-shaped placeholders while the first page loads, so nothing jumps when it arrives.
              <ul aria-hidden="true" className="space-y-2">
                {[0, 1, 2, 3].map((i) => (
                  <li key={i} className="flex gap-3 rounded-xl border border-border bg-surface px-3 py-3">
                    <div className="size-9 shrink-0 rounded-xl bg-surface-2" />
                    <div className="flex-1 space-y-2 pt-0.5">
                      <div className="h-3 w-1/3 rounded bg-surface-2" />
                      <div className="h-4 w-4/5 rounded bg-surface-2" />
                      <div className="h-3 w-1/4 rounded bg-surface-2" />
                    </div>
                  </li>
                ))}
              </ul>
            )}
            {empty ? (
              <div className="rounded-2xl border border-border bg-surface p-6 text-center">
                <IconHistory className="mx-auto size-8 text-muted" />
                {filtered || (agents.data?.length ?? 0) > 0 ? (
                  <>
                    <h2 className="mt-3 font-semibold">Nothing matches</h2>
                    <p className="mt-1 text-[15px] text-muted">
                      No entries for these filters in {RANGE_LABELS[filters.range].toLowerCase()}.
                    </p>
                    <Button className="mt-4" onClick={() => setFilters({ ...NO_FILTERS, range: "all" })}>
                      Show everything
                    </Button>
                  </>
                ) : (
                  <>
                    <h2 className="mt-3 font-semibold">Nothing recorded yet</h2>
                    <p className="mt-1 text-[15px] text-muted">
                      Every prompt you send, each Auto Run task, loop and run shows up here, with a link back to its session.
                    </p>
                  </>
                )}
              </div>
            ) : (
              <HistoryTimeline
                items={items}
                selectedId={selected?.id ?? null}
                onOpen={setSelected}
                hasNextPage={!!timeline.hasNextPage}
                isFetchingNextPage={timeline.isFetchingNextPage}
                fetchNextPage={() => void timeline.fetchNextPage()}
                stale={timeline.isPlaceholderData}
              />
            )}
          </div>
          {isDesktop && (
            <div className="sticky top-6 max-h-[calc(100dvh-3rem)] space-y-4 overflow-y-auto">
              {/* The open entry comes first, so it is in view without scrolling the side column. */}
              {selected && <HistoryDetail entry={selected} onClose={() => setSelected(null)} asPanel />}
              <HistoryTotals
                stats={stats.data}
                rangeLabel={RANGE_LABELS[filters.range]}
                onPickAgent={(agentId) => setFilters({ ...filters, agentId })}
              />
              {!selected && <HistoryDetail entry={null} onClose={() => setSelected(null)} asPanel />}
            </div>
          )}
        </div>
      </div>
      {!isDesktop && <HistoryDetail entry={selected} onClose={() => setSelected(null)} asPanel={false} />}
    </>
  );
}
