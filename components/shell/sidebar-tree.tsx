"use client";

import Link from "next/link";
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import type { AgentSection } from "../agents/agent-sort";
import { normalizeStatus } from "../agents/agent-sort";
import { STATUS_META, StatusGlyph } from "../agents/agent-status";
import { GroupMenu } from "../agents/group-menu";
import { IconChevronDown, IconGitBranch, IconStar } from "../ui/icons";
import { nestAgents } from "../agents/worktree-nesting";
import { IconMission } from "../missions/icons";
import type { Agent } from "../ui/trpc-types";
import { cn } from "../ui/cn";
import { useGroupCollapse, useUngroupedCollapsed } from "../agents/use-group-collapse";

/**
 * Groups and their agents as a navigation tree (WAI-ARIA treeview): one tab stop, arrow keys
 * move, Right/Left expand and collapse, Enter opens an agent. Agents are treeitems, so the
 * dashboard's cards stay the only links named after each agent.
 */
export function SidebarTree({ sections, pathname }: { sections: AgentSection[]; pathname: string }) {
  const treeRef = useRef<HTMLUListElement>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const plain = sections.length === 1 && !sections[0]!.group;

  const ids = sections.flatMap((s) => [...(plain ? [] : [`g:${s.key}`]), ...s.agents.map((a) => `a:${a.id}`)]);
  const currentAgent = pathname.startsWith("/agents/") ? `a:${decodeURIComponent(pathname.slice(8))}` : null;
  const tabStop =
    (focusId && ids.includes(focusId) ? focusId : null) ?? (currentAgent && ids.includes(currentAgent) ? currentAgent : ids[0]);

  function onKeyDown(e: KeyboardEvent<HTMLUListElement>) {
    const target = e.target as HTMLElement;
    if (!target.dataset.treeId) return;
    const items = Array.from(treeRef.current!.querySelectorAll<HTMLElement>("[data-tree-id]"));
    const i = items.indexOf(target);
    const focus = (el: HTMLElement | undefined) => el?.focus();
    const expanded = target.getAttribute("aria-expanded");
    switch (e.key) {
      case "ArrowDown":
        focus(items[i + 1]);
        break;
      case "ArrowUp":
        focus(items[i - 1]);
        break;
      case "Home":
        focus(items[0]);
        break;
      case "End":
        focus(items[items.length - 1]);
        break;
      case "ArrowRight":
        if (expanded === "false") target.click();
        else if (expanded === "true") focus(items[i + 1]);
        break;
      case "ArrowLeft":
        if (expanded === "true") target.click();
        else focus(target.parentElement?.closest<HTMLElement>('[role="treeitem"]') ?? undefined);
        break;
      case "Enter":
      case " ":
        if (expanded === null) {
          if (e.key === " ") target.click();
          return;
        }
        target.click();
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  return (
    <ul
      ref={treeRef}
      role="tree"
      aria-label="Agents by group"
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        const id = (e.target as HTMLElement).dataset.treeId;
        if (id) setFocusId(id);
      }}
      className="space-y-0.5"
    >
      {sections.map((section) =>
        plain ? (
          nestAgents(section.agents).map(({ agent, depth }) => (
            <AgentItem
              key={agent.id}
              agent={agent}
              level={1 + depth}
              depth={depth}
              active={pathname === `/agents/${agent.id}`}
              tabStop={tabStop}
            />
          ))
        ) : (
          <GroupItem key={section.key} section={section} tabStop={tabStop}>
            {nestAgents(section.agents).map(({ agent, depth }) => (
              <AgentItem
                key={agent.id}
                agent={agent}
                level={2 + depth}
                depth={depth}
                active={pathname === `/agents/${agent.id}`}
                tabStop={tabStop}
              />
            ))}
          </GroupItem>
        ),
      )}
    </ul>
  );
}

