"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { storageKeys, writeStored } from "../ui/storage";
import { useToast } from "../ui/toaster";
import { readError } from "../ui/trpc-error";
import type { RouterOutputs } from "../ui/trpc-types";
import { saveQueue } from "./queue-store";
import { forgetTranscript } from "./use-transcript";

export type Tab = RouterOutputs["tabs"]["list"][number];

export interface TabMutationCallbacks {
  /** A new tab exists (already in the list): select it. */
  onCreated: (tab: Tab) => void;
  /** A tab is gone; `next` is its neighbour (the one after it, else before), or null. */
  onClosed: (id: string, next: string | null) => void;
  onCloseError: (message: string) => void;
}

/**
 * An agent's tab mutations, optimistic: rename, star and reorder change the cached list at once
 * and the server's list is fetched again after (on failure too, with a toast saying what failed);
 * create and close change it when the bridge answers. Closing also forgets what this device kept
 * for the tab (transcript, queue, draft, paused-after marker).
 */
export function useTabMutations(agentId: string, callbacks: TabMutationCallbacks) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const listKey = trpc.tabs.list.queryOptions({ agentId }).queryKey;

  const setList = (fn: (tabs: Tab[]) => Tab[]) => queryClient.setQueryData<Tab[]>(listKey, (old) => (old ? fn(old) : old));
  const refetchTabs = () => queryClient.invalidateQueries({ queryKey: listKey });
  const onTabError = (what: string) => (err: unknown) => {
    void refetchTabs();
    toast(`Couldn't ${what}: ${readError(err).message}`, "bad");
  };

  /** A tab the bridge made (created, or a resumed session) joins the list at once. */
  const adopt = (tab: Tab) => {
    setList((old) => (old.some((t) => t.id === tab.id) ? old : [...old, tab]));
  };

  const create = useMutation(
    trpc.tabs.create.mutationOptions({
      onSuccess: (tab) => {
        adopt(tab);
        callbacks.onCreated(tab);
        void refetchTabs();
      },
      onError: onTabError("open a new tab"),
    }),
  );
  const renameM = useMutation(trpc.tabs.rename.mutationOptions({ onError: onTabError("rename the tab"), onSettled: refetchTabs }));
  const starM = useMutation(trpc.tabs.star.mutationOptions({ onError: onTabError("star the tab"), onSettled: refetchTabs }));
  const reorderM = useMutation(trpc.tabs.reorder.mutationOptions({ onError: onTabError("move the tab"), onSettled: refetchTabs }));
  const closeM = useMutation(
    trpc.tabs.close.mutationOptions({
      onSuccess: ({ id }) => {
        const list = queryClient.getQueryData<Tab[]>(listKey) ?? [];
        const idx = list.findIndex((t) => t.id === id);
        const rest = list.filter((t) => t.id !== id);
        setList((old) => old.filter((t) => t.id !== id));
        forgetTranscript(id);
        void saveQueue(id, []).catch(() => {});
        writeStored(storageKeys.draft(id), null);
        writeStored(storageKeys.queuePausedAfter(id), null);
        callbacks.onClosed(id, rest[Math.min(idx, rest.length - 1)]?.id ?? null);
        void refetchTabs();
      },
      onError: (err) => callbacks.onCloseError(readError(err).message),
    }),
  );

  const newTab = useCallback(() => {
    if (!create.isPending) create.mutate({ agentId });
  }, [create, agentId]);

  const rename = (id: string, name: string) => {
    setList((old) => old.map((t) => (t.id === id ? { ...t, name } : t)));
    renameM.mutate({ id, name });
  };
  const star = (id: string, starred: boolean) => {
    setList((old) => old.map((t) => (t.id === id ? { ...t, starred } : t)));
    starM.mutate({ id, starred });
  };
  const reorder = (ids: string[]) => {
    setList((old) => ids.map((id) => old.find((t) => t.id === id)).filter((t): t is Tab => !!t));
    reorderM.mutate({ agentId, ids });
  };
  /** Moves a tab one place left (-1) or right (+1); off the ends does nothing. */
  const move = (id: string, by: -1 | 1) => {
    const ids = (queryClient.getQueryData<Tab[]>(listKey) ?? []).map((t) => t.id);
    const i = ids.indexOf(id);
    const j = i + by;
    if (i < 0 || j < 0 || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    reorder(ids);
  };
  const close = (id: string) => closeM.mutate({ id });

  /** A resumed session's tab: in the list now, the server's list fetched again after. */
  const adopted = (tab: Tab) => {
    adopt(tab);
    void refetchTabs();
  };

  return { newTab, adopted, creating: create.isPending, rename, star, reorder, move, close, closing: closeM.isPending };
}
