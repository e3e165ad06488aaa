"use client";

import { useId, useState } from "react";
import { HISTORY_KINDS, KIND_LABELS, type HistoryKind } from "@/lib/history/kinds";
import { RANGE_LABELS, RANGE_PRESETS, type RangePreset } from "@/lib/history/range";
import { IconSearch, IconX } from "../ui/icons";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { inputClass, Select } from "../ui/field";
import { KindIcon } from "./kind-icon";

export type Outcome = "all" | "ok" | "failed";

export interface HistoryFilters {
  agentId: string | null;
  kinds: HistoryKind[];
  outcome: Outcome;
  range: RangePreset;
  text: string;
}

export const NO_FILTERS: HistoryFilters = { agentId: null, kinds: [], outcome: "all", range: "30d", text: "" };

/** How many filters narrow the timeline beyond the defaults (for the phone's "Filters (2)"). */
export function activeFilterCount(f: HistoryFilters): number {
  return (f.agentId ? 1 : 0) + (f.kinds.length ? 1 : 0) + (f.outcome !== "all" ? 1 : 0) + (f.range !== NO_FILTERS.range ? 1 : 0);
}

const OUTCOMES: { id: Outcome; label: string }[] = [
  { id: "all", label: "Any outcome" },
  { id: "ok", label: "Succeeded" },
  { id: "failed", label: "Failed" },
];

const chip = (on: boolean) =>
  cn(
    "inline-flex min-h-11 items-center gap-1.5 rounded-full border px-3.5 text-sm font-medium transition-colors lg:min-h-9",
    on ? "border-accent bg-accent/12 text-accent" : "border-border bg-surface text-text hover:bg-surface-2",
  );

type Agents = { agentId: string; agentName: string }[];

/** Agent, kind chips, outcome and range: inline on desktop, inside a sheet on the phone. */
function FilterControls({ value, onChange, agents }: { value: HistoryFilters; onChange: (f: HistoryFilters) => void; agents: Agents }) {
  const agentId = useId();
  const set = (patch: Partial<HistoryFilters>) => onChange({ ...value, ...patch });
  const toggleKind = (k: HistoryKind) => set({ kinds: value.kinds.includes(k) ? value.kinds.filter((x) => x !== k) : [...value.kinds, k] });
  return (
    <div className="flex flex-col gap-4 lg:flex-row lg:flex-wrap lg:items-center lg:gap-x-6 lg:gap-y-3">
      <div className="lg:w-52">
        <label htmlFor={agentId} className="mb-1.5 block text-sm font-medium lg:sr-only">
          Agent
        </label>
        <Select
          id={agentId}
          value={value.agentId ?? ""}
          onChange={(e) => set({ agentId: e.target.value || null })}
          className="lg:min-h-9 lg:text-sm"
        >
          <option value="">All agents</option>
          {agents.map((a) => (
            <option key={a.agentId} value={a.agentId}>
              {a.agentName || "Unnamed agent"}
            </option>
          ))}
        </Select>
      </div>
      <fieldset>
        <legend className="mb-1.5 text-sm font-medium lg:sr-only">Kind</legend>
        <div className="flex flex-wrap gap-2">
          {HISTORY_KINDS.map((k) => (
            <button
              key={k}
              type="button"
              aria-pressed={value.kinds.includes(k)}
              onClick={() => toggleKind(k)}
              className={chip(value.kinds.includes(k))}
            >
              <KindIcon kind={k} className="size-4" />
              {KIND_LABELS[k]}
            </button>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend className="mb-1.5 text-sm font-medium lg:sr-only">Outcome</legend>
        <div className="flex flex-wrap gap-2">
          {OUTCOMES.map((o) => (
            <button
              key={o.id}
              type="button"
              aria-pressed={value.outcome === o.id}
              onClick={() => set({ outcome: o.id })}
              className={chip(value.outcome === o.id)}
            >
              {o.label}
            </button>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend className="mb-1.5 text-sm font-medium lg:sr-only">Date range</legend>
        <div className="flex flex-wrap gap-2">
          {RANGE_PRESETS.map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={value.range === r}
              onClick={() => set({ range: r })}
              className={chip(value.range === r)}
            >
              {RANGE_LABELS[r]}
            </button>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

/** The filter bar: a search field always; the other filters inline (desktop) or in a sheet (phone). */
export function HistoryFilterBar({
  value,
  onChange,
  agents,
  isDesktop,
}: {
  value: HistoryFilters;
  onChange: (f: HistoryFilters) => void;
  agents: Agents;
  isDesktop: boolean;
}) {
  const [sheet, setSheet] = useState(false);
  const searchId = useId();
  const count = activeFilterCount(value);
  return (
    <div className="space-y-3">
      <div className="flex items-center gap-2">
        <div className="relative min-w-0 flex-1">
          <label htmlFor={searchId} className="sr-only">
            Search History
          </label>
          <IconSearch className="pointer-events-none absolute top-1/2 left-3 size-5 -translate-y-1/2 text-muted" />
          <input
            id={searchId}
            type="search"
            value={value.text}
            onChange={(e) => onChange({ ...value, text: e.target.value })}
            placeholder="Search History"
            className={cn(inputClass, "pl-10")}
            maxLength={200}
          />
        </div>
        {!isDesktop && (
          <Button onClick={() => setSheet(true)} aria-haspopup="dialog">
            Filters{count > 0 ? ` (${count})` : ""}
          </Button>
        )}
        {count > 0 && (
          <Button
            variant="ghost"
            size={isDesktop ? "sm" : "icon"}
            onClick={() => onChange({ ...NO_FILTERS, text: value.text })}
            aria-label="Clear filters"
          >
            <IconX className="size-5" />
            {isDesktop && "Clear filters"}
          </Button>
        )}
      </div>
      {isDesktop && <FilterControls value={value} onChange={onChange} agents={agents} />}
      {!isDesktop && (
        <Dialog open={sheet} onClose={() => setSheet(false)} title="Filters" variant="sheet">
          <DialogBody>
            <FilterControls value={value} onChange={onChange} agents={agents} />
          </DialogBody>
          <DialogFooter>
            <Button variant="primary" onClick={() => setSheet(false)}>
              Show results
            </Button>
          </DialogFooter>
        </Dialog>
      )}
    </div>
  );
}
