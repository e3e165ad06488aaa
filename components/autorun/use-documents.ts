"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC } from "@/lib/trpc/client";

export function useDocumentList(agentId: string | null) {
  const trpc = useTRPC();
  return useQuery(trpc.documents.list.queryOptions({ agentId: agentId ?? "" }, { enabled: !!agentId }));
}

/**
 * Keeps an agent's documents fresh: the bridge watches the folder while this is mounted, so an
 * edit made by another tool (or the agent) refetches the list and the open document.
 */
export function useLiveDocuments(agentId: string | null) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.documents.list.queryKey({ agentId: agentId ?? "" }) });
    void queryClient.invalidateQueries({ queryKey: trpc.documents.read.pathKey() });
  };
  useSubscription(trpc.documents.onChange.subscriptionOptions({ agentId: agentId ?? "" }, { enabled: !!agentId, onData: refresh }));
}
