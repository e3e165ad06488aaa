"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useState } from "react";
import { ImportSheet } from "@/components/missions/import-sheet";
import { IconMission } from "@/components/missions/icons";
import { MissionRow } from "@/components/missions/mission-list";
import { ListError } from "@/components/ui/list-card";
import { NewMissionSheet } from "@/components/missions/new-mission-sheet";
import { useMissionList } from "@/components/missions/use-missions";
import { Button } from "@/components/ui/button";
import { IconFolder, IconPlus } from "@/components/ui/icons";
import { PageHeader, pageX } from "@/components/ui/page-header";
import { useNow } from "@/components/ui/use-now";
import { usePageTitle } from "@/components/ui/use-page-title";

/** Missions: every mission with its status, features by status, cost and time. */
export default function MissionsPage() {
  return (
    <Suspense>
      <Missions />
    </Suspense>
  );
}

function Missions() {
  usePageTitle("Missions");
  const list = useMissionList();
  const now = useNow();
  const router = useRouter();
  const params = useSearchParams();
  // The palette's "New mission" arrives as ?new=1.
  const [creating, setCreating] = useState(params?.get("new") === "1");
  const [importing, setImporting] = useState(false);
  const missions = list.data;
  const running = missions?.filter((m) => m.status === "executing").length ?? 0;
  const closeNew = () => {
    setCreating(false);
    if (params?.get("new")) router.replace("/missions");
  };

  return (
    <>
      <PageHeader
        title="Missions"
        subtitle={
          missions && missions.length > 0
            ? `${missions.length} ${missions.length === 1 ? "mission" : "missions"}${running ? ` · ${running} running` : ""}`
            : undefined
        }
        actions={
          <>
            <Button variant="ghost" size="sm" onClick={() => setImporting(true)}>
              <IconFolder className="size-5" />
              <span className="max-sm:sr-only">Import from .maestro/</span>
            </Button>
            {missions && missions.length > 0 && (
              <Button variant="primary" className="max-lg:hidden" onClick={() => setCreating(true)}>
                <IconPlus className="size-5" />
                New mission
              </Button>
            )}
          </>
        }
      />
      <div className={pageX}>
        {list.isPending && <div aria-hidden="true" className="h-28 max-w-3xl rounded-2xl bg-surface-2" />}
        {list.error && !missions && <ListError error={list.error} onRetry={() => void list.refetch()} />}
        {missions && missions.length === 0 && (
          <div className="mx-auto flex max-w-md flex-col items-center px-2 pt-[10vh] text-center">
            <span className="inline-flex size-16 items-center justify-center rounded-2xl bg-accent/12 text-accent">
              <IconMission className="size-8" />
            </span>
            <h2 className="mt-6 text-xl font-semibold tracking-tight">Split a plan across agents</h2>
            <p className="mt-2 text-[15px] leading-relaxed text-muted">
              A mission is a plan of milestones and features with dependencies. Approve it and agents work through it in parallel, each in
              its own worktree, checking every feature before it merges.
            </p>
            <Button variant="primary" className="mt-7 w-full max-w-xs" onClick={() => setCreating(true)}>
              <IconPlus className="size-5" />
              New mission
            </Button>
            <Button variant="ghost" className="mt-2 w-full max-w-xs" onClick={() => setImporting(true)}>
              Import from .maestro/
            </Button>
          </div>
        )}
        {missions && missions.length > 0 && (
          <ul aria-label="Missions" className="grid max-w-3xl gap-3 pb-24 lg:pb-6">
            {missions.map((m) => (
              <MissionRow key={m.id} mission={m} now={now} />
            ))}
          </ul>
        )}
      </div>
      {missions && missions.length > 0 && (
        // The phone's primary action sits under the thumb, like the group chats' "New group chat".
        <button
          type="button"
          aria-label="New mission"
          onClick={() => setCreating(true)}
          className="fixed right-4 bottom-[calc(5.25rem+env(safe-area-inset-bottom))] z-20 inline-flex size-14 items-center justify-center rounded-2xl bg-accent text-accent-fg shadow-lg shadow-accent/30 hover:brightness-110 active:scale-95 lg:hidden"
        >
          <IconPlus className="size-6" />
        </button>
      )}
      <NewMissionSheet open={creating} onClose={closeNew} />
      <ImportSheet open={importing} onClose={() => setImporting(false)} />
    </>
  );
}
