import type { ReactNode } from "react";
import { IconChevronDown } from "./icons";

/** A form's less used settings, folded under one "More: …" line that names them. */
export function MoreSection({ summary, children }: { summary: string; children: ReactNode }) {
  return (
    <details className="group rounded-xl border border-border">
      <summary className="flex min-h-11 cursor-pointer list-none items-center justify-between px-3.5 text-sm font-medium [&::-webkit-details-marker]:hidden">
        {summary}
        <IconChevronDown className="size-4 text-muted transition-transform group-open:rotate-180" />
      </summary>
      <div className="space-y-4 border-t border-border p-3.5">{children}</div>
    </details>
  );
}
