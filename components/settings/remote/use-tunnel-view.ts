"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC } from "@/lib/trpc/client";
import { newerView } from "@/lib/tunnel/revision";
import type { RouterOutputs } from "../../ui/trpc-types";

export type RemoteView = RouterOutputs["tunnel"]["status"];
export type TunnelStatus = RemoteView["status"];

/** Stores a tunnel view from any source (reply or push), keeping the newer one if they crossed. */
export function usePutTunnelView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (v: RemoteView) => queryClient.setQueryData(trpc.tunnel.status.queryKey(), (old) => newerView(old, v));
}

/** The tunnel view: the status query kept current by the pushed status stream. */
export function useTunnelView() {
  const trpc = useTRPC();
  // Replies and pushed statuses can arrive out of order: every source keeps the newer view.
  const view = useQuery(
    trpc.tunnel.status.queryOptions(undefined, {
      structuralSharing: (old, next) => newerView(old as RemoteView | undefined, next as RemoteView),
    }),
  );
  const put = usePutTunnelView();
  useSubscription(trpc.tunnel.onStatus.subscriptionOptions(undefined, { onData: put }));
  return view;
}
