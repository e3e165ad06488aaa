"use client";

import { useRouter } from "next/navigation";
import { useId, useMemo, useState, type ComponentType, type KeyboardEvent } from "react";
import { PROVIDERS, type ProviderId } from "@/lib/providers/catalog";
import { normalizeStatus } from "../agents/agent-sort";
import {
  IconAgents,
  IconAutoRun,
  IconDoctor,
  IconFolderPlus,
  IconHistory,
  IconKeyboard,
  IconPlus,
  IconSearch,
  IconSettings,
} from "../ui/icons";
import { IconGroupChat } from "../groupchat/icons";
import { IconMission } from "../missions/icons";
import { STATUS_META, StatusGlyph } from "../agents/agent-status";
import { usePageCommands } from "../conversation/page-commands";
import { useShell } from "./shell-context";
import { cn } from "../ui/cn";
import { Dialog } from "../ui/dialog";
import { Kbd } from "../ui/kbd";
import { useAgentSections } from "../agents/use-agents";

interface Command {
  id: string;
  label: string;
  detail?: string;
  section: "Agents" | "Actions";
  keywords: string;
  icon?: ComponentType<{ className?: string }>;
  status?: string;
  run: () => void;
}

function score(c: Command, words: string[]): number {
  if (words.length === 0) return 1;
  const label = c.label.toLowerCase();
  const hay = `${label} ${c.keywords}`;
  if (!words.every((w) => hay.includes(w))) return 0;
  const first = words[0]!;
  return label.startsWith(first) ? 3 : label.split(/\s+/).some((w) => w.startsWith(first)) ? 2 : 1;
}

