"use client";

import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent as ReactPointerEvent } from "react";
import { IconHistory, IconMore, IconPencil, IconPlus, IconStar, IconTrash, IconX } from "../ui/icons";
import { cn } from "../ui/cn";
import { MenuButton, type MenuItem } from "../ui/menu";
import { TabPermissionModeSheet, tabPermissionMenuItem } from "../settings/tab-permission-mode";
import { IconArrowLeftRight, Spinner } from "./icons";

/** The bar's icon buttons (New tab, Sessions, Tab actions): 44 px on touch, compact on desktop. */
const TOOL_BUTTON = "inline-flex size-11 items-center justify-center rounded-lg text-muted hover:bg-surface-2 hover:text-text lg:size-9";

export interface TabInfo {
  id: string;
  name: string;
  starred: boolean;
  /** The tab's own permission mode (null: the agent's). */
  permissionMode?: string | null;
}

const LONG_PRESS_MS = 500;

/**
 * The agent's conversations. A scrollable tablist (arrow keys move between tabs, F2 renames),
 * a New tab button, and a menu for the selected tab. Double-click (or
 * long-press on a phone) renames in place; on wide screens tabs can be dragged to reorder.
 */
export function TabsBar({
  tabs,
  selectedId,
  runningId,
  panelId,
  creating,
  onSelect,
  onNew,
  onRename,
  onStar,
  onMove,
  onReorder,
  onClose,
  onSessions,
  agent,
}: {
  tabs: TabInfo[];
  selectedId: string | null;
  /** The selected tab when a turn runs in it. */
  runningId: string | null;
  panelId: string;
  creating: boolean;
  onSelect: (id: string) => void;
  onNew: () => void;
  onRename: (id: string, name: string) => void;
  onStar: (id: string, starred: boolean) => void;
  onMove: (id: string, by: -1 | 1) => void;
  onReorder: (ids: string[]) => void;
  onClose: (tab: TabInfo) => void;
  /** Opens the session explorer (past conversations, including ones from outside Maestro). */
  onSessions?: () => void;
  /** The tabs' agent: with it, the menu offers the tab's own permission mode. */
  agent?: { id: string; provider: string };
}) {
  const [renamingId, setRenamingId] = useState<string | null>(null);
  const [dragId, setDragId] = useState<string | null>(null);
  const [dropIndex, setDropIndex] = useState<number | null>(null);
  const [permissionsOf, setPermissionsOf] = useState<TabInfo | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const selected = tabs.find((t) => t.id === selectedId) ?? null;
  const selectedIndex = selected ? tabs.indexOf(selected) : -1;

  // Keep the selected tab in view (after a switch, a new tab, a deep link).
  useEffect(() => {
    if (!selectedId) return;
    const el = listRef.current?.querySelector<HTMLElement>(`[data-tab-id="${CSS.escape(selectedId)}"]`);
    el?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [selectedId, tabs.length, runningId]);

  function focusTab(id: string) {
    listRef.current?.querySelector<HTMLElement>(`[data-tab-id="${CSS.escape(id)}"] [role="tab"]`)?.focus();
  }

  function onTabKey(e: KeyboardEvent<HTMLButtonElement>, tab: TabInfo, i: number) {
    let to = -1;
    if (e.key === "ArrowRight") to = (i + 1) % tabs.length;
    else if (e.key === "ArrowLeft") to = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === "Home") to = 0;
    else if (e.key === "End") to = tabs.length - 1;
    else if (e.key === "F2") {
      e.preventDefault();
      setRenamingId(tab.id);
      return;
    } else if (e.key === "Delete") {
      // The keyboard's close (the chip's × is for pointers: see TabChip).
      e.preventDefault();
      onClose(tab);
      return;
    }
    if (to < 0) return;
    e.preventDefault();
    const next = tabs[to]!;
    onSelect(next.id);
    requestAnimationFrame(() => focusTab(next.id));
  }

  const menuItems: MenuItem[] = selected
    ? [
        { label: "Rename tab", icon: <IconPencil className="size-4" />, onSelect: () => setRenamingId(selected.id) },
        {
          label: selected.starred ? "Unstar tab" : "Star tab",
          icon: <IconStar filled={!selected.starred} className="size-4" />,
          onSelect: () => onStar(selected.id, !selected.starred),
        },
        ...(selectedIndex > 0
          ? [{ label: "Move tab left", icon: <IconArrowLeftRight className="size-4" />, onSelect: () => onMove(selected.id, -1) }]
          : []),
        ...(selectedIndex < tabs.length - 1
          ? [{ label: "Move tab right", icon: <IconArrowLeftRight className="size-4" />, onSelect: () => onMove(selected.id, 1) }]
          : []),
        ...(agent
          ? [tabPermissionMenuItem({ ...selected, permissionMode: selected.permissionMode ?? null }, () => setPermissionsOf(selected))]
          : []),
        { label: "Close tab", icon: <IconTrash className="size-4" />, destructive: true, onSelect: () => onClose(selected) },
      ]
    : [];

  function drop(toIndex: number) {
    if (!dragId) return;
    const from = tabs.findIndex((t) => t.id === dragId);
    if (from < 0) return;
    const ids = tabs.map((t) => t.id);
    ids.splice(from, 1);
    ids.splice(toIndex > from ? toIndex - 1 : toIndex, 0, dragId);
    if (ids.join() !== tabs.map((t) => t.id).join()) onReorder(ids);
  }

  return (
    <div className="flex min-w-0 items-stretch border-b border-border bg-surface/70">
      <div
        ref={listRef}
        role="tablist"
        aria-label="Conversations"
        className="flex min-w-0 flex-1 [scrollbar-width:none] items-stretch overflow-x-auto overscroll-x-contain [&::-webkit-scrollbar]:hidden"
        onDragOver={(e) => dragId && e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          if (dropIndex !== null) drop(dropIndex);
          setDragId(null);
          setDropIndex(null);
        }}
      >
        {tabs.map((tab, i) => (
          <TabChip
            key={tab.id}
            tab={tab}
            selected={tab.id === selectedId}
            running={tab.id === runningId}
            panelId={panelId}
            renaming={renamingId === tab.id}
            dropBefore={dragId !== null && dropIndex === i}
            dropAfter={dragId !== null && dropIndex === tabs.length && i === tabs.length - 1}
            onSelect={() => onSelect(tab.id)}
            onKeyDown={(e) => onTabKey(e, tab, i)}
            onStartRename={() => setRenamingId(tab.id)}
            onRename={(name) => {
              setRenamingId(null);
              if (name && name !== tab.name) onRename(tab.id, name);
              requestAnimationFrame(() => focusTab(tab.id));
            }}
            onCancelRename={() => {
              setRenamingId(null);
              requestAnimationFrame(() => focusTab(tab.id));
            }}
            onClose={() => onClose(tab)}
            onDragStart={() => setDragId(tab.id)}
            onDragOverHalf={(after) => setDropIndex(after ? i + 1 : i)}
            onDragEnd={() => {
              setDragId(null);
              setDropIndex(null);
            }}
          />
        ))}
      </div>
      <div className="flex shrink-0 items-center gap-0.5 border-l border-border/70 px-1">
        <button
          type="button"
          onClick={onNew}
          disabled={creating}
          aria-label="New tab"
          title="New tab (Alt+T)"
          className={`${TOOL_BUTTON} disabled:opacity-50`}
        >
          <IconPlus className="size-5" />
        </button>
        {onSessions && (
          <button
            type="button"
            onClick={onSessions}
            aria-label="Sessions"
            title="Sessions: find and resume past conversations"
            className={TOOL_BUTTON}
          >
            <IconHistory className="size-5" />
          </button>
        )}
        {selected && (
          <MenuButton label="Tab actions" items={menuItems} className={TOOL_BUTTON}>
            <IconMore className="size-5" />
          </MenuButton>
        )}
      </div>
      {agent && permissionsOf && (
        <TabPermissionModeSheet
          tab={{ ...permissionsOf, permissionMode: permissionsOf.permissionMode ?? null }}
          agent={agent}
          open
          onClose={() => setPermissionsOf(null)}
        />
      )}
    </div>
  );
}

