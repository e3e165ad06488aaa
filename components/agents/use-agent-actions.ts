"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/client";
import { useToast } from "../ui/toaster";
import type { Agent } from "../ui/trpc-types";
import { readError } from "../ui/trpc-error";

/** Bookmark toggle with an optimistic update: the star fills at once, rolls back on failure. */
export function useBookmark() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const listKey = trpc.agents.list.queryKey();
  return useMutation(
    trpc.agents.bookmark.mutationOptions({
      onMutate: async ({ id, bookmarked }) => {
        await queryClient.cancelQueries({ queryKey: listKey });
        const before = queryClient.getQueryData<Agent[]>(listKey);
        queryClient.setQueryData<Agent[]>(listKey, (old) => old?.map((a) => (a.id === id ? { ...a, bookmarked } : a)));
        queryClient.setQueryData<Agent>(trpc.agents.byId.queryKey({ id }), (old) => (old ? { ...old, bookmarked } : old));
        return { before };
      },
      onError: (err, { id }, ctx) => {
        if (ctx?.before) queryClient.setQueryData(listKey, ctx.before);
        void queryClient.invalidateQueries(trpc.agents.byId.queryFilter({ id }));
        toast(`Couldn't change the bookmark: ${readError(err).message}`, "bad");
      },
      onSettled: () => queryClient.invalidateQueries(trpc.agents.pathFilter()),
    }),
  );
}

/** After any agent mutation: refresh every agents query. */
export function useRefreshAgents() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries(trpc.agents.pathFilter());
}
