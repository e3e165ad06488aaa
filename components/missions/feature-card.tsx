"use client";

import type { FeatureView } from "@/lib/missions/types";
import { formatCost, formatDuration } from "@/lib/transcript/format";
import { cn } from "../ui/cn";
import { IconGitBranch } from "../ui/icons";
import { truncateMiddle } from "../ui/truncate-middle";
import { FEATURE_STATUS_COLOR, FEATURE_STATUS_LABEL, FEATURE_STATUS_PILL } from "./mission-meta";

/** A feature's status as a pill: the word and its colour (a running one pulses). */
export function FeatureStatusPill({ feature, className }: { feature: Pick<FeatureView, "status">; className?: string }) {
  return (
    <span
      className={cn(
        "inline-flex shrink-0 items-center gap-1.5 rounded-full px-2 py-0 text-xs leading-5 font-semibold",
        FEATURE_STATUS_PILL[feature.status],
        className,
      )}
    >
      {feature.status === "in-progress" && <span aria-hidden="true" className="size-1.5 rounded-full bg-busy motion-safe:animate-pulse" />}
      {FEATURE_STATUS_LABEL[feature.status]}
    </span>
  );
}

/** Cost and time of a feature's attempts so far. */
export function featureNumbers(f: FeatureView): string {
  const parts = [];
  if (f.attempts > 0) parts.push(`${f.attempts} ${f.attempts === 1 ? "attempt" : "attempts"}`);
  if (f.durationMs > 0) parts.push(formatDuration(f.durationMs));
  if (f.costUsd > 0) parts.push(formatCost(f.costUsd));
  return parts.join(" · ");
}

/**
 * One feature on the board: status, who does it, its branch, attempts, cost and time. The whole
 * card opens the feature; a failed one says so on its face, with the way out one tap away.
 */
export function FeatureCard({ feature, onOpen }: { feature: FeatureView; onOpen: () => void }) {
  const numbers = featureNumbers(feature);
  const needsYou = feature.status === "failed" || feature.status === "blocked";
  return (
    <li>
      <button
        type="button"
        onClick={onOpen}
        data-feature={feature.key}
        data-status={feature.status}
        aria-label={`${feature.title} (${feature.key}): ${FEATURE_STATUS_LABEL[feature.status]}`}
        className={cn(
          "block w-full rounded-xl border border-l-4 border-border bg-surface px-3 py-2.5 text-left shadow-sm transition-colors hover:border-muted/50 active:bg-surface-2",
          needsYou && "bg-bad/5",
        )}
        style={{ borderLeftColor: FEATURE_STATUS_COLOR[feature.status] }}
      >
        <span className="flex items-start gap-2">
          <span className="min-w-0 flex-1">
            <span className="block truncate text-[15px] leading-5 font-medium">{feature.title}</span>
            <span className="block truncate font-mono text-xs text-muted">{feature.key}</span>
          </span>
          <FeatureStatusPill feature={feature} />
        </span>
        {(feature.agentName || feature.branch) && (
          <span className="mt-1.5 flex min-w-0 items-center gap-1.5 text-xs text-muted">
            {feature.agentName && <span className="shrink-0 font-medium text-text/80">{feature.agentName}</span>}
            {feature.branch && (
              <span className="inline-flex min-w-0 items-center gap-1">
                <IconGitBranch className="size-3.5 shrink-0" />
                <span className="truncate font-mono" title={feature.branch}>
                  {truncateMiddle(feature.branch, 30)}
                </span>
              </span>
            )}
          </span>
        )}
        {feature.statusDetail && (feature.status === "failed" || feature.status === "blocked" || feature.status === "review") && (
          <span className={cn("mt-1.5 line-clamp-2 block text-[13px] leading-snug", needsYou ? "text-bad" : "text-muted")}>
            {feature.statusDetail}
          </span>
        )}
        {numbers && <span className="mt-1 block text-xs text-muted tabular-nums">{numbers}</span>}
      </button>
    </li>
  );
}
