import type { ReactNode } from "react";
import { cn } from "./cn";

export function Kbd({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <kbd
      className={cn(
        "inline-flex min-w-[1.5em] items-center justify-center rounded-md border border-border bg-surface-2 px-1.5 font-sans text-[12px] leading-5 font-medium text-muted",
        className,
      )}
    >
      {children}
    </kbd>
  );
}
