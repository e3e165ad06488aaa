"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect } from "react";
import { IconFolderPlus, IconKeyboard, IconSearch } from "../ui/icons";
import { Logo } from "../ui/logo";
import { NAV_ITEMS } from "./nav-items";
import { useShell } from "./shell-context";
import { cn } from "../ui/cn";
import { Kbd } from "../ui/kbd";
import { useModKey } from "../ui/use-platform";
import { useAgentSections, useMe } from "../agents/use-agents";
import { useMedia } from "../history/use-media";

// The agent tree is drawn only where the sidebar shows (≥1024 px): phones never load it, and a
// desktop starts loading it at once, alongside the agent list it draws.
const loadTree = () => import("./sidebar-tree");
const SidebarTree = dynamic(() => loadTree().then((m) => m.SidebarTree), { ssr: false, loading: () => <SidebarSkeleton /> });

/** Desktop (≥1024 px) sidebar: app name, search, navigation, and every group with its agents. */
export function Sidebar() {
  const pathname = usePathname() ?? "/";
  const shell = useShell();
  const mod = useModKey();
  const { sections, isPending } = useAgentSections();
  const me = useMe();
  const wide = useMedia("(min-width: 1024px)");
  useEffect(() => {
    if (wide) void loadTree().catch(() => {});
  }, [wide]);

  return (
    <aside
      aria-label="Sidebar"
      className="sticky top-0 hidden h-dvh w-[17.5rem] shrink-0 flex-col border-r border-border bg-surface lg:flex"
    >
      <div className="flex items-center gap-2.5 px-4 pt-4 pb-3">
        <Logo className="size-8" />
        <span className="text-[17px] font-semibold tracking-tight">Maestro</span>
      </div>

      <div className="px-3">
        <button
          type="button"
          onClick={shell.openPalette}
          aria-label={`Search and commands (${mod === "⌘" ? "⌘K" : "Ctrl+K"})`}
          className="flex h-9 w-full items-center gap-2 rounded-lg border border-border bg-bg px-2.5 text-sm text-muted hover:border-muted/50 hover:text-text"
        >
          <IconSearch className="size-4" />
          <span className="flex-1 text-left">Search…</span>
          <span className="flex gap-0.5" aria-hidden="true">
            <Kbd>{mod}</Kbd>
            <Kbd>K</Kbd>
          </span>
        </button>
      </div>

      <nav aria-label="Main" className="px-3 pt-3">
        <ul className="space-y-0.5">
          {NAV_ITEMS.map(({ href, label, icon: Icon, match }) => {
            const active = href === "/" ? pathname === "/" : match(pathname);
            return (
              <li key={href}>
                <Link
                  href={href}
                  aria-current={active ? "page" : undefined}
                  className={cn(
                    "flex h-9 items-center gap-2.5 rounded-lg px-2.5 text-sm font-medium",
                    active ? "bg-accent/12 text-accent" : "text-text/85 hover:bg-surface-2 hover:text-text",
                  )}
                >
                  <Icon className="size-[18px]" />
                  {label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>

      <div className="mt-5 flex items-center justify-between px-4 pb-1">
        <span className="text-xs font-semibold tracking-wider text-muted uppercase">Groups</span>
        <button
          type="button"
          onClick={() => shell.openGroupDialog({ kind: "new" })}
          className="-mr-1.5 inline-flex h-7 items-center gap-1 rounded-md px-1.5 text-xs font-medium text-muted hover:bg-surface-2 hover:text-text"
        >
          <IconFolderPlus className="size-4" />
          New group
        </button>
      </div>

      <nav aria-label="Agent list" className="min-h-0 flex-1 overflow-y-auto px-2 pt-0.5 pb-4">
        {isPending && <SidebarSkeleton />}
        {wide && sections && sections.some((sec) => sec.group || sec.agents.length > 0) && (
          <SidebarTree sections={sections.filter((sec) => sec.group || sec.agents.length > 0)} pathname={pathname} />
        )}
        {sections && sections.every((sec) => sec.agents.length === 0) && <p className="px-2.5 py-2 text-sm text-muted">No agents yet.</p>}
      </nav>

      <div className="flex items-center gap-1 border-t border-border px-3 py-2.5">
        <div className="min-w-0 flex-1 px-1 text-xs text-muted">
          {me.data && (
            <span className="block truncate" title={`Maestro ${me.data.version} on ${me.data.hostname}`}>
              {me.data.hostname} · v{me.data.version}
            </span>
          )}
        </div>
        <button
          type="button"
          onClick={shell.openShortcuts}
          aria-label={`Keyboard shortcuts (${mod === "⌘" ? "⌘/" : "Ctrl+/"})`}
          title="Keyboard shortcuts"
          className="inline-flex size-8 items-center justify-center rounded-lg text-muted hover:bg-surface-2 hover:text-text"
        >
          <IconKeyboard className="size-[18px]" />
        </button>
      </div>
    </aside>
  );
}

function SidebarSkeleton() {
  return (
    <div aria-hidden="true" className="space-y-2 px-2.5 py-2">
      {[60, 45, 70, 50].map((w) => (
        <div key={w} className="h-3 rounded bg-surface-2" style={{ width: `${w}%` }} />
      ))}
    </div>
  );
}
