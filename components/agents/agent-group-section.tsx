"use client";

import { useId } from "react";
import type { AgentSection } from "./agent-sort";
import { AgentCard } from "./agent-card";
import { nestAgents } from "./worktree-nesting";
import { GroupMenu } from "./group-menu";
import { IconChevronDown } from "../ui/icons";
import { useShell } from "../shell/shell-context";
import { cn } from "../ui/cn";
import { useGroupCollapse, useUngroupedCollapsed } from "./use-group-collapse";

/** Splits the nested order into families: a top-level agent followed by its worktree agents. */
function families<T extends { id: string; parentId?: string | null }>(agents: readonly T[]) {
  const out: { agent: T; depth: number }[][] = [];
  for (const item of nestAgents(agents)) {
    if (item.depth === 0 || out.length === 0) out.push([item]);
    else out[out.length - 1]!.push(item);
  }
  return out;
}

/** One group of agent cards on the dashboard, with a collapsible header. */
export function AgentGroupSection({
  section,
  home,
  now,
  plain,
}: {
  section: AgentSection;
  home?: string | null;
  now: number;
  plain?: boolean;
}) {
  const shell = useShell();
  const toggleGroup = useGroupCollapse();
  const [ungroupedCollapsed, toggleUngrouped] = useUngroupedCollapsed();
  const headingId = useId();
  const listId = useId();
  const { group } = section;
  const collapsed = plain ? false : group ? group.collapsed : ungroupedCollapsed;

  const cards = (
    <ul id={listId} className="grid grid-cols-1 gap-3 md:grid-cols-2 2xl:grid-cols-3">
      {families(section.agents).map((family) => {
        const cards = family.map(({ agent, depth }) => (
          <AgentCard
            key={agent.id}
            agent={agent}
            depth={depth}
            home={home}
            now={now}
            highlight={shell.highlightId === agent.id}
            onHighlightShown={shell.clearHighlight}
            titleLevel={plain ? 2 : 3}
          />
        ));
        // A parent and its worktree agents share one grid cell, the children stacked under it.
        return family.length === 1 ? (
          cards[0]
        ) : (
          <li key={family[0]!.agent.id} className="min-w-0">
            <ul aria-label={`${family[0]!.agent.name} and its worktree agents`} className="space-y-2">
              {cards}
            </ul>
          </li>
        );
      })}
    </ul>
  );

  if (plain) return <section aria-label="Agents">{cards}</section>;

  const busy = section.agents.filter((a) => a.status === "busy" || a.status === "waiting").length;
  return (
    <section aria-labelledby={headingId}>
      <div className="mb-2 flex items-center gap-1">
        <h2 id={headingId} className="min-w-0 flex-1">
          <button
            type="button"
            aria-expanded={!collapsed}
            aria-controls={listId}
            onClick={() => (group ? toggleGroup(group) : toggleUngrouped())}
            className="-ml-2 flex min-h-11 max-w-full items-center gap-2 rounded-xl px-2 text-left hover:bg-surface-2/70"
          >
            <IconChevronDown className={cn("size-4 shrink-0 text-muted transition-transform", collapsed && "-rotate-90")} />
            <span className="truncate text-[15px] font-semibold tracking-tight">{section.name}</span>
            <span
              aria-hidden="true"
              className="shrink-0 rounded-full bg-surface-2 px-2 text-xs leading-5 font-medium text-muted tabular-nums"
            >
              {section.agents.length}
            </span>
            {busy > 0 && collapsed && <span className="shrink-0 text-xs font-medium text-busy">{busy} active</span>}
          </button>
        </h2>
        {group && <GroupMenu group={group} className="lg:hidden" />}
      </div>
      {!collapsed &&
        (section.agents.length > 0 ? (
          cards
        ) : (
          <p id={listId} className="rounded-2xl border border-dashed border-border px-4 py-5 text-center text-sm text-muted">
            No agents in {section.name} yet.{" "}
            <button
              type="button"
              onClick={() => shell.openAddAgent(group?.id ?? null)}
              className="inline-flex min-h-11 items-center font-medium text-accent underline-offset-2 hover:underline lg:min-h-0"
            >
              Add one here
            </button>
          </p>
        ))}
    </section>
  );
}