function GroupItem({ section, tabStop, children }: { section: AgentSection; tabStop: string | undefined; children: ReactNode }) {
  const toggleGroup = useGroupCollapse();
  const [ungroupedCollapsed, toggleUngrouped] = useUngroupedCollapsed();
  const groupId = useId();
  const { group } = section;
  const collapsed = group ? group.collapsed : ungroupedCollapsed;
  const toggle = () => (group ? toggleGroup(group) : toggleUngrouped());
  const id = `g:${section.key}`;

  return (
    <li
      role="treeitem"
      aria-expanded={!collapsed}
      aria-level={1}
      aria-label={section.name}
      data-tree-id={id}
      tabIndex={tabStop === id ? 0 : -1}
      onClick={(e) => {
        // Only clicks on the row itself (not on its buttons or the agents inside) toggle.
        if (e.target === e.currentTarget) toggle();
      }}
      className="tree-item rounded-lg outline-none"
    >
      <div className="tree-row reveal-scope flex items-center rounded-lg pr-0.5 hover:bg-surface-2/60">
        <div
          aria-hidden="true"
          onClick={toggle}
          className="flex h-8 min-w-0 flex-1 cursor-pointer items-center gap-1.5 px-2 text-[13px] font-semibold text-text/90 select-none"
        >
          <IconChevronDown className={cn("size-3.5 shrink-0 text-muted transition-transform", collapsed && "-rotate-90")} />
          <span className="truncate">{section.name}</span>
          <span className="ml-0.5 text-xs font-normal text-muted tabular-nums">{section.agents.length}</span>
        </div>
        {group && (
          <span className="flex items-center" onKeyDown={(e) => e.stopPropagation()}>
            <GroupMenu group={group} className="reveal-on-hover size-7 rounded-md lg:size-7" />
          </span>
        )}
      </div>
      {!collapsed && (
        <ul role="group" id={groupId} className="ml-3 space-y-px border-l border-border pl-1.5">
          {children}
          {section.agents.length === 0 && (
            <li role="none" className="px-2.5 py-1 text-xs text-muted">
              Empty
            </li>
          )}
        </ul>
      )}
    </li>
  );
}

function AgentItem({
  agent,
  level,
  depth,
  active,
  tabStop,
}: {
  agent: Agent;
  level: number;
  depth: number;
  active: boolean;
  tabStop: string | undefined;
}) {
  const statusId = useId();
  const id = `a:${agent.id}`;
  return (
    <li role="none">
      <Link
        href={`/agents/${agent.id}`}
        role="treeitem"
        aria-level={level}
        aria-current={active ? "page" : undefined}
        aria-selected={active}
        aria-describedby={statusId}
        data-tree-id={id}
        tabIndex={tabStop === id ? 0 : -1}
        className={cn(
          "flex h-8 items-center gap-2 rounded-lg px-2 text-sm outline-offset-[-2px]",
          active ? "bg-accent/12 font-medium text-text" : "text-text/85 hover:bg-surface-2 hover:text-text",
        )}
        style={depth > 0 ? { paddingLeft: `${0.5 + depth * 0.875}rem` } : undefined}
        title={agent.worktreeBranch ? `${agent.name} (branch ${agent.worktreeBranch})` : undefined}
      >
        {depth > 0 && <IconGitBranch className="size-3.5 shrink-0 text-muted" aria-hidden="true" />}
        <StatusGlyph status={agent.status} className="size-3.5" />
        <span className="min-w-0 flex-1 truncate">{agent.name}</span>
        {agent.mission?.role === "mission" && <IconMission className="size-3.5 shrink-0 text-muted" aria-hidden="true" />}
        {agent.bookmarked && <IconStar filled className="size-3 shrink-0 text-busy" />}
        {/* Referenced by aria-describedby; hidden so it stays out of the item's name. */}
        <span id={statusId} hidden>
          {STATUS_META[normalizeStatus(agent.status)].label}
          {agent.mission?.role === "mission" ? `, the branch of mission ${agent.mission.title}` : ""}
        </span>
      </Link>
    </li>
  );
}
