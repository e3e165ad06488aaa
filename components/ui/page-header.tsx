import type { ReactNode } from "react";
import { cn } from "./cn";

/** A page's title row: heading, an optional line under it, and actions on the right. */
export function PageHeader({
  title,
  subtitle,
  actions,
  className,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  className?: string;
}) {
  return (
    <header
      className={cn("px-4 pt-[max(1.25rem,calc(env(safe-area-inset-top)+0.75rem))] pb-4 sm:px-6 lg:px-10 lg:pt-9 lg:pb-6", className)}
    >
      <div className="flex items-center gap-3">
        <h1 className="min-w-0 flex-1 text-[28px] leading-tight font-bold tracking-tight lg:text-[30px]">{title}</h1>
        {actions && <div className="flex shrink-0 items-center gap-2">{actions}</div>}
      </div>
      {subtitle && <p className="mt-1 text-[15px] text-muted">{subtitle}</p>}
    </header>
  );
}

/** Horizontal padding shared by page bodies. */
export const pageX = "px-4 sm:px-6 lg:px-10";