function TabChip({
  tab,
  selected,
  running,
  panelId,
  renaming,
  dropBefore,
  dropAfter,
  onSelect,
  onKeyDown,
  onStartRename,
  onRename,
  onCancelRename,
  onClose,
  onDragStart,
  onDragOverHalf,
  onDragEnd,
}: {
  tab: TabInfo;
  selected: boolean;
  running: boolean;
  panelId: string;
  renaming: boolean;
  dropBefore: boolean;
  dropAfter: boolean;
  onSelect: () => void;
  onKeyDown: (e: KeyboardEvent<HTMLButtonElement>) => void;
  onStartRename: () => void;
  onRename: (name: string) => void;
  onCancelRename: () => void;
  onClose: () => void;
  onDragStart: () => void;
  onDragOverHalf: (after: boolean) => void;
  onDragEnd: () => void;
}) {
  const press = useRef<{ timer: number; x: number; y: number; fired: boolean } | null>(null);
  const lastPointer = useRef<string>("mouse");

  const cancelPress = () => {
    if (press.current) window.clearTimeout(press.current.timer);
  };
  const onPointerDown = (e: ReactPointerEvent) => {
    lastPointer.current = e.pointerType;
    if (e.pointerType !== "touch") return;
    cancelPress();
    const p = { x: e.clientX, y: e.clientY, fired: false, timer: 0 };
    p.timer = window.setTimeout(() => {
      p.fired = true;
      navigator.vibrate?.(10);
      onStartRename();
    }, LONG_PRESS_MS);
    press.current = p;
  };
  const onPointerMove = (e: ReactPointerEvent) => {
    const p = press.current;
    if (p && Math.hypot(e.clientX - p.x, e.clientY - p.y) > 10) cancelPress();
  };

  if (renaming) return <RenameField tab={tab} onDone={onRename} onCancel={onCancelRename} />;

  return (
    <div
      data-tab-id={tab.id}
      role="presentation"
      className={cn(
        "reveal-scope group relative flex max-w-[14rem] shrink-0 items-stretch border-r border-border/60",
        selected ? "bg-bg" : "hover:bg-surface-2/60",
      )}
      onDragOver={(e) => {
        e.preventDefault();
        const r = e.currentTarget.getBoundingClientRect();
        onDragOverHalf(e.clientX > r.left + r.width / 2);
      }}
    >
      {dropBefore && <span aria-hidden="true" className="absolute inset-y-1 left-0 w-0.5 rounded bg-accent" />}
      {dropAfter && <span aria-hidden="true" className="absolute inset-y-1 right-0 w-0.5 rounded bg-accent" />}
      <button
        type="button"
        role="tab"
        id={`tab-${tab.id}`}
        aria-selected={selected}
        aria-label={
          tab.starred || running ? [tab.name, tab.starred && "starred", running && "working"].filter(Boolean).join(", ") : undefined
        }
        aria-controls={selected ? panelId : undefined}
        tabIndex={selected ? 0 : -1}
        title={`${tab.name} — double-click to rename, Delete to close`}
        draggable
        onDragStart={(e) => {
          e.dataTransfer.effectAllowed = "move";
          e.dataTransfer.setData("text/plain", tab.name);
          onDragStart();
        }}
        onDragEnd={onDragEnd}
        onClick={() => {
          if (press.current?.fired) {
            press.current = null;
            return;
          }
          onSelect();
        }}
        onDoubleClick={onStartRename}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={cancelPress}
        onPointerCancel={cancelPress}
        onContextMenu={(e) => {
          // A long press on a phone opens the browser's menu; rename instead.
          if (lastPointer.current === "touch") e.preventDefault();
        }}
        className={cn(
          "flex min-h-11 min-w-0 items-center gap-1.5 pl-3.5 text-sm font-medium outline-offset-[-3px] select-none [-webkit-touch-callout:none] lg:min-h-10",
          selected ? "pr-1 text-text" : "pr-3.5 text-muted hover:text-text [@media(hover:hover)]:pr-1",
        )}
      >
        {tab.starred && <IconStar filled className="size-3.5 shrink-0 text-busy" />}
        <span className="min-w-0 truncate">{tab.name}</span>
        {running && <Spinner className="size-3.5 shrink-0 text-busy" />}
      </button>
      {/* For pointers only: a tab list may hold nothing but tabs, so the × is out of the
          accessibility tree and the tab order; keyboards close with Delete, and every reader
          has Close in the tab's actions menu. */}
      <button
        type="button"
        aria-hidden="true"
        title="Close tab (Delete)"
        onClick={onClose}
        tabIndex={-1}
        className={cn(
          "my-auto mr-0.5 inline-flex size-11 shrink-0 items-center justify-center rounded-md text-muted hover:bg-surface-2 hover:text-text lg:mr-1 lg:size-7",
          !selected && "reveal-on-hover hidden [@media(hover:hover)]:inline-flex",
        )}
      >
        <IconX className="size-4" />
      </button>
      {selected && <span aria-hidden="true" className="absolute inset-x-2 bottom-0 h-0.5 rounded-full bg-accent" />}
    </div>
  );
}

function RenameField({ tab, onDone, onCancel }: { tab: TabInfo; onDone: (name: string) => void; onCancel: () => void }) {
  const [name, setName] = useState(tab.name);
  const done = useRef(false);
  const finish = (save: boolean) => {
    if (done.current) return;
    done.current = true;
    if (save) onDone(name.trim().slice(0, 80));
    else onCancel();
  };
  return (
    <div data-tab-id={tab.id} role="presentation" className="flex shrink-0 items-center border-r border-border/60 bg-bg px-1.5">
      <input
        autoFocus
        aria-label="Tab name"
        value={name}
        maxLength={80}
        onChange={(e) => setName(e.target.value)}
        onFocus={(e) => e.currentTarget.select()}
        onBlur={() => finish(true)}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            finish(true);
          } else if (e.key === "Escape") {
            e.preventDefault();
            e.stopPropagation();
            finish(false);
          }
        }}
        className="h-9 w-40 rounded-lg border border-accent bg-surface px-2 text-[16px] text-text outline-none lg:h-8 lg:text-sm"
      />
    </div>
  );
}
