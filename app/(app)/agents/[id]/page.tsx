"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { AgentDetails } from "@/components/agent-details";
import { AgentHeader } from "@/components/agent-header";
import { AgentManage } from "@/components/agent-manage";
import { IconArrowLeft } from "@/components/icons";
import { pageX } from "@/components/page-header";
import { readError } from "@/components/trpc-error";
import { buttonClass } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { usePageTitle } from "@/components/ui/use-page-title";
import { useNow } from "@/components/ui/use-now";
import { useGroups, useMe } from "@/components/use-agents";
import { useTRPC } from "@/lib/trpc/client";

export default function AgentPage() {
  const params = useParams<{ id: string }>();
  const id = decodeURIComponent(params?.id ?? "");
  const trpc = useTRPC();
  const agent = useQuery(trpc.agents.byId.queryOptions({ id }, { enabled: !!id }));
  const groups = useGroups();
  const me = useMe();
  const now = useNow();
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
    <>
      <AgentHeader agent={agent.data} home={me.data?.homeDir} />
      {/* The workspace: details now; conversation tabs and terminals join this area later. */}
      <div className={`${pageX} grid items-start gap-4 pt-5 lg:grid-cols-[minmax(0,1fr)_20rem] lg:gap-6 lg:pt-8 xl:max-w-6xl`}>
        <div id="agent-workspace" className="min-w-0 space-y-4">
          <AgentDetails agent={agent.data} groups={groups.data} now={now} />
        </div>
        <aside aria-label="Agent actions" className="space-y-4">
          <AgentManage agent={agent.data} groups={groups.data} />
        </aside>
      </div>
      {agent.error && <FormError className="mx-4 mt-4">{readError(agent.error).message}</FormError>}
    </>
  );
}

function AgentSkeleton() {
  return (
    <div aria-hidden="true" className={`${pageX} pt-6`}>
      <div className="h-4 w-28 rounded bg-surface-2" />
      <div className="mt-5 flex gap-3.5">
        <div className="size-12 rounded-xl bg-surface-2" />
        <div className="flex-1 space-y-3 pt-1">
          <div className="h-6 w-1/3 rounded bg-surface-2" />
          <div className="h-4 w-1/4 rounded bg-surface-2" />
        </div>
      </div>
      <div className="mt-8 h-64 rounded-2xl border border-border bg-surface" />
    </div>
  );
}