/** Ctrl/⌘+K: one box that reaches every agent and every action. */
export function CommandPalette({ onClose }: { onClose: () => void }) {
  const router = useRouter();
  const shell = useShell();
  const { sections } = useAgentSections();
  const pageCommands = usePageCommands();
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const baseId = useId();

  const commands = useMemo<Command[]>(() => {
    const go = (href: string) => () => {
      onClose();
      router.push(href);
    };
    const agents: Command[] = (sections ?? []).flatMap((sec) =>
      sec.agents.map((a) => ({
        id: `agent-${a.id}`,
        label: a.name,
        detail: [
          STATUS_META[normalizeStatus(a.status)].label,
          PROVIDERS[a.provider as ProviderId]?.label ?? a.provider,
          sec.group ? sec.name : null,
        ]
          .filter(Boolean)
          .join(" · "),
        section: "Agents" as const,
        keywords: `${a.folder} ${sec.group?.name ?? ""} ${a.provider}`.toLowerCase(),
        status: a.status,
        run: go(`/agents/${a.id}`),
      })),
    );
    // The current page's own actions (the agent page: New tab, Stop, its tabs…) come first.
    const page: Command[] = pageCommands.map((c) => ({ ...c, id: `page-${c.id}`, section: "Actions" as const }));
    const actions: Command[] = [
      ...page,
      { id: "add", label: "Add an agent", section: "Actions", keywords: "new create", icon: IconPlus, run: () => shell.openAddAgent() },
      {
        id: "group",
        label: "New group",
        section: "Actions",
        keywords: "create folder",
        icon: IconFolderPlus,
        run: () => shell.openGroupDialog({ kind: "new" }),
      },
      { id: "go-agents", label: "Go to Agents", section: "Actions", keywords: "dashboard home", icon: IconAgents, run: go("/") },
      {
        id: "go-autorun",
        label: "Go to Auto Run",
        section: "Actions",
        keywords: "playbooks checklists",
        icon: IconAutoRun,
        run: go("/autorun"),
      },
      {
        id: "go-groupchats",
        label: "Go to Group chats",
        section: "Actions",
        keywords: "moderator several agents ask",
        icon: IconGroupChat,
        run: go("/groupchats"),
      },
      {
        id: "go-missions",
        label: "Go to Missions",
        section: "Actions",
        keywords: "plan milestones features mission control dag",
        icon: IconMission,
        run: go("/missions"),
      },
      {
        id: "new-mission",
        label: "New mission",
        section: "Actions",
        keywords: "plan json create milestones features",
        icon: IconPlus,
        run: go("/missions?new=1"),
      },
      { id: "go-history", label: "Go to History", section: "Actions", keywords: "timeline log", icon: IconHistory, run: go("/history") },
      {
        id: "go-settings",
        label: "Go to Settings",
        section: "Actions",
        keywords: "devices preferences",
        icon: IconSettings,
        run: go("/settings"),
      },
      {
        id: "doctor",
        label: "Open Doctor",
        section: "Actions",
        keywords: "providers installed cli check",
        icon: IconDoctor,
        run: go("/settings/doctor"),
      },
      {
        id: "shortcuts",
        label: "Keyboard shortcuts",
        section: "Actions",
        keywords: "help keys",
        icon: IconKeyboard,
        run: () => shell.openShortcuts(),
      },
    ];
    return [...agents, ...actions];
  }, [sections, router, shell, onClose, pageCommands]);

  const results = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const scored = commands.map((c, i) => ({ c, s: score(c, words), i })).filter((x) => x.s > 0);
    if (words.length > 0) scored.sort((a, b) => b.s - a.s || a.i - b.i);
    // Keep sections together, agents first.
    return [...scored.filter((x) => x.c.section === "Agents"), ...scored.filter((x) => x.c.section === "Actions")].map((x) => x.c);
  }, [commands, query]);

  const current = Math.min(active, Math.max(0, results.length - 1));
  const optionId = (i: number) => `${baseId}-opt-${i}`;

  function move(to: number) {
    if (results.length === 0) return;
    const n = (to + results.length) % results.length;
    setActive(n);
    document.getElementById(optionId(n))?.scrollIntoView({ block: "nearest" });
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown") move(current + 1);
    else if (e.key === "ArrowUp") move(current - 1);
    else if (e.key === "PageDown") move(Math.min(results.length - 1, current + 8));
    else if (e.key === "PageUp") move(Math.max(0, current - 8));
    else if (e.key === "Enter") {
      const cmd = results[current];
      if (cmd) {
        onClose();
        cmd.run();
      }
    } else return;
    e.preventDefault();
  }

  const sectionsShown = (["Agents", "Actions"] as const).filter((s) => results.some((r) => r.section === s));

  return (
    <Dialog open onClose={onClose} ariaLabel="Command palette" variant="top" size="lg" header={false}>
      <div className="flex items-center gap-3 border-b border-border px-4">
        <IconSearch className="size-5 shrink-0 text-muted" />
        <input
          data-autofocus
          role="combobox"
          aria-expanded="true"
          aria-controls={`${baseId}-list`}
          aria-activedescendant={results.length ? optionId(current) : undefined}
          aria-autocomplete="list"
          aria-label="Search agents and commands"
          placeholder="Search agents and commands…"
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          className="min-h-14 min-w-0 flex-1 bg-transparent text-[16px] text-text outline-none placeholder:text-muted/80 focus-visible:outline-none"
        />
        <Kbd className="hidden sm:inline-flex">Esc</Kbd>
      </div>
      <div id={`${baseId}-list`} role="listbox" aria-label="Results" className="max-h-[min(60dvh,28rem)] overflow-y-auto p-2">
        {sectionsShown.map((section) => (
          <div key={section} role="group" aria-labelledby={`${baseId}-${section}`} className="mb-1 last:mb-0">
            <div id={`${baseId}-${section}`} className="px-3 pt-2 pb-1 text-xs font-semibold tracking-wider text-muted uppercase">
              {section}
            </div>
            {results.map((cmd, i) =>
              cmd.section !== section ? null : (
                <div
                  key={cmd.id}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === current}
                  onMouseMove={() => i !== current && setActive(i)}
                  onClick={() => {
                    onClose();
                    cmd.run();
                  }}
                  className={cn(
                    "flex min-h-11 cursor-pointer items-center gap-3 rounded-xl px-3 py-2 text-[15px]",
                    i === current ? "bg-accent/12 text-text" : "text-text",
                  )}
                >
                  {cmd.status ? (
                    <StatusGlyph status={cmd.status} />
                  ) : cmd.icon ? (
                    <cmd.icon className={cn("size-4 shrink-0", i === current ? "text-accent" : "text-muted")} />
                  ) : null}
                  <span className="min-w-0 truncate font-medium">{cmd.label}</span>
                  {cmd.detail && <span className="ml-auto shrink-0 truncate pl-2 text-[13px] text-muted">{cmd.detail}</span>}
                </div>
              ),
            )}
          </div>
        ))}
      </div>
      {results.length === 0 && (
        <p className="px-5 pt-2 pb-6 text-[15px] text-muted">
          Nothing matches “{query}”. Try an agent&apos;s name, a folder, or “settings”.
        </p>
      )}
      <div className="hidden items-center gap-4 border-t border-border px-4 py-2.5 text-xs text-muted sm:flex">
        <span className="flex items-center gap-1.5">
          <Kbd>↑</Kbd>
          <Kbd>↓</Kbd> to move
        </span>
        <span className="flex items-center gap-1.5">
          <Kbd>Enter</Kbd> to open
        </span>
      </div>
    </Dialog>
  );
}
