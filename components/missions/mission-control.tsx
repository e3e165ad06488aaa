"use client";

import Link from "next/link";
import { useState, type ReactNode } from "react";
import type { MissionView } from "@/lib/missions/types";
import { formatCost, formatDuration, formatTokens } from "@/lib/transcript/format";
import { useMedia } from "../history/use-media";
import { cn } from "../ui/cn";
import { FormError } from "../ui/field";
import { IconArrowLeft, IconGitBranch } from "../ui/icons";
import { readError } from "../ui/trpc-error";
import { usePageTitle } from "../ui/use-page-title";
import { ActivityLog } from "./activity-log";
import { AssertionsPanel } from "./assertions-panel";
import { CheckpointsPanel } from "./checkpoints-panel";
import { FeatureBar } from "./feature-bar";
import { FeatureSheet } from "./feature-sheet";
import { HandoffsPanel } from "./handoffs-panel";
import { countsOf, MissionBoard, milestonesInOrder, ReviewGate } from "./mission-board";
import { MissionActions, MissionMenu } from "./mission-actions";
import { MissionGraph } from "./mission-graph";
import { MISSION_STATUS_LABEL, MISSION_STATUS_PILL } from "./mission-meta";
import { MemoryPanel } from "./memory-panel";
import { RunningPanel, runningFeatures } from "./running-panel";
import { useMission } from "./use-missions";

type Section = "board" | "graph" | "running" | "assertions" | "handoffs" | "memory" | "checkpoints" | "log";
const SIDE: Section[] = ["running", "assertions", "handoffs", "memory", "checkpoints", "log"];
const ALL: Section[] = ["board", "graph", ...SIDE];
const LABEL: Record<Section, string> = {
  board: "Board",
  graph: "Graph",
  running: "Running",
  assertions: "Assertions",
  handoffs: "Handoffs",
  memory: "Memory",
  checkpoints: "Checkpoints",
  log: "Log",
};

/** Mission Control: the whole mission on one screen, loaded and kept current. */
export function MissionControl({ missionId }: { missionId: string }) {
  const mission = useMission(missionId);
  usePageTitle(mission.data?.title ?? "Mission");
  if (mission.error && !mission.data) {
    const e = readError(mission.error);
    return (
      <div className="mx-auto max-w-lg px-4 pt-16 text-center">
        <h1 className="text-xl font-semibold">{e.code === "NOT_FOUND" ? "This mission no longer exists" : "Couldn't load this mission"}</h1>
        <p className="mt-2 text-[15px] text-muted">
          {e.code === "NOT_FOUND" ? "It may have been deleted from another device." : e.message}
        </p>
        <Link href="/missions" className="mt-6 inline-flex min-h-11 items-center gap-2 font-medium text-accent">
          <IconArrowLeft className="size-4" />
          Back to missions
        </Link>
      </div>
    );
  }
  if (!mission.data) return <div aria-hidden="true" className="m-4 h-40 rounded-2xl bg-surface-2 lg:m-10" />;
  return <Loaded view={mission.data} />;
}

function Finish({ view }: { view: MissionView }) {
  if (view.status !== "completed" && !view.prUrl && !view.finishWarning) return null;
  return (
    <div className="mt-3 space-y-2">
      {view.prUrl && (
        <a
          href={view.prUrl}
          target="_blank"
          rel="noreferrer"
          className="flex min-h-11 items-center gap-2 rounded-xl border border-ok/40 bg-ok/8 px-3.5 text-[15px] font-medium text-ok"
        >
          <IconGitBranch className="size-4 shrink-0" />
          <span className="min-w-0 truncate">
            Pull request opened{view.prVia ? ` (${view.prVia})` : ""}: <span className="underline">{view.prUrl}</span>
          </span>
        </a>
      )}
      {view.status === "completed" && view.finishMode === "merge" && !view.finishWarning && (
        <p
          role="status"
          aria-label="Finish"
          className="flex min-h-11 items-center gap-2 rounded-xl border border-ok/40 bg-ok/8 px-3.5 text-[15px] font-medium text-ok"
        >
          <IconGitBranch className="size-4 shrink-0" />
          <span className="min-w-0 break-words">
            Merged {view.branch ? <span className="font-mono">{view.branch}</span> : "the mission branch"} into{" "}
            <span className="font-mono">{view.baseBranch ?? "the base branch"}</span>
          </span>
        </p>
      )}
      {view.finishWarning && <FormError>{view.finishWarning}</FormError>}
    </div>
  );
}

