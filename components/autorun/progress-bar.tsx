import { cn } from "../ui/cn";

/** "3 of 12" with a bar: the numbers people compare at a glance. */
export function ChecklistProgress({ done, total, className }: { done: number; total: number; className?: string }) {
  const pct = total ? Math.round((done / total) * 100) : 0;
  return (
    <div className={cn("flex items-center gap-2.5", className)}>
      <div
        role="progressbar"
        aria-label="Tasks done"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={`${done} of ${total} tasks done`}
        className="h-1.5 min-w-0 flex-1 overflow-hidden rounded-full bg-surface-2"
      >
        <div className={cn("h-full rounded-full", done === total && total > 0 ? "bg-ok" : "bg-accent")} style={{ width: `${pct}%` }} />
      </div>
      <span className="shrink-0 text-[13px] font-medium text-muted tabular-nums" data-testid="doc-progress">
        {done}/{total}
      </span>
    </div>
  );
}
