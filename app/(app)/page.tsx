"use client";

import { useMemo, useState } from "react";

import { AgentGroupSection } from "@/components/agents/agent-group-section";
import { DashboardEmpty } from "@/components/agents/dashboard-empty";
import { DashboardSkeleton } from "@/components/agents/dashboard-skeleton";
import { IconFolderPlus, IconPlus, IconShare } from "@/components/ui/icons";
import { LazyShareSheet } from "@/components/share/lazy-share-sheet";
import { PageHeader, pageX } from "@/components/ui/page-header";
import { useShell } from "@/components/shell/shell-context";
import type { Agent } from "@/components/ui/trpc-types";
import { readError } from "@/components/ui/trpc-error";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { usePageTitle } from "@/components/ui/use-page-title";
import { useNow } from "@/components/ui/use-now";
import { useAgentSections, useMe, usePrefetchAgentTabs, useWarmTranscripts } from "@/components/agents/use-agents";
import { useLiveGitStatuses } from "@/components/agents/use-git-status";

function summary(agents: Agent[]): string {
  const n = (s: string) => agents.filter((a) => a.status === s).length;
  const parts = [`${agents.length} ${agents.length === 1 ? "agent" : "agents"}`];
  if (n("waiting")) parts.push(`${n("waiting")} waiting for you`);
  if (n("busy")) parts.push(`${n("busy")} busy`);
  if (n("error")) parts.push(`${n("error")} with errors`);
  if (parts.length === 1 && agents.length > 0) parts.push("all idle");
  return parts.join(" · ");
}

export default function DashboardPage() {
  usePageTitle("Agents");
  const shell = useShell();
  const me = useMe();
  const now = useNow();
  const { sections, agents, isPending, error, refetch } = useAgentSections();
  const agentIds = useMemo(() => (agents ?? []).map((a) => a.id), [agents]);
  usePrefetchAgentTabs(agentIds);
  useLiveGitStatuses();
  // The first agents as shown (groups in order, busy and bookmarked first within each).
  useWarmTranscripts(useMemo(() => (sections ?? []).flatMap((s) => s.agents.map((a) => a.id)), [sections]));
  const empty = agents?.length === 0;
  const home = me.data?.homeDir;
  const [sharing, setSharing] = useState(false);

  return (
    <>
      <PageHeader
        title="Agents"
        subtitle={agents && agents.length > 0 ? summary(agents) : undefined}
        actions={
          !empty &&
          agents && (
            <>
              <Button
                size="sm"
                variant="ghost"
                aria-label="Share the dashboard"
                title="Share the dashboard"
                onClick={() => setSharing(true)}
              >
                <IconShare className="size-5" />
                <span className="max-sm:sr-only">Share</span>
              </Button>
              <Button size="sm" className="lg:hidden" onClick={() => shell.openGroupDialog({ kind: "new" })}>
                <IconFolderPlus className="size-4" />
                New group
              </Button>
              <Button variant="primary" className="max-lg:hidden" onClick={() => shell.openAddAgent()}>
                <IconPlus className="size-5" />
                Add an agent
              </Button>
            </>
          )
        }
      />
      <div className={pageX}>
        {isPending && !error && <DashboardSkeleton />}
        {error && !agents && (
          <FormError hint={readError(error).hint} className="max-w-xl">
            {readError(error).message}{" "}
            <button type="button" onClick={() => void refetch()} className="font-semibold text-accent underline-offset-2 hover:underline">
              Try again
            </button>
          </FormError>
        )}
        {empty && <DashboardEmpty />}
        {!empty && sections && (
          <div className="space-y-6 pb-20 lg:max-w-6xl lg:pb-0">
            {sections.map((section) => (
              <AgentGroupSection
                key={section.key}
                section={section}
                home={home}
                now={now}
                plain={sections.length === 1 && !section.group}
              />
            ))}
          </div>
        )}
      </div>
      {sharing && <LazyShareSheet target={{ scope: "dashboard" }} open onClose={() => setSharing(false)} />}
      {!empty && agents && (
        <button
          type="button"
          aria-label="Add an agent"
          onClick={() => shell.openAddAgent()}
          className="fixed right-4 bottom-[calc(5.25rem+env(safe-area-inset-bottom))] z-20 inline-flex size-14 items-center justify-center rounded-2xl bg-accent text-accent-fg shadow-lg shadow-accent/30 hover:brightness-110 active:scale-95 lg:hidden"
        >
          <IconPlus className="size-6" />
        </button>
      )}
    </>
  );
}
