"use client";

import Link from "next/link";
import { useState } from "react";
import type { FeatureView, MissionView } from "@/lib/missions/types";
import { TranscriptView } from "../conversation/transcript-view";
import { useTranscript } from "../conversation/use-transcript";
import { agentTabHref } from "../groupchat/chat-meta";
import { cn } from "../ui/cn";
import { FeatureStatusPill } from "./feature-card";

/** The features with a worker now (running or being verified). */
export function runningFeatures(view: MissionView): FeatureView[] {
  return view.features.filter((f) => f.status === "in-progress" || f.status === "review");
}

/** A worker's tab as it streams: the same transcript the agent page and the run page show, read-only. */
function WorkerStream({ feature }: { feature: FeatureView }) {
  const { transcript } = useTranscript(feature.tabId!);
  return (
    <div className="flex h-[60vh] min-h-72 flex-col rounded-xl border border-border bg-surface lg:h-[calc(100vh-19rem)]">
      <div className="flex min-h-11 items-center gap-2 border-b border-border px-3 py-1.5">
        <span className="min-w-0 flex-1 truncate text-sm">
          <span className="font-semibold">{feature.agentName ?? "Worker"}</span>
          <span className="text-muted"> · {feature.title}</span>
        </span>
        {feature.worktreeAgentId && (
          <Link
            href={agentTabHref(feature.worktreeAgentId, feature.tabId)}
            className="inline-flex min-h-11 shrink-0 items-center rounded-lg px-2 text-sm font-medium text-accent hover:bg-surface-2 lg:min-h-8"
          >
            Open in agent
          </Link>
        )}
      </div>
      <div className="flex min-h-0 flex-1 flex-col px-3">
        <TranscriptView
          transcript={transcript}
          pending={null}
          loading={false}
          empty={<p className="py-6 text-center text-[15px] text-muted">The worker starts in a moment.</p>}
        />
      </div>
    </div>
  );
}

/** What runs now: one chip per worker, and the chosen worker's live stream. */
export function RunningPanel({ view }: { view: MissionView }) {
  const running = runningFeatures(view);
  const [chosen, setChosen] = useState<string | null>(null);
  const current = running.find((f) => f.key === chosen) ?? running[0];
  if (running.length === 0) {
    return (
      <p className="rounded-xl border border-dashed border-border px-4 py-8 text-center text-[15px] text-muted">
        {view.status === "draft"
          ? "Nothing runs before the mission is approved."
          : view.status === "completed"
            ? "The mission is done: no worker runs."
            : "No worker runs right now."}
      </p>
    );
  }
  return (
    <div className="space-y-2.5">
      <div role="tablist" aria-label="Workers running" className="-mx-1 flex gap-1.5 overflow-x-auto px-1 pb-1">
        {running.map((f) => (
          <button
            key={f.key}
            type="button"
            role="tab"
            aria-selected={f.key === current?.key}
            onClick={() => setChosen(f.key)}
            className={cn(
              "inline-flex min-h-11 shrink-0 items-center gap-2 rounded-full border px-3 text-sm font-medium lg:min-h-9",
              f.key === current?.key ? "border-accent bg-accent/10 text-accent" : "border-border text-text/85 hover:bg-surface-2",
            )}
          >
            {f.title}
            <FeatureStatusPill feature={f} />
          </button>
        ))}
      </div>
      {current?.tabId ? (
        <WorkerStream key={current.tabId} feature={current} />
      ) : (
        <p className="py-6 text-center text-[15px] text-muted">{current ? `${current.title} is starting…` : null}</p>
      )}
    </div>
  );
}
