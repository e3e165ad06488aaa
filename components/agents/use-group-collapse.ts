"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useSyncExternalStore } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { readStored, storageKeys, writeStored } from "../ui/storage";
import type { Group } from "../ui/trpc-types";

const UNGROUPED_KEY = storageKeys.ungroupedCollapsed;

/** Collapses a group (stored on the bridge, so every device agrees), optimistically. */
export function useGroupCollapse() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const key = trpc.groups.list.queryKey();
  const mutation = useMutation(
    trpc.groups.collapse.mutationOptions({
      onMutate: async ({ id, collapsed }) => {
        await queryClient.cancelQueries({ queryKey: key });
        const before = queryClient.getQueryData<Group[]>(key);
        queryClient.setQueryData<Group[]>(key, (old) => old?.map((g) => (g.id === id ? { ...g, collapsed } : g)));
        return { before };
      },
      onError: (_e, _v, ctx) => ctx?.before && queryClient.setQueryData(key, ctx.before),
      onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
    }),
  );
  return useCallback((group: Group) => mutation.mutate({ id: group.id, collapsed: !group.collapsed }), [mutation]);
}

const listeners = new Set<() => void>();
function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => e.key === UNGROUPED_KEY && listener();
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}
const read = () => readStored(UNGROUPED_KEY) === "1";

/** The Ungrouped section has no row on the bridge: its collapsed state lives in this browser. */
export function useUngroupedCollapsed(): [boolean, () => void] {
  const collapsed = useSyncExternalStore(subscribe, read, () => false);
  const toggle = useCallback(() => {
    writeStored(UNGROUPED_KEY, read() ? "0" : "1");
    for (const l of listeners) l();
  }, []);
  return [collapsed, toggle];
}
