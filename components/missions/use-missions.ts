"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import type { MissionLogEntry } from "@/lib/missions/types";
import { useTRPC } from "@/lib/trpc/client";
import { connection } from "../shell/connection-store";

/** The mission list, read again whenever any mission changes (and on reconnect). */
export function useMissionList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.missions.list.queryOptions(undefined));
  useSubscription(
    trpc.missions.onChange.subscriptionOptions(undefined, {
      onData: () => void queryClient.invalidateQueries(trpc.missions.list.queryFilter()),
      onConnectionStateChange: (state) => {
        if (state.state === "connecting" && state.error) void connection.check();
      },
    }),
  );
  return list;
}

/**
 * One mission, read again whenever the bridge says it changed (`missions.onChange` names the
 * mission): the view, its checkpoints and handoffs. The first message of the stream ("listening")
 * re-reads too, so a reconnect never leaves a stale board.
 */
export function useMission(missionId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const view = useQuery(trpc.missions.get.queryOptions({ missionId }, { refetchOnWindowFocus: false }));
  useSubscription(
    trpc.missions.onChange.subscriptionOptions(undefined, {
      onData: (change) => {
        if (change.missionId !== null && change.missionId !== missionId) return;
        void queryClient.invalidateQueries(trpc.missions.get.queryFilter({ missionId }));
        void queryClient.invalidateQueries(trpc.missions.checkpoints.queryFilter({ missionId }));
        void queryClient.invalidateQueries(trpc.handoffs.list.queryFilter());
      },
      onConnectionStateChange: (state) => {
        if (state.state === "connecting" && state.error) void connection.check();
      },
    }),
  );
  return view;
}

export type LogStream = "connecting" | "live" | "reconnecting";

/** Merges log entries by id (a resumed stream may repeat a batch), oldest first. */
export function mergeLog(current: readonly MissionLogEntry[], batch: readonly MissionLogEntry[]): MissionLogEntry[] {
  if (batch.length === 0) return current as MissionLogEntry[];
  const seen = new Set(current.map((e) => e.id));
  const fresh = batch.filter((e) => !seen.has(e.id));
  if (fresh.length === 0) return current as MissionLogEntry[];
  return [...current, ...fresh].sort((a, b) => a.id - b.id);
}

/**
 * The activity log, live: the newest page once (`missions.log`), then `missions.onEvent` from the
 * newest id it holds. tRPC resumes a dropped stream from the last tracked id and `mergeLog` skips
 * ids already shown, so every line shows once after a reconnect.
 */
export function useMissionLog(missionId: string): { entries: MissionLogEntry[]; loading: boolean; error: unknown; stream: LogStream } {
  const trpc = useTRPC();
  const first = useQuery(
    trpc.missions.log.queryOptions(
      { missionId, limit: 200 },
      { staleTime: Infinity, refetchOnWindowFocus: false, refetchOnReconnect: false },
    ),
  );
  const [entries, setEntries] = useState<MissionLogEntry[]>([]);
  const seeded = useRef(false);
  const [stream, setStream] = useState<LogStream>("connecting");

  const seed = first.data;
  useEffect(() => {
    if (!seed || seeded.current) return;
    seeded.current = true;
    setEntries((cur) => mergeLog(cur, seed));
  }, [seed]);

  // The resume point is fixed when the subscription starts; tRPC tracks it from then on.
  const startAt = seed ? seed.reduce((max, e) => Math.max(max, e.id), 0) : undefined;
  const input = useMemo(
    () => (startAt === undefined ? null : { missionId, lastEventId: startAt > 0 ? String(startAt) : null }),
    [missionId, startAt],
  );
  useSubscription({
    ...trpc.missions.onEvent.subscriptionOptions(input ?? { missionId }, { enabled: input !== null }),
    onStarted: () => setStream("live"),
    onData: (envelope) => {
      const batch = envelope.data;
      if (Array.isArray(batch) && batch.length > 0) setEntries((cur) => mergeLog(cur, batch));
    },
    onConnectionStateChange: (state) => {
      if (state.state === "connecting" && state.error) {
        setStream("reconnecting");
        void connection.check();
      } else if (state.state === "pending") setStream("live");
    },
  });
  return { entries, loading: first.isPending, error: first.error, stream };
}
