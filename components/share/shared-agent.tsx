"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import Link from "next/link";
import { useState } from "react";
import { PROVIDERS, type ProviderId } from "@/lib/providers/catalog";
import { useTRPC } from "@/lib/trpc/client";
import { AgentAvatar, providerLabel } from "../agents/agent-card";
import { StatusBadge } from "../agents/agent-status";
import { Conversation } from "../conversation/conversation";
import { IconArrowLeft } from "../ui/icons";
import { readError } from "../ui/trpc-error";
import { cn } from "../ui/cn";
import { FormError } from "../ui/field";
import { usePageTitle } from "../ui/use-page-title";
import { useSharedAccess } from "./shared-shell";

/** Keeps shared screens fresh: the scoped agents' change events (already filtered by the bridge). */
export function useSharedLive() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.agents.pathFilter());
    void queryClient.invalidateQueries(trpc.tabs.pathFilter());
  };
  useSubscription(trpc.agents.onChange.subscriptionOptions(undefined, { onData: refresh }));
}

/**
 * One agent as a teammate sees it: its name and status, its conversations, the live transcript;
 * the composer only for a control link. No rename, settings, delete or tab management.
 */
export function SharedAgent({ agentId }: { agentId: string }) {
  const trpc = useTRPC();
  const access = useSharedAccess();
  useSharedLive();
  const agent = useQuery(trpc.agents.byId.queryOptions({ id: agentId }));
  const tabs = useQuery(trpc.tabs.list.queryOptions({ agentId }));
  const [chosen, setChosen] = useState<string | null>(null);
  usePageTitle(agent.data ? `${agent.data.name} (shared)` : "Shared agent");

  if (agent.error) {
    return <FormError className="m-4">{readError(agent.error).message}</FormError>;
  }
  if (!agent.data) return <div aria-hidden="true" className="flex-1" />;
  const a = agent.data;
  const list = tabs.data ?? [];
  const selected = list.find((t) => t.id === chosen) ?? list[0] ?? null;
  const permission = access?.kind === "share" ? access.permission : "owner";

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <header className="shrink-0 border-b border-border bg-surface px-3 py-2 sm:px-6 lg:py-3">
        <div className="flex items-center gap-2.5">
          {access?.kind === "share" && access.scope === "dashboard" && (
            <Link
              href="/shared"
              aria-label="Back to the dashboard"
              className="inline-flex size-11 items-center justify-center rounded-xl text-muted hover:bg-surface-2"
            >
              <IconArrowLeft className="size-5" />
            </Link>
          )}
          <AgentAvatar agent={a} className="size-10 text-sm" />
          <div className="min-w-0 flex-1">
            <h1 className="truncate text-[17px] leading-6 font-semibold tracking-tight lg:text-lg">{a.name}</h1>
            <div className="flex items-center gap-2 text-[13px] text-muted">
              <StatusBadge status={a.status} className="py-0 text-xs" />
              <span className="font-medium">{providerLabel(a.provider)}</span>
            </div>
          </div>
        </div>
        {list.length > 1 && (
          <div role="tablist" aria-label="Conversations" className="-mx-1 mt-2 flex gap-1.5 overflow-x-auto px-1 pb-0.5">
            {list.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                aria-selected={t.id === selected?.id}
                onClick={() => setChosen(t.id)}
                className={cn(
                  "min-h-11 shrink-0 rounded-full border px-3.5 text-sm lg:min-h-9",
                  t.id === selected?.id ? "border-accent bg-accent/10 font-medium text-text" : "border-border text-muted hover:text-text",
                )}
              >
                {t.name}
              </button>
            ))}
          </div>
        )}
      </header>
      {selected ? (
        <Conversation
          key={selected.id}
          tabId={selected.id}
          tabName={selected.name}
          agentName={a.name}
          agentId={a.id}
          providerLabel={PROVIDERS[a.provider as ProviderId]?.label ?? a.provider}
          folder={a.folder}
          simulator={a.provider === "simulator"}
          access={permission}
        />
      ) : tabs.isPending ? (
        <div aria-hidden="true" className="flex-1" />
      ) : (
        <p className="p-6 text-center text-[15px] text-muted">{a.name} has no conversation yet.</p>
      )}
    </div>
  );
}
