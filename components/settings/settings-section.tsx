import type { ReactNode } from "react";

/** A titled card on the settings screen. */
export function SettingsSection({
  id,
  title,
  description,
  actions,
  children,
  headingLevel = 2,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  headingLevel?: 1 | 2;
}) {
  const H = headingLevel === 1 ? "h1" : "h2";
  return (
    <section aria-labelledby={id} className="scroll-mt-6">
      <div className="mb-3">
        <div className="flex min-h-11 items-center gap-3">
          <H
            id={id}
            className={
              "min-w-0 flex-1 " +
              (headingLevel === 1
                ? "text-[28px] leading-tight font-bold tracking-tight lg:text-[30px]"
                : "text-lg font-semibold tracking-tight")
            }
          >
            {title}
          </H>
          {actions && <div className="shrink-0">{actions}</div>}
        </div>
        {description && <p className="mt-1 max-w-2xl text-[15px] leading-relaxed text-muted">{description}</p>}
      </div>
      {children}
    </section>
  );
}
