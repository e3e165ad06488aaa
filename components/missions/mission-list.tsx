"use client";

import type { MissionListItem } from "@/lib/missions/types";
import { formatCost, formatDuration } from "@/lib/transcript/format";
import { ListCard, StatusPill } from "../ui/list-card";
import { FeatureBar } from "./feature-bar";
import { MISSION_STATUS_LABEL, MISSION_STATUS_PILL } from "./mission-meta";

export function missionHref(id: string): string {
  return `/missions/${encodeURIComponent(id)}`;
}

/** One mission in the list: status, the project, features by status, cost and time. */
export function MissionRow({ mission, now }: { mission: MissionListItem; now: number }) {
  const running = mission.status === "executing";
  return (
    <ListCard href={missionHref(mission.id)} title={mission.title} updatedAt={mission.updatedAt} now={now}>
      <div className="mt-1.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-[13px] text-muted">
        <StatusPill tone={MISSION_STATUS_PILL[mission.status]} running={running}>
          {MISSION_STATUS_LABEL[mission.status]}
          {mission.statusDetail && mission.status !== "executing" ? `: ${mission.statusDetail}` : ""}
        </StatusPill>
        <span className="truncate">
          {mission.agentName} · {mission.refId}
        </span>
      </div>
      <FeatureBar counts={mission.counts} className="mt-3" />
      <p className="mt-2 text-xs text-muted tabular-nums">
        {formatCost(mission.totals.costUsd)} · {formatDuration(mission.totals.durationMs)} of agent time
      </p>
    </ListCard>
  );
}
