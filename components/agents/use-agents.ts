"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useMemo } from "react";
import { useTRPC, useTRPCClient } from "@/lib/trpc/client";
import { tabToOpen } from "../conversation/last-tab";
import { listedAgents } from "@/lib/missions/agent-rows";
import { groupAgents } from "./agent-sort";
import { connection } from "../shell/connection-store";

export function useAgents() {
  const trpc = useTRPC();
  return useQuery(trpc.agents.list.queryOptions());
}

export function useGroups() {
  const trpc = useTRPC();
  return useQuery(trpc.groups.list.queryOptions());
}

/** Who/where the bridge is; changes only on restart. */
export function useMe() {
  const trpc = useTRPC();
  return useQuery(trpc.system.me.queryOptions(undefined, { staleTime: Infinity }));
}

/** Agents grouped into sections (without mission feature worktrees), plus loading/error state of both queries. */
export function useAgentSections() {
  const agents = useAgents();
  const groups = useGroups();
  // A mission's feature worktree agents are reached from Mission Control, not listed (agent-rows.ts).
  const listed = useMemo(() => (agents.data ? listedAgents(agents.data) : undefined), [agents.data]);
  const sections = useMemo(() => (listed && groups.data ? groupAgents(listed, groups.data) : null), [listed, groups.data]);
  return {
    sections,
    agents: listed,
    groups: groups.data,
    isPending: agents.isPending || groups.isPending,
    error: agents.error ?? groups.error,
    refetch: () => Promise.all([agents.refetch(), groups.refetch()]),
  };
}

/**
 * Warms each listed agent's tabs, so opening an agent starts its conversation stream at once
 * instead of after a tabs round trip (a few small queries, batched into one request).
 */
export function usePrefetchAgentTabs(agentIds: readonly string[]) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const key = agentIds.slice(0, 30).join(",");
  useEffect(() => {
    if (!key) return;
    for (const agentId of key.split(",")) void queryClient.prefetchQuery(trpc.tabs.list.queryOptions({ agentId }, { staleTime: 30_000 }));
  }, [key, queryClient, trpc]);
}

/** How many of the dashboard's first agents get their conversation fetched ahead of a tap. */
const WARM_AGENTS = 3;

/**
 * Opening one of the first agents on the dashboard is the likeliest next move: once the page is
 * idle, fetch the newest turns of the tab each would open, so the conversation is on screen the
 * moment it is tapped. Skipped when the browser asks to save data.
 */
export function useWarmTranscripts(agentIds: readonly string[]) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const key = agentIds.slice(0, WARM_AGENTS).join(",");
  useEffect(() => {
    if (!key) return;
    if ((navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData) return;
    let cancelled = false;
    const warm = async () => {
      // Loaded here, in idle time: the transcript code is the agent page's, not the dashboard's.
      // The markdown renderer too, so the first reply shown is drawn once, already formatted.
      const [{ warmTranscript }] = await Promise.all([import("../conversation/use-transcript"), import("../conversation/markdown")]);
      for (const agentId of key.split(",")) {
        if (cancelled) return;
        const tabs = await queryClient.fetchQuery(trpc.tabs.list.queryOptions({ agentId }, { staleTime: 30_000 })).catch(() => []);
        const tab = tabToOpen(agentId, tabs);
        if (tab && !cancelled) await warmTranscript(client, tab.id);
      }
    };
    // Where there is no requestIdleCallback (Safari), a short timeout stands in.
    const hasIdle = typeof window.requestIdleCallback === "function";
    const handle = hasIdle ? window.requestIdleCallback(() => void warm(), { timeout: 1000 }) : window.setTimeout(() => void warm(), 200);
    return () => {
      cancelled = true;
      if (hasIdle) window.cancelIdleCallback(handle);
      else window.clearTimeout(handle);
    };
  }, [key, client, queryClient, trpc]);
}

/** Keeps agent and group queries fresh: refetch on every change event and on (re)connect. */
export function useLiveAgents() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.agents.pathFilter());
    void queryClient.invalidateQueries(trpc.groups.pathFilter());
  };
  useSubscription(
    trpc.agents.onChange.subscriptionOptions(undefined, {
      // The first message (again after a reconnect) says the stream listens: re-read then.
      onData: refresh,
      // The stream dropped and is reconnecting: find out whether the bridge itself is gone.
      onConnectionStateChange: (state) => {
        if (state.state === "connecting" && state.error) void connection.check();
        else if (state.state === "pending") connection.set(false);
      },
    }),
  );
}
