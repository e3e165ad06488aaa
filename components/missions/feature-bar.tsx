import type { FeatureStatus } from "@/lib/missions/types";
import { cn } from "../ui/cn";
import { FEATURE_ORDER, FEATURE_STATUS_COLOR, FEATURE_STATUS_LABEL } from "./mission-meta";

/** Done first, then what runs, then what waits: the bar reads left to right as progress. */
const BAR_ORDER: readonly FeatureStatus[] = ["done", "skipped", "review", "in-progress", "failed", "blocked", "pending"];

/** Features by status as one stacked bar with "4 of 6 done" and a legend of the non-zero counts. */
export function FeatureBar({
  counts,
  className,
  legend = true,
}: {
  counts: Record<FeatureStatus, number>;
  className?: string;
  legend?: boolean;
}) {
  const total = FEATURE_ORDER.reduce((n, s) => n + (counts[s] ?? 0), 0);
  const done = (counts.done ?? 0) + (counts.skipped ?? 0);
  const parts = FEATURE_ORDER.filter((s) => (counts[s] ?? 0) > 0);
  return (
    <div className={className}>
      <div className="flex items-center gap-2.5">
        <div
          role="progressbar"
          aria-label="Features done"
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={done}
          aria-valuetext={`${done} of ${total} features done`}
          className="flex h-2 min-w-0 flex-1 overflow-hidden rounded-full bg-surface-2"
        >
          {BAR_ORDER.map((s) =>
            counts[s] ? <div key={s} style={{ width: `${(counts[s] / total) * 100}%`, background: FEATURE_STATUS_COLOR[s] }} /> : null,
          )}
        </div>
        <span className="shrink-0 text-[13px] font-medium text-muted tabular-nums">
          {done}/{total}
        </span>
      </div>
      {legend && parts.length > 0 && (
        <ul className="mt-1.5 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-muted">
          {parts.map((s) => (
            <li key={s} className="inline-flex items-center gap-1">
              <span aria-hidden="true" className={cn("size-2 rounded-full")} style={{ background: FEATURE_STATUS_COLOR[s] }} />
              {counts[s]} {FEATURE_STATUS_LABEL[s].toLowerCase()}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
