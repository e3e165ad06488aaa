"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { Suspense } from "react";
import { AgentHeader } from "@/components/agents/agent-header";
import { AgentWorkspace } from "@/components/conversation/agent-workspace";
import { IconArrowLeft } from "@/components/ui/icons";
import { pageX } from "@/components/ui/page-header";
import { readError } from "@/components/ui/trpc-error";
import { buttonClass } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { usePageTitle } from "@/components/ui/use-page-title";
import { useMe } from "@/components/agents/use-agents";
import { useTRPC } from "@/lib/trpc/client";

/**
 * An agent: a compact header (status, provider, folder, actions) over its conversation tabs.
 * The page fills the viewport; the transcript scrolls on its own between the tabs and the
 * composer.
 */
export default function AgentPage() {
  const params = useParams<{ id: string }>();
  const id = decodeURIComponent(params?.id ?? "");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Opening from the dashboard: the agent is already in the list, so show it at once (and
  // refresh it in the background); its tabs load in parallel rather than after it.
  const agent = useQuery(
    trpc.agents.byId.queryOptions(
      { id },
      { enabled: !!id, placeholderData: () => queryClient.getQueryData(trpc.agents.list.queryKey())?.find((a) => a.id === id) },
    ),
  );
  useQuery(trpc.tabs.list.queryOptions({ agentId: id }, { enabled: !!id }));
  const me = useMe();
  usePageTitle(agent.data?.name ?? "Agent");

  if (agent.error && !agent.data) {
    const e = readError(agent.error);
    return (
      <div className={`${pageX} mx-auto max-w-lg pt-16 text-center`}>
        <h1 className="text-xl font-semibold">{e.code === "NOT_FOUND" ? "This agent no longer exists" : "Couldn't load this agent"}</h1>
        <p className="mt-2 text-[15px] text-muted">
          {e.code === "NOT_FOUND" ? "It may have been deleted from another device." : e.message}
        </p>
        <Link href="/" className={buttonClass("primary", "md", "mt-6")}>
          <IconArrowLeft className="size-4" />
          Back to agents
        </Link>
      </div>
    );
  }

  if (!agent.data) return <AgentSkeleton />;

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <AgentHeader agent={agent.data} home={me.data?.homeDir} />
      {agent.error && <FormError className="mx-4 mt-2">{readError(agent.error).message}</FormError>}
      <Suspense fallback={<div className="flex-1" />}>
        <AgentWorkspace agent={agent.data} />
      </Suspense>
    </div>
  );
}

function AgentSkeleton() {
  return (
    <div aria-hidden="true" className="flex flex-1 flex-col">
      <div className="flex items-center gap-3 border-b border-border bg-surface px-4 py-3">
        <div className="size-10 rounded-xl bg-surface-2" />
        <div className="flex-1 space-y-2">
          <div className="h-5 w-1/3 rounded bg-surface-2" />
          <div className="h-3.5 w-1/4 rounded bg-surface-2" />
        </div>
      </div>
      <div className="h-11 border-b border-border bg-surface/70" />
      <div className={`${pageX} mx-auto w-full max-w-3xl flex-1 space-y-4 pt-8`}>
        <div className="ml-auto h-12 w-2/3 rounded-2xl bg-surface-2" />
        <div className="h-4 w-11/12 rounded bg-surface-2" />
        <div className="h-4 w-4/5 rounded bg-surface-2" />
      </div>
    </div>
  );
}
