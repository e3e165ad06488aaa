"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { categoriesOf, filterEntries, type ExchangeCatalogue } from "@/lib/autorun/exchange";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { FormError, Hint, Input } from "../ui/field";
import { IconOffline, IconRefresh, IconSearch } from "../ui/icons";
import { formatDateTime, relativeTime } from "../ui/relative-time";
import { readError } from "../ui/trpc-error";
import { ExchangeDetail } from "./exchange-detail";
import { plural, PlaybookChoiceButton } from "./playbook-choice";

/**
 * The Playbook Exchange: the registry's playbooks and the local manifest's, by category and
 * search. Phone: the list, then a playbook full width; desktop: the grid with the playbook in a
 * panel beside it. `entry` is the open playbook (from the URL), `agentId` the agent to import to.
 */
export function ExchangeBrowser({
  entry,
  agentId,
  onOpen,
}: {
  entry: string | null;
  agentId: string | null;
  onOpen: (key: string | null) => void;
}) {
  const trpc = useTRPC();
  const catalogue = useQuery(trpc.exchange.catalogue.queryOptions(undefined, { staleTime: 5 * 60_000, refetchOnWindowFocus: false }));
  const [category, setCategory] = useState<string | null>(null);
  const [query, setQuery] = useState("");
  const searchId = useId();
  const data = catalogue.data;
  const categories = useMemo(() => categoriesOf(data?.entries ?? []), [data]);
  const shown = useMemo(() => filterEntries(data?.entries ?? [], { category, query }), [data, category, query]);
  const open = data?.entries.find((e) => e.key === entry) ?? null;

  return (
    <div className="lg:grid lg:grid-cols-[minmax(0,1fr)_minmax(0,30rem)] lg:gap-8">
      <div className={cn("min-w-0 space-y-4", entry && "max-lg:hidden")}>
        {catalogue.error && <FormError hint={readError(catalogue.error).hint}>{readError(catalogue.error).message}</FormError>}
        {data && <CatalogueStatus catalogue={data} refreshing={catalogue.isFetching} onRefresh={() => void catalogue.refetch()} />}
        <div>
          <label htmlFor={searchId} className="sr-only">
            Search playbooks
          </label>
          <div className="relative">
            <IconSearch className="pointer-events-none absolute top-1/2 left-3 size-5 -translate-y-1/2 text-muted" />
            <Input
              id={searchId}
              type="search"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              placeholder="Search playbooks"
              className="pl-10"
              autoComplete="off"
            />
          </div>
        </div>
        {categories.length > 0 && (
          <div role="group" aria-label="Categories" className="-mx-4 flex gap-2 overflow-x-auto px-4 pb-1 sm:mx-0 sm:flex-wrap sm:px-0">
            <Chip label="All" count={data?.entries.length ?? 0} on={category === null} onClick={() => setCategory(null)} />
            {categories.map((c) => (
              <Chip key={c.name} label={c.name} count={c.count} on={category === c.name} onClick={() => setCategory(c.name)} />
            ))}
          </div>
        )}
        {catalogue.isPending && (
          <div aria-hidden="true" className="grid gap-3 sm:grid-cols-2">
            {[0, 1, 2, 3].map((i) => (
              <div key={i} className="h-28 rounded-2xl border border-border bg-surface" />
            ))}
          </div>
        )}
        {data && shown.length > 0 && (
          <ul aria-label="Playbooks" className="grid gap-3 sm:grid-cols-2">
            {shown.map((e) => (
              <li key={e.key}>
                <PlaybookChoiceButton
                  choice={e}
                  onClick={() => onOpen(e.key)}
                  selected={e.key === entry}
                  badge={e.source === "local" ? "Local" : undefined}
                  className="h-full"
                />
              </li>
            ))}
          </ul>
        )}
        {data && shown.length === 0 && (
          <p className="rounded-2xl border border-dashed border-border px-4 py-8 text-center text-[15px] text-muted">
            {data.entries.length === 0
              ? "No playbooks to show. Add your own to local-manifest.json in Maestro's data directory."
              : `No playbook matches${query ? ` “${query}”` : ""}${category ? ` in ${category}` : ""}.`}
          </p>
        )}
        {data && data.skipped.length > 0 && (
          <Hint>
            Left out ({data.skipped.length}): {data.skipped.join("; ")}
          </Hint>
        )}
      </div>
      <div className={cn("min-w-0", !entry && "max-lg:hidden")}>
        <div className="lg:sticky lg:top-6">
          {open ? (
            <ExchangeDetail key={open.key} entry={open} agentId={agentId} onBack={() => onOpen(null)} />
          ) : entry && data ? (
            <div className="space-y-3">
              <FormError>“{entry}” is not in the catalogue any more.</FormError>
              <Button variant="secondary" onClick={() => onOpen(null)}>
                Back to the Exchange
              </Button>
            </div>
          ) : (
            <div className="flex min-h-64 items-center justify-center rounded-2xl border border-dashed border-border px-6 text-center text-sm text-muted max-lg:hidden">
              Pick a playbook to read its README and import it.
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

function Chip({ label, count, on, onClick }: { label: string; count: number; on: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      aria-pressed={on}
      onClick={onClick}
      className={cn(
        "inline-flex min-h-11 shrink-0 items-center gap-1.5 rounded-full border px-4 text-sm font-medium whitespace-nowrap lg:min-h-9",
        on ? "border-accent bg-accent text-accent-fg" : "border-border bg-surface text-text hover:bg-surface-2",
      )}
    >
      {label}
      <span className={cn("text-xs", on ? "opacity-80" : "text-muted")}>{count}</span>
    </button>
  );
}

/** Where the catalogue came from: live, the last good copy (offline), or nothing but the local manifest. */
function CatalogueStatus({
  catalogue,
  refreshing,
  onRefresh,
}: {
  catalogue: ExchangeCatalogue;
  refreshing: boolean;
  onRefresh: () => void;
}) {
  const { official, local } = catalogue;
  const refresh = (
    <Button size="sm" variant="ghost" onClick={onRefresh} disabled={refreshing} aria-label="Refresh the catalogue">
      <IconRefresh className={cn("size-4", refreshing && "motion-safe:animate-spin")} /> {refreshing ? "Refreshing…" : "Refresh"}
    </Button>
  );
  return (
    <div className="space-y-2">
      {official.state === "live" ? (
        <div className="flex min-h-11 items-center gap-2 text-sm text-muted">
          <p className="min-w-0 flex-1">
            {plural(catalogue.entries.length, "playbook")}
            {official.fetchedAt && ` · updated ${relativeTime(official.fetchedAt)}`}
          </p>
          {refresh}
        </div>
      ) : (
        <div role="status" className="flex items-start gap-2.5 rounded-xl border border-busy/40 bg-busy/10 px-3.5 py-2.5 text-sm">
          <IconOffline className="mt-0.5 size-4 shrink-0 text-busy" />
          <p className="min-w-0 flex-1 pt-px">
            {official.state === "cached" ? (
              <>
                <span className="font-medium">Offline — showing the catalogue from {formatDateTime(official.fetchedAt!)}.</span>{" "}
                <span className="text-muted">The Exchange did not answer ({official.error}).</span>
              </>
            ) : (
              <span className="font-medium">
                The Playbook Exchange is unreachable ({official.error}). Your local-manifest.json still works.
              </span>
            )}
          </p>
          <div className="-my-1.5 shrink-0">{refresh}</div>
        </div>
      )}
      {local.error && (
        <FormError hint="Fix the file in Maestro's data directory; the Exchange's own playbooks still list.">{local.error}</FormError>
      )}
    </div>
  );
}
