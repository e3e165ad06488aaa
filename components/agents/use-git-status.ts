"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC } from "@/lib/trpc/client";

/** Git status changes in a minute at most between turns; the subscription says when to look again. */
const STALE_MS = 60_000;

/** Every agent's git status (the dashboard's cards read it; one request, not one per card). */
export function useGitStatuses() {
  const trpc = useTRPC();
  return useQuery(trpc.git.statuses.queryOptions(undefined, { staleTime: STALE_MS }));
}

/** Keeps every agent's git status fresh while the dashboard is open (call once per page). */
export function useLiveGitStatuses() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries(trpc.git.pathFilter());
  useSubscription(trpc.git.onChange.subscriptionOptions(undefined, { onData: refresh }));
}

/** One agent's git status, kept fresh; its folder is watched while this is mounted. */
export function useGitStatus(agentId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries(trpc.git.pathFilter());
  useSubscription(trpc.git.onChange.subscriptionOptions({ agentId }, { onData: refresh }));
  return useQuery(trpc.git.status.queryOptions({ agentId }, { staleTime: STALE_MS }));
}
