"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTRPC, useTRPCClient } from "@/lib/trpc/client";
import { tabToOpen } from "./last-tab";

/**
 * For a link that opens an agent: on the tap, start fetching the newest events of the tab it
 * will show (its tabs are already cached by the dashboard), so the request runs while the route
 * renders instead of after. The conversation then waits for this same request (see
 * `warmTranscript`). The transcript code is loaded on demand: nothing here adds to the
 * dashboard's first load.
 */
export function useWarmOnTap(): (agentId: string) => void {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  return useCallback(
    (agentId: string) => {
      const tabs = queryClient.getQueryData(trpc.tabs.list.queryKey({ agentId }));
      const tab = tabs && tabToOpen(agentId, tabs);
      if (!tab) return;
      void import("./use-transcript").then(({ warmTranscript }) => warmTranscript(client, tab.id));
    },
    [client, queryClient, trpc],
  );
}