function Header({ view, onOpenFeature }: { view: MissionView; onOpenFeature: (key: string) => void }) {
  const t = view.totals;
  const inReview = milestonesInOrder(view).filter((m) => m.status === "review");
  const failed = view.features.filter((f) => f.status === "failed");
  return (
    <header className="px-4 pt-[max(1rem,calc(env(safe-area-inset-top)+0.5rem))] pb-3 sm:px-6 lg:px-10 lg:pt-8">
      <div className="flex items-start gap-1.5">
        <Link
          href="/missions"
          aria-label="Back to missions"
          className="-ml-2 inline-flex size-11 shrink-0 items-center justify-center rounded-xl text-muted hover:bg-surface-2 lg:hidden"
        >
          <IconArrowLeft className="size-5" />
        </Link>
        <div className="min-w-0 flex-1">
          <h1 className="text-[22px] leading-tight font-bold tracking-tight lg:text-[28px]">{view.title}</h1>
          <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-[13px] text-muted">
            <span
              role="status"
              aria-label="Mission status"
              className={cn("rounded-full px-2.5 text-xs leading-5 font-semibold", MISSION_STATUS_PILL[view.status])}
            >
              {MISSION_STATUS_LABEL[view.status]}
            </span>
            <span>{view.agentName}</span>
            <span className="tabular-nums">
              {formatCost(t.costUsd)} · {formatDuration(t.durationMs)}
              <span className="max-sm:hidden"> · {formatTokens(t.inputTokens + t.outputTokens)} tokens</span>
            </span>
          </div>
        </div>
        <MissionActions view={view} className="max-lg:hidden" />
        <MissionMenu view={view} />
      </div>
      {view.statusDetail && view.status !== "executing" && <p className="mt-2 text-sm text-muted">{view.statusDetail}</p>}
      <FeatureBar counts={countsOf(view.features)} className="mt-3 max-w-3xl" />
      <Finish view={view} />
      {failed.length > 0 && (
        <div role="alert" className="mt-3 rounded-xl border border-bad/40 bg-bad/8 p-3 text-[15px]">
          <p className="font-semibold text-bad">
            {failed.length === 1 ? "A feature failed" : `${failed.length} features failed`}: open it to Retry, Skip or Reassign.
          </p>
          <div className="mt-1.5 flex flex-wrap gap-1.5">
            {failed.map((f) => (
              <button
                key={f.key}
                type="button"
                onClick={() => onOpenFeature(f.key)}
                className="min-h-11 rounded-lg border border-bad/40 bg-surface px-3 text-sm font-medium lg:min-h-9"
              >
                {f.title}
              </button>
            ))}
          </div>
        </div>
      )}
      {inReview.map((m) => (
        <div key={m.key} className="mt-3 max-w-3xl">
          <ReviewGate view={view} milestone={m} />
        </div>
      ))}
    </header>
  );
}

function Tabs({
  sections,
  current,
  onPick,
  view,
}: {
  sections: Section[];
  current: Section;
  onPick: (s: Section) => void;
  view: MissionView;
}) {
  const running = runningFeatures(view).length;
  return (
    <div role="tablist" aria-label="Mission sections" className="-mx-1 flex gap-1 overflow-x-auto px-1 pb-2 lg:flex-wrap">
      {sections.map((s) => (
        <button
          key={s}
          type="button"
          role="tab"
          id={`mc-tab-${s}`}
          aria-selected={s === current}
          aria-controls={`mc-panel-${s}`}
          onClick={() => onPick(s)}
          className={cn(
            "inline-flex min-h-11 shrink-0 items-center gap-1.5 rounded-full px-3.5 text-sm font-medium lg:min-h-9",
            s === current ? "bg-accent text-accent-fg" : "bg-surface-2 text-text/85 hover:bg-border/60",
          )}
        >
          {LABEL[s]}
          {s === "running" && running > 0 && (
            <span className={cn("rounded-full px-1.5 text-xs tabular-nums", s === current ? "bg-accent-fg/20" : "bg-busy/20 text-busy")}>
              {running}
            </span>
          )}
        </button>
      ))}
    </div>
  );
}

function Panel({ section, children }: { section: Section; children: ReactNode }) {
  return (
    <div role="tabpanel" id={`mc-panel-${section}`} aria-labelledby={`mc-tab-${section}`}>
      {children}
    </div>
  );
}

function Loaded({ view }: { view: MissionView }) {
  const wide = useMedia("(min-width: 1024px)");
  const [phoneTab, setPhoneTab] = useState<Section>("board");
  const [sideTab, setSideTab] = useState<Section>("running");
  const [feature, setFeature] = useState<string | null>(null);
  const render = (s: Section): ReactNode => {
    switch (s) {
      case "board":
        return <MissionBoard view={view} onOpenFeature={setFeature} />;
      case "graph":
        return <MissionGraph view={view} onOpenFeature={setFeature} />;
      case "running":
        return <RunningPanel view={view} />;
      case "assertions":
        return <AssertionsPanel view={view} />;
      case "handoffs":
        return <HandoffsPanel view={view} />;
      case "memory":
        return <MemoryPanel agentId={view.agentId} />;
      case "checkpoints":
        return <CheckpointsPanel view={view} />;
      case "log":
        return <ActivityLog missionId={view.id} />;
    }
  };
  return (
    <>
      <Header view={view} onOpenFeature={setFeature} />
      {wide ? (
        <div className="grid grid-cols-[minmax(0,1.15fr)_minmax(0,1fr)] gap-6 px-10 pb-10">
          <div className="space-y-6">
            <section aria-label="Board">{render("board")}</section>
            <section aria-labelledby="mc-graph">
              <h2 id="mc-graph" className="mb-2 text-sm font-semibold tracking-wider text-muted uppercase">
                Dependencies
              </h2>
              {render("graph")}
            </section>
          </div>
          <div className="min-w-0">
            <Tabs sections={SIDE} current={sideTab} onPick={setSideTab} view={view} />
            <Panel section={sideTab}>{render(sideTab)}</Panel>
          </div>
        </div>
      ) : (
        <div className="px-4 pb-[calc(9rem+env(safe-area-inset-bottom))] sm:px-6">
          <Tabs sections={ALL} current={phoneTab} onPick={setPhoneTab} view={view} />
          <Panel section={phoneTab}>{render(phoneTab)}</Panel>
        </div>
      )}
      {view.status !== "completed" && (
        // The phone's one next step sits under the thumb, above the navigation.
        <div className="fixed inset-x-0 bottom-[calc(4rem+env(safe-area-inset-bottom))] z-20 border-t border-border bg-surface/95 px-4 py-2.5 backdrop-blur lg:hidden">
          <MissionActions view={view} />
        </div>
      )}
      <FeatureSheet view={view} featureKey={feature} onClose={() => setFeature(null)} />
    </>
  );
}
