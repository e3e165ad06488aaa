"use client";

import { memo, type ReactNode } from "react";
import type { Turn } from "@/lib/transcript/build";
import { formatCost, formatDuration, formatTokens } from "@/lib/transcript/format";
import { IconCheck, IconError, IconX } from "../ui/icons";
import { cn } from "../ui/cn";
import { Ticks } from "../ui/ticks";
import { IconStop } from "./icons";
import { TurnChangesLink } from "../git/turn-changes-link";

/** The running turn's footer: no words (the composer says "Working… 12 s"), just motion. */
function Streaming() {
  return (
    <span className="inline-flex items-center gap-1 text-busy" title="Working">
      <span className="sr-only">Working</span>
      {[0, 1, 2].map((i) => (
        <span
          key={i}
          aria-hidden="true"
          className="size-1.5 animate-pulse rounded-full bg-current motion-reduce:animate-none"
          style={{ animationDelay: `${i * 180}ms` }}
        />
      ))}
    </span>
  );
}

const END_META = {
  done: { label: "Done", icon: IconCheck, tone: "text-ok" },
  error: { label: "Failed", icon: IconX, tone: "text-bad" },
  stopped: { label: "Stopped", icon: IconStop, tone: "text-muted" },
} as const;

export const TurnFooter = memo(function TurnFooter({ turn }: { turn: Turn }) {
  const hasFatal = turn.items.some((i) => i.kind === "error" && i.fatal);
  const showError = turn.status === "error" && turn.error && !hasFatal;
  const meta = turn.status === "running" ? null : END_META[turn.status];
  const u = turn.usage;
  const parts: ReactNode[] = [];
  if (turn.durationMs !== null) parts.push(<span className="tabular-nums">{formatDuration(turn.durationMs)}</span>);
  if (u.inputTokens > 0 || u.outputTokens > 0 || meta)
    parts.push(
      <span className="tabular-nums" title={`${u.inputTokens.toLocaleString()} tokens in, ${u.outputTokens.toLocaleString()} out`}>
        {formatTokens(u.inputTokens)} in / {formatTokens(u.outputTokens)} out
      </span>,
    );
  if (u.costUsd > 0 || meta) parts.push(<span className="tabular-nums">{formatCost(u.costUsd)}</span>);
  if (meta && turn.filesChanged) parts.push(<TurnChangesLink turnId={turn.id} count={turn.filesChanged} />);
  if (turn.model) parts.push(<span className="max-w-[14rem] truncate">{turn.model}</span>);
  return (
    <div className="pt-2.5 pb-2">
      {showError && (
        <div role="alert" className="mb-2 flex items-start gap-2 rounded-xl border border-bad/40 bg-bad/10 px-3 py-2 text-sm">
          <IconError className="mt-0.5 size-4 shrink-0 text-bad" />
          <span className="min-w-0 [overflow-wrap:anywhere]">
            <Ticks text={turn.error!} />
          </span>
        </div>
      )}
      <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted">
        {meta ? (
          <span className={cn("inline-flex items-center gap-1 font-semibold", meta.tone)}>
            <meta.icon className="size-3.5" />
            {meta.label}
          </span>
        ) : (
          <Streaming />
        )}
        {parts.map((part, i) => (
          <span key={i} className={cn("inline-flex min-w-0 items-center gap-2", i === parts.length - 1 && turn.model && "max-sm:hidden")}>
            <span aria-hidden="true">·</span>
            {part}
          </span>
        ))}
      </p>
    </div>
  );
});
