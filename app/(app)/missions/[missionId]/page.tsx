"use client";

import { useParams } from "next/navigation";
import { MissionControl } from "@/components/missions/mission-control";

/** Mission Control: one mission's board, graph, workers, assertions, handoffs, memory, checkpoints and log. */
export default function MissionPage() {
  const params = useParams<{ missionId: string }>();
  const id = decodeURIComponent(params?.missionId ?? "");
  return id ? <MissionControl key={id} missionId={id} /> : null;
}
