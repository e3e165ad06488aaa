"use client";

import Link from "next/link";
import type { MissionListItem } from "@/lib/missions/types";
import { formatCost, formatDuration } from "@/lib/transcript/format";
import { cn } from "../ui/cn";
import { FormError } from "../ui/field";
import { relativeTime } from "../ui/relative-time";
import { readError } from "../ui/trpc-error";
import { FeatureBar } from "./feature-bar";
import { MISSION_STATUS_LABEL, MISSION_STATUS_PILL } from "./mission-meta";

export function missionHref(id: string): string {
  return `/missions/${encodeURIComponent(id)}`;
}

/** One mission in the list: status, the project, features by status, cost and time. */
export function MissionRow({ mission, now }: { mission: MissionListItem; now: number }) {
  const running = mission.status === "executing";
  return (
    <li>
      <Link
        href={missionHref(mission.id)}
        className="block rounded-2xl border border-border bg-surface p-4 shadow-sm transition-colors hover:border-muted/50 active:bg-surface-2"
      >
        <div className="flex items-center gap-2">
          <h2 className="min-w-0 flex-1 truncate text-[17px] font-semibold tracking-tight">{mission.title}</h2>
          <span className="shrink-0 text-xs text-muted">{relativeTime(mission.updatedAt, now)}</span>
        </div>
        <div className="mt-1.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-[13px] text-muted">
          <span
            className={cn(
              "inline-flex max-w-full items-center gap-1.5 truncate rounded-full px-2.5 py-0.5 leading-5 font-semibold",
              MISSION_STATUS_PILL[mission.status],
            )}
          >
            {running && <span aria-hidden="true" className="size-1.5 shrink-0 rounded-full bg-busy motion-safe:animate-pulse" />}
            <span className="truncate">
              {MISSION_STATUS_LABEL[mission.status]}
              {mission.statusDetail && mission.status !== "executing" ? `: ${mission.statusDetail}` : ""}
            </span>
          </span>
          <span className="truncate">
            {mission.agentName} · {mission.refId}
          </span>
        </div>
        <FeatureBar counts={mission.counts} className="mt-3" />
        <p className="mt-2 text-xs text-muted tabular-nums">
          {formatCost(mission.totals.costUsd)} · {formatDuration(mission.totals.durationMs)} of agent time
        </p>
      </Link>
    </li>
  );
}

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
