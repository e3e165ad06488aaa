"use client";

import { useId, useState } from "react";
import { formatCost, formatTokens } from "@/lib/transcript/format";
import type { RouterOutputs } from "../ui/trpc-types";
import { cn } from "../ui/cn";

type Stats = RouterOutputs["history"]["stats"];
type Day = Stats["days"][number];
type Metric = "cost" | "tokens";

const shortDay = (day: string) => {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { month: "short", day: "numeric" });
};

const value = (d: { costUsd: number; inputTokens: number; outputTokens: number }, metric: Metric) =>
  metric === "cost" ? d.costUsd : d.inputTokens + d.outputTokens;
const format = (n: number, metric: Metric) => (metric === "cost" ? formatCost(n) : `${formatTokens(n)} tokens`);

/** A hand-rolled bar chart: one bar per day, each with its own accessible label. */
function DayChart({ days, metric, label }: { days: Day[]; metric: Metric; label: string }) {
  const titleId = useId();
  const max = Math.max(...days.map((d) => value(d, metric)), 0);
  const W = 100;
  const H = 40;
  const gap = days.length > 60 ? 0.15 : days.length > 14 ? 0.6 : 1.5;
  const bw = Math.max(0.3, (W - gap * (days.length - 1)) / Math.max(1, days.length));
  return (
    <figure className="mt-4">
      <svg
        role="img"
        aria-labelledby={titleId}
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        className="h-20 w-full overflow-visible sm:h-28"
      >
        <title id={titleId}>{label}</title>
        <line
          x1={0}
          x2={W}
          y1={H - 0.1}
          y2={H - 0.1}
          stroke="currentColor"
          strokeWidth={0.2}
          className="text-border"
          vectorEffect="non-scaling-stroke"
        />
        {days.map((d, i) => {
          const v = value(d, metric);
          const h = max > 0 ? Math.max(v > 0 ? 1 : 0, (v / max) * (H - 2)) : 0;
          return (
            <rect key={d.day} x={i * (bw + gap)} y={H - h} width={bw} height={h} rx={Math.min(0.8, bw / 3)} className="fill-accent">
              <title>{`${shortDay(d.day)}: ${format(v, metric)}, ${d.count} ${d.count === 1 ? "entry" : "entries"}`}</title>
            </rect>
          );
        })}
      </svg>
      {days.length > 0 && (
        <figcaption className="mt-1.5 flex justify-between text-xs text-muted" aria-hidden="true">
          <span>{shortDay(days[0]!.day)}</span>
          {days.length > 1 && <span>{shortDay(days[days.length - 1]!.day)}</span>}
        </figcaption>
      )}
    </figure>
  );
}

function Figure({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium tracking-wide text-muted uppercase">{label}</dt>
      <dd className="mt-0.5 truncate text-xl font-semibold tabular-nums">{children}</dd>
    </div>
  );
}

/** Totals for the range (tokens, cost, count, success), a per-day chart, and each agent's share. */
export function HistoryTotals({
  stats,
  rangeLabel,
  onPickAgent,
}: {
  stats: Stats | undefined;
  rangeLabel: string;
  onPickAgent: (agentId: string) => void;
}) {
  const [metric, setMetric] = useState<Metric>("cost");
  const headingId = useId();
  if (!stats) return <div aria-hidden="true" className="h-64 rounded-2xl border border-border bg-surface" />;
  const t = stats.total;
  const agentMax = Math.max(...stats.agents.map((a) => value(a, metric)), 0);
  return (
    <section aria-labelledby={headingId} className="rounded-2xl border border-border bg-surface p-4 sm:p-5">
      <div className="flex items-center gap-3">
        <h2 id={headingId} className="min-w-0 flex-1 text-base font-semibold">
          Totals · {rangeLabel}
        </h2>
        <div role="group" aria-label="Chart shows" className="flex rounded-lg border border-border p-0.5 text-sm">
          {(["cost", "tokens"] as const).map((m) => (
            <button
              key={m}
              type="button"
              aria-pressed={metric === m}
              onClick={() => setMetric(m)}
              className={cn(
                "min-h-11 rounded-md px-3 font-medium lg:min-h-9",
                metric === m ? "bg-accent/12 text-accent" : "text-muted hover:text-text",
              )}
            >
              {m === "cost" ? "Cost" : "Tokens"}
            </button>
          ))}
        </div>
      </div>
      <dl className="mt-3 grid grid-cols-3 gap-3">
        <Figure label="Cost">{formatCost(t.costUsd)}</Figure>
        <Figure label="Tokens">
          <span title={`${t.inputTokens.toLocaleString()} in, ${t.outputTokens.toLocaleString()} out`}>
            {formatTokens(t.inputTokens + t.outputTokens)}
          </span>
        </Figure>
        <Figure label="Entries">
          {t.count}
          {t.count > 0 && <span className="ml-1.5 text-sm font-normal text-muted">{Math.round(t.successRate * 100)}% ok</span>}
        </Figure>
      </dl>
      <DayChart
        days={stats.days}
        metric={metric}
        label={`${metric === "cost" ? "Cost" : "Tokens"} per day, ${rangeLabel}: ${format(value(t, metric), metric)} in total`}
      />
      {stats.agents.length > 0 && (
        <ul aria-label="Totals per agent" className="mt-4 space-y-1 border-t border-border pt-3">
          {stats.agents.map((a) => (
            <li key={a.agentId ?? "none"}>
              <button
                type="button"
                disabled={!a.agentId}
                onClick={() => a.agentId && onPickAgent(a.agentId)}
                aria-label={`${a.agentName || "No agent"}: ${formatCost(a.costUsd)}, ${formatTokens(a.inputTokens + a.outputTokens)} tokens, ${a.count} entries — show only this agent`}
                className="grid min-h-11 w-full grid-cols-[minmax(0,1fr)_auto] items-center gap-x-3 rounded-lg px-2 text-left hover:bg-surface-2 disabled:hover:bg-transparent lg:min-h-9"
              >
                <span className="truncate text-sm font-medium">{a.agentName || "No agent"}</span>
                <span className="text-right text-sm text-muted tabular-nums">
                  {formatCost(a.costUsd)} · {formatTokens(a.inputTokens + a.outputTokens)} · {a.count}
                </span>
                <span aria-hidden="true" className="col-span-2 mb-1 h-1.5 overflow-hidden rounded-full bg-surface-2">
                  <span
                    className="block h-full rounded-full bg-accent/70"
                    style={{ width: `${agentMax > 0 ? (value(a, metric) / agentMax) * 100 : 0}%` }}
                  />
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
