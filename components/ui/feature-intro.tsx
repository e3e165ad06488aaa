import type { ComponentType, ReactNode } from "react";

/** An honest empty state for a feature that has not landed yet: what it is, how it will work. */
export function FeatureIntro({
  icon: Icon,
  title,
  children,
  steps,
  footer,
}: {
  icon: ComponentType<{ className?: string }>;
  title: string;
  children: ReactNode;
  steps?: { title: string; body: ReactNode }[];
  footer?: ReactNode;
}) {
  return (
    <div className="max-w-2xl">
      <div className="rounded-2xl border border-border bg-surface p-5 sm:p-6">
        <span className="inline-flex size-12 items-center justify-center rounded-2xl bg-accent/12 text-accent">
          <Icon className="size-6" />
        </span>
        <h2 className="mt-4 text-lg font-semibold tracking-tight">{title}</h2>
        <div className="mt-2 space-y-3 text-[15px] leading-relaxed text-muted">{children}</div>
        {steps && (
          <ol className="mt-5 space-y-4">
            {steps.map((s, i) => (
              <li key={s.title} className="flex gap-3">
                <span
                  aria-hidden="true"
                  className="inline-flex size-7 shrink-0 items-center justify-center rounded-full bg-surface-2 text-sm font-semibold text-text tabular-nums"
                >
                  {i + 1}
                </span>
                <div className="min-w-0 pt-0.5">
                  <p className="font-medium">{s.title}</p>
                  <div className="mt-0.5 text-sm leading-relaxed text-muted">{s.body}</div>
                </div>
              </li>
            ))}
          </ol>
        )}
      </div>
      {footer && <div className="mt-4 text-sm text-muted">{footer}</div>}
    </div>
  );
}
