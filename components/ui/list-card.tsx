import Link from "next/link";
import type { ReactNode } from "react";
import { cn } from "./cn";
import { FormError } from "./field";
import { relativeTime } from "./relative-time";
import { readError } from "./trpc-error";

/** One row of a list page (missions, group chats): a card that links to the item, its title and age on top. */
export function ListCard({
  href,
  title,
  updatedAt,
  now,
  children,
}: {
  href: string;
  title: string;
  updatedAt: string;
  now: number;
  children: ReactNode;
}) {
  return (
    <li>
      <Link
        href={href}
        className="block rounded-2xl border border-border bg-surface p-4 shadow-sm transition-colors hover:border-muted/50 active:bg-surface-2"
      >
        <div className="flex items-center gap-2">
          <h2 className="min-w-0 flex-1 truncate text-[17px] font-semibold tracking-tight">{title}</h2>
          <span className="shrink-0 text-xs text-muted">{relativeTime(updatedAt, now)}</span>
        </div>
        {children}
      </Link>
    </li>
  );
}

/** A status in a pill coloured by `tone`; a pulsing dot while `running` (the text says it too). */
export function StatusPill({ tone, running, children }: { tone: string; running: boolean; children: ReactNode }) {
  return (
    <span
      className={cn(
        "inline-flex max-w-full items-center gap-1.5 truncate rounded-full px-2.5 py-0.5 text-[13px] leading-5 font-semibold",
        tone,
      )}
    >
      {running && <span aria-hidden="true" className="size-1.5 shrink-0 rounded-full bg-busy motion-safe:animate-pulse" />}
      <span className="truncate">{children}</span>
    </span>
  );
}

/** A list that could not load: what went wrong, and Try again. */
export function ListError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const e = readError(error);
  return (
    <FormError hint={e.hint} className="max-w-xl">
      {e.message}{" "}
      <button type="button" onClick={onRetry} className="font-semibold text-accent underline-offset-2 hover:underline">
        Try again
      </button>
    </FormError>
  );
}
