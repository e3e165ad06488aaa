"use client";

import Link from "next/link";
import { useState } from "react";
import { AgentAvatar, providerLabel } from "./agent-card";
import { AgentRenameForm } from "./agent-rename";
import { StatusBadge } from "./agent-status";
import { IconArrowLeft, IconPencil, IconStar } from "./icons";
import type { Agent } from "./trpc-types";
import { Button } from "./ui/button";
import { cn } from "./ui/cn";
import { TruncatedPath } from "./ui/truncated-path";
import { useBookmark } from "./use-agent-actions";

/** Name, status, provider and folder, with Rename and Bookmark right where the name is. */
export function AgentHeader({ agent, home }: { agent: Agent; home?: string | null }) {
  const [renaming, setRenaming] = useState(false);
  const bookmark = useBookmark();
  return (
    <header className="border-b border-border bg-surface/60 px-4 pb-4 pt-[max(0.75rem,env(safe-area-inset-top))] sm:px-6 lg:px-10 lg:pb-6 lg:pt-6">
      <Link
        href="/"
        className="-ml-2 inline-flex min-h-11 items-center gap-1.5 rounded-lg px-2 text-sm font-medium text-muted hover:text-text lg:min-h-8"
      >
        <IconArrowLeft className="size-4" />
        Back to agents
      </Link>
      <div className="mt-2 flex flex-col gap-4 lg:flex-row lg:items-start">
        <div className="flex min-w-0 flex-1 items-start gap-3.5">
          <AgentAvatar agent={agent} className="mt-0.5 size-12 text-base" />
          <div className="min-w-0 flex-1">
            {renaming ? (
              <AgentRenameForm agent={agent} onDone={() => setRenaming(false)} />
            ) : (
              <h1 className="break-words text-2xl font-bold leading-tight tracking-tight lg:text-[28px]">{agent.name}</h1>
            )}
            <div className="mt-2 flex flex-wrap items-center gap-x-2.5 gap-y-1.5">
              <StatusBadge status={agent.status} />
              <span className="text-sm font-medium text-muted">{providerLabel(agent.provider)}</span>
            </div>
            <TruncatedPath path={agent.folder} home={home} className="mt-2 text-muted" />
          </div>
        </div>
        {!renaming && (
          <div className="flex shrink-0 flex-wrap gap-2">
            <Button size="sm" onClick={() => setRenaming(true)}>
              <IconPencil className="size-4" />
              Rename
            </Button>
            <Button
              size="sm"
              aria-pressed={agent.bookmarked}
              onClick={() => bookmark.mutate({ id: agent.id, bookmarked: !agent.bookmarked })}
              className={cn(agent.bookmarked && "border-busy/50 bg-busy/10")}
            >
              <IconStar filled={agent.bookmarked} className={cn("size-4", agent.bookmarked && "text-busy")} />
              Bookmark
            </Button>
          </div>
        )}
      </div>
    </header>
  );
}
