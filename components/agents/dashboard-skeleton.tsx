/** Placeholder cards while the first list loads (same shape, no spinner). */
export function DashboardSkeleton() {
  return (
    <div aria-hidden="true" className="grid grid-cols-1 gap-3 md:grid-cols-2 2xl:grid-cols-3">
      {[0, 1, 2].map((i) => (
        <div key={i} className="flex gap-3.5 rounded-2xl border border-border bg-surface p-4">
          <div className="size-11 shrink-0 rounded-xl bg-surface-2" />
          <div className="flex-1 space-y-2.5 pt-1">
            <div className="h-4 w-2/5 rounded bg-surface-2" />
            <div className="h-3.5 w-1/3 rounded bg-surface-2" />
            <div className="h-3 w-4/5 rounded bg-surface-2" />
          </div>
        </div>
      ))}
    </div>
  );
}
