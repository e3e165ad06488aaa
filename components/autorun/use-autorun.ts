"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC } from "@/lib/trpc/client";

/** Keeps Auto Run queries (runs, playbooks) fresh: refetch on every autorun.changed event. */
export function useLiveAutorun(filter: { runId?: string } = {}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.autorun.pathFilter());
    void queryClient.invalidateQueries(trpc.playbooks.pathFilter());
  };
  // The stream's first message says it is listening (and comes again after a reconnect): the
  // re-read then misses nothing.
  useSubscription(trpc.autorun.onChange.subscriptionOptions(filter, { onData: refresh }));
}
