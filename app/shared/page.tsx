"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { AgentAvatar, providerLabel } from "@/components/agents/agent-card";
import { StatusBadge } from "@/components/agents/agent-status";
import { PageHeader, pageX } from "@/components/ui/page-header";
import { useSharedLive } from "@/components/share/shared-agent";
import { readError } from "@/components/ui/trpc-error";
import { FormError } from "@/components/ui/field";
import { usePageTitle } from "@/components/ui/use-page-title";
import { useTRPC } from "@/lib/trpc/client";

/** The shared dashboard: every agent's status at a glance; tap one to watch it (read only). */
export default function SharedDashboardPage() {
  usePageTitle("Agents (shared)");
  const trpc = useTRPC();
  useSharedLive();
  const agents = useQuery(trpc.agents.list.queryOptions());
  return (
    <div className="overflow-y-auto pb-10">
      <PageHeader
        title="Agents"
        subtitle={agents.data ? `${agents.data.length} ${agents.data.length === 1 ? "agent" : "agents"}` : undefined}
      />
      <div className={pageX}>
        {agents.error && <FormError>{readError(agents.error).message}</FormError>}
        {agents.data?.length === 0 && (
          <p className="rounded-2xl border border-dashed border-border px-4 py-8 text-center text-[15px] text-muted">
            No agents yet. When the owner adds one, it shows up here.
          </p>
        )}
        {/* minmax(0,1fr): a long agent name truncates instead of widening the column past the screen. */}
        <ul className="grid grid-cols-[minmax(0,1fr)] gap-3 lg:max-w-6xl lg:grid-cols-2 xl:grid-cols-3">
          {agents.data?.map((a) => (
            <li key={a.id} className="min-w-0">
              <Link
                href={`/shared/agents/${encodeURIComponent(a.id)}`}
                className="flex gap-3.5 rounded-2xl border border-border bg-surface p-4 hover:border-muted/50"
              >
                <AgentAvatar agent={a} />
                <div className="min-w-0 flex-1">
                  <h2 className="truncate text-[17px] leading-6 font-semibold">{a.name}</h2>
                  <div className="mt-1 flex items-center gap-2">
                    <StatusBadge status={a.status} />
                    <span className="text-[13px] font-medium text-muted">{providerLabel(a.provider)}</span>
                  </div>
                  <p className="mt-1 truncate text-[13px] text-muted">
                    {a.lastActivity.trim() || a.statusDetail.trim() || "No activity yet"}
                  </p>
                </div>
              </Link>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
