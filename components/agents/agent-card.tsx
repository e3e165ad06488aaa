"use client";

import Link from "next/link";
import { useEffect, useId, useRef } from "react";
import { PROVIDERS, type ProviderId } from "@/lib/providers/catalog";
import { StatusBadge, StatusDot } from "./agent-status";
import { IconGitBranch, IconStar } from "../ui/icons";
import type { Agent } from "../ui/trpc-types";
import { cn } from "../ui/cn";
import { relativeTime } from "../ui/relative-time";
import { TruncatedPath } from "../ui/truncated-path";
import { IconMission } from "../missions/icons";
import { useBookmark } from "./use-agent-actions";
import { GitChip } from "./git-chip";
import { useGitStatuses } from "./use-git-status";

export function providerLabel(provider: string): string {
  return PROVIDERS[provider as ProviderId]?.label ?? provider;
}

export function initials(name: string): string {
  const words = name
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return "?";
  if (words.length === 1) return words[0]!.slice(0, 2).toUpperCase();
  return (words[0]![0]! + words[1]![0]!).toUpperCase();
}

/** An agent's avatar: initials on a tinted tile, status dot on the corner. */
export function AgentAvatar({ agent, className }: { agent: Pick<Agent, "name" | "status">; className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cn(
        "relative inline-flex size-11 shrink-0 items-center justify-center rounded-xl bg-accent/12 text-[15px] font-semibold tracking-tight text-accent",
        className,
      )}
    >
      {initials(agent.name)}
      <span className="absolute -right-1 -bottom-1 inline-flex rounded-full bg-surface p-[3px]">
        <StatusDot status={agent.status} large />
      </span>
    </span>
  );
}

/**
 * One agent on the dashboard: the card is a link named after the agent (its details are the
 * link's description); the bookmark star is a separate button laid over the corner.
 */
export function AgentCard({
  agent,
  home,
  now,
  highlight,
  onHighlightShown,
  depth = 0,
  titleLevel = 3,
}: {
  agent: Agent;
  /** The card title's heading level: 2 when no group heading sits above the cards (headings go in order). */
  titleLevel?: 2 | 3;
  /** Worktree nesting: a child agent is indented under its parent (one column on the phone). */
  depth?: number;
  home?: string | null;
  now: number;
  highlight?: boolean;
  onHighlightShown?: () => void;
}) {
  const bookmark = useBookmark();
  const git = useGitStatuses();
  const detailsId = useId();
  const ref = useRef<HTMLLIElement>(null);

  useEffect(() => {
    if (!highlight) return;
    ref.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
    const t = window.setTimeout(() => onHighlightShown?.(), 2400);
    return () => window.clearTimeout(t);
  }, [highlight, onHighlightShown]);

  const activity = agent.lastActivity.trim() || agent.statusDetail.trim();
  const Title = titleLevel === 2 ? "h2" : "h3";
  return (
    <li
      ref={ref}
      className={cn("relative min-w-0", depth > 0 && "border-l-2 border-border pl-3")}
      style={depth > 0 ? { marginLeft: `${(depth - 1) * 0.75 + 0.75}rem` } : undefined}
    >
      <Link
        href={`/agents/${agent.id}`}
        // The whole route, not just its loading shell: opening an agent is the app's main move.
        prefetch={true}
        aria-label={agent.name}
        aria-describedby={detailsId}
        className={cn(
          "flex h-full gap-3.5 rounded-2xl border bg-surface p-4 transition-[border-color,box-shadow] duration-300",
          "hover:border-muted/50 active:bg-surface-2/50",
          highlight ? "border-accent shadow-[0_0_0_4px] shadow-accent/20" : "border-border",
        )}
      >
        <AgentAvatar agent={agent} />
        <div className="min-w-0 flex-1">
          <Title
            className={cn(
              "truncate text-[17px] leading-6 font-semibold tracking-tight",
              agent.mission?.role === "mission" ? "pr-20" : "pr-9",
            )}
          >
            {agent.name}
          </Title>
          <div id={detailsId}>
            <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1">
              <StatusBadge status={agent.status} />
              <span className="text-[13px] font-medium text-muted">{providerLabel(agent.provider)}</span>
              {agent.mission?.role === "mission" && (
                <span className="inline-flex min-w-0 items-center gap-1 text-[13px] text-muted">
                  <IconMission className="size-3.5 shrink-0" />
                  <span className="truncate">Mission: {agent.mission.title}</span>
                </span>
              )}
            </div>
            {/* The git chip names the branch once its status is known; until then, the worktree's own. */}
            {agent.worktreeBranch && !git.data?.[agent.id] && (
              <p className="mt-2 flex min-w-0 items-center gap-1.5 text-[13px] text-muted">
                <IconGitBranch className="size-3.5 shrink-0" />
                <span className="sr-only">Worktree branch </span>
                <span className="truncate font-mono text-[12.5px]">{agent.worktreeBranch}</span>
              </p>
            )}
            <TruncatedPath path={agent.folder} home={home} className="mt-2 text-muted" />
            <GitChip status={git.data?.[agent.id]} className="mt-1 flex w-fit max-w-full" />
            <p className="mt-1 flex min-w-0 items-baseline gap-1.5 text-[13px] text-muted">
              <span className={cn("min-w-0 truncate", activity ? "text-text/80" : "italic")}>{activity || "No activity yet"}</span>
              <span aria-hidden="true">·</span>
              <span className="shrink-0 tabular-nums">{relativeTime(agent.updatedAt, now)}</span>
            </p>
          </div>
        </div>
      </Link>
      <button
        type="button"
        aria-label={`Bookmark ${agent.name}`}
        aria-pressed={agent.bookmarked}
        onClick={() => bookmark.mutate({ id: agent.id, bookmarked: !agent.bookmarked })}
        className={cn(
          "absolute top-1.5 right-1.5 inline-flex size-11 items-center justify-center rounded-xl transition-colors hover:bg-surface-2",
          agent.bookmarked ? "text-busy" : "text-muted/70 hover:text-text",
        )}
      >
        <IconStar filled={agent.bookmarked} className="size-5" />
      </button>
      {agent.mission?.role === "mission" && (
        <Link
          href={`/missions/${agent.mission.missionId}`}
          aria-label={`Mission Control: ${agent.mission.title}`}
          className="absolute top-1.5 right-12 inline-flex size-11 items-center justify-center rounded-xl text-muted/80 transition-colors hover:bg-surface-2 hover:text-text"
        >
          <IconMission className="size-5" />
        </Link>
      )}
    </li>
  );
}
