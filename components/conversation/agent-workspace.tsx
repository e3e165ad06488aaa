"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { PROVIDERS, type ProviderId } from "@/lib/providers/catalog";
import { useTRPC } from "@/lib/trpc/client";
import { IconHistory, IconPencil, IconPlus, IconTerminal, IconX } from "../ui/icons";
import { isViewToggle } from "../terminals/view-toggle";
import { readError } from "../ui/trpc-error";
import type { RouterOutputs } from "../ui/trpc-types";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { FormError } from "../ui/field";
import { modalState } from "../ui/focusable";
import { isTypingTarget } from "../ui/use-platform";
import { Conversation, type ConversationHandle } from "./conversation";
import { IconStop } from "./icons";
import { useRegisterPageCommands, type PageCommand } from "./page-commands";
import { SessionExplorer } from "./session-explorer";
import { TabsBar, type TabInfo } from "./tabs-bar";
import { loadQueue } from "./queue-store";
import { useTabMutations, type Tab } from "./use-tab-mutations";
import { tabToOpen, writeLastTab } from "./last-tab";

// xterm.js is large: it loads only when the user first opens the terminal view.
const CommandTerminals = dynamic(() => import("../terminals/command-terminals"), {
  ssr: false,
  loading: () => <div className="flex-1" aria-busy="true" />,
});

// The Changes view (diffs, log) loads only when first opened.
const ChangesView = dynamic(() => import("../git/changes-view"), {
  ssr: false,
  loading: () => <div className="flex-1" aria-busy="true" />,
});

type View = "ai" | "terminal" | "changes";

function viewOf(param: string | null | undefined): View {
  return param === "terminal" || param === "changes" ? param : "ai";
}

/** Puts the view in the address (?view=terminal|changes) so a reload comes back to it. */
function setViewParam(view: View) {
  const url = new URL(window.location.href);
  if (view !== "ai") url.searchParams.set("view", view);
  else url.searchParams.delete("view");
  if (view !== "terminal") url.searchParams.delete("term");
  if (url.href !== window.location.href) window.history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
}

type Agent = RouterOutputs["agents"]["byId"];

/** Puts the selected tab in the address (?tab=), without a navigation or a history entry. */
function setTabParam(tabId: string | null) {
  const url = new URL(window.location.href);
  if (tabId) url.searchParams.set("tab", tabId);
  else url.searchParams.delete("tab");
  if (url.href !== window.location.href) window.history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
}

/**
 * The agent's conversation area: its tabs and the selected tab's conversation. The selected tab
 * lives in the URL (?tab=…), so a reload or a shared link opens the same conversation.
 */
export function AgentWorkspace({ agent }: { agent: Agent }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const panelId = useId();
  const searchParams = useSearchParams();
  const urlTab = searchParams?.get("tab") ?? null;
  const listOptions = trpc.tabs.list.queryOptions({ agentId: agent.id });
  const tabs = useQuery(listOptions);
  const conversation = useRef<ConversationHandle>(null);
  const [running, setRunning] = useState(false);
  const [closing, setClosing] = useState<{ tab: TabInfo; running: boolean; queued: number } | null>(null);
  const [closeError, setCloseError] = useState<string | null>(null);
  const [sessionsOpen, setSessionsOpen] = useState(false);
  const [view, setViewState] = useState<View>(viewOf(searchParams?.get("view")));
  // Mounted once first shown, then kept (hidden) so shells stay connected across switches.
  const [terminalsMounted, setTerminalsMounted] = useState(view === "terminal");
  const setView = useCallback((v: View) => {
    setViewState(v);
    setViewParam(v);
    if (v === "terminal") setTerminalsMounted(true);
    else if (v === "ai") requestAnimationFrame(() => requestAnimationFrame(() => conversation.current?.focusComposer()));
  }, []);

  // Tabs change on other devices too; the agent's own change events are our cue to look
  // (a change, not the first render: the page has just fetched the tabs itself).
  // (The key holds Date's toString(), to the second, as it always has.)
  const seenChange = useRef(`${agent.status}|${agent.updatedAt.toString()}`);
  useEffect(() => {
    const change = `${agent.status}|${agent.updatedAt.toString()}`;
    if (change === seenChange.current) return;
    seenChange.current = change;
    void queryClient.invalidateQueries({ queryKey: listOptions.queryKey });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reacts to the agent changing only; the query client and key are stable for this tab list
  }, [agent.status, agent.updatedAt]);

  // The selection switches at once; the address follows (and leads, on back/forward or a link).
  const [wanted, setWanted] = useState<string | null>(urlTab);
  useEffect(() => setWanted(urlTab), [urlTab]);
  const select = useCallback((id: string | null) => {
    setWanted(id);
    setTabParam(id);
  }, []);

  const list = useMemo(() => tabs.data ?? [], [tabs.data]);
  const selected: Tab | null = useMemo(() => {
    if (list.length === 0) return null;
    const byUrl = wanted ? list.find((t) => t.id === wanted) : undefined;
    if (byUrl) return byUrl;
    return typeof window !== "undefined" ? tabToOpen(agent.id, list)! : list[0]!;
  }, [list, wanted, agent.id]);

  // The address always names the tab on screen (so reload keeps it).
  // (Only when the two agree on what was asked for: otherwise the address just changed and the
  // selection is about to follow it.)
  useEffect(() => {
    if (!selected) return;
    writeLastTab(agent.id, selected.id);
    if (wanted === urlTab && selected.id !== urlTab) setTabParam(selected.id);
  }, [selected, wanted, urlTab, agent.id]);

  const tabOps = useTabMutations(agent.id, {
    onCreated: (tab) => {
      select(tab.id);
      requestAnimationFrame(() => requestAnimationFrame(() => conversation.current?.focusComposer()));
    },
    onClosed: (id, next) => {
      if (selected?.id === id) select(next);
      setClosing(null);
    },
    onCloseError: setCloseError,
  });
  const newTab = tabOps.newTab;

  /** Closing is one tap, unless a turn is running in the tab (or messages wait in its queue). */
  const requestClose = async (tab: TabInfo) => {
    setCloseError(null);
    let isRunning = tab.id === selected?.id ? running : false;
    if (tab.id !== selected?.id) {
      try {
        isRunning = (await queryClient.fetchQuery(trpc.turns.overview.queryOptions({ tabId: tab.id }, { staleTime: 0 }))).running;
      } catch {
        isRunning = false;
      }
    }
    const queued = (await loadQueue(tab.id).catch(() => [])).length;
    if (isRunning || queued > 0) setClosing({ tab, running: isRunning, queued });
    else tabOps.close(tab.id);
  };

  // Keyboard: "/" focuses the message box; Alt+T opens a tab; Alt+[ / Alt+] and Alt+1…9 switch.
  const latest = useRef({ list, selected, newTab, select, view, setView });
  latest.current = { list, selected, newTab, select, view, setView };
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || modalState.open) return;
      const { list: l, selected: s, newTab: nt, select: sel, view: v, setView: sv } = latest.current;
      // Ctrl/⌘+` switches between the AI conversation and the command terminal.
      if (isViewToggle(e)) {
        e.preventDefault();
        sv(v === "ai" ? "terminal" : "ai");
        return;
      }
      if (v !== "ai") return;
      if (e.altKey && !e.ctrlKey && !e.metaKey) {
        if (e.code === "KeyT") {
          e.preventDefault();
          nt();
          return;
        }
        if (isTypingTarget(e.target)) return;
        const i = s ? l.findIndex((t) => t.id === s.id) : -1;
        let to = -1;
        if (e.code === "BracketRight") to = (i + 1) % l.length;
        else if (e.code === "BracketLeft") to = (i - 1 + l.length) % l.length;
        else if (/^Digit[1-9]$/.test(e.code)) to = Math.min(Number(e.code.slice(5)) - 1, l.length - 1);
        if (to >= 0 && l[to]) {
          e.preventDefault();
          sel(l[to]!.id);
        }
        return;
      }
      if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(e.target)) {
        e.preventDefault();
        conversation.current?.focusComposer();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // The command palette learns this page's actions.
  const commands = useMemo<PageCommand[]>(() => {
    const later = (fn: () => void) => () => requestAnimationFrame(() => requestAnimationFrame(fn));
    const cmds: PageCommand[] = [
      { id: "tab-new", label: "New tab", detail: "Alt+T", keywords: "conversation session create open", icon: IconPlus, run: newTab },
      {
        id: "tab-focus",
        label: "Focus message box",
        detail: "/",
        keywords: "composer type prompt write",
        icon: IconPencil,
        run: later(() => conversation.current?.focusComposer()),
      },
    ];
    cmds.push(
      view === "ai"
        ? {
            id: "view-terminal",
            label: "Open the command terminal",
            detail: "Ctrl+`",
            keywords: "shell pty console bash",
            icon: IconTerminal,
            run: () => setView("terminal"),
          }
        : {
            id: "view-ai",
            label: "Back to the AI conversation",
            detail: "Ctrl+`",
            keywords: "chat agent",
            icon: IconPencil,
            run: () => setView("ai"),
          },
    );
    cmds.push({
      id: "sessions",
      label: "Sessions",
      detail: "Find and resume conversations",
      keywords: "history resume past search explorer",
      icon: IconHistory,
      run: () => setSessionsOpen(true),
    });
    if (running)
      cmds.push({
        id: "tab-stop",
        label: "Stop the running turn",
        keywords: "cancel abort interrupt",
        icon: IconStop,
        run: () => conversation.current?.stop(),
      });
    for (const t of list) {
      if (t.id === selected?.id) continue;
      cmds.push({
        id: `tab-${t.id}`,
        label: `Switch to tab ${t.name}`,
        keywords: `tab conversation ${agent.name.toLowerCase()}`,
        run: () => select(t.id),
      });
    }
    if (selected)
      cmds.push({
        id: "tab-close",
        label: `Close tab ${selected.name}`,
        keywords: "remove delete",
        icon: IconX,
        run: () => void requestClose(selected),
      });
    return cmds;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the palette entries change with these; the close and rename handlers are read when run
  }, [list, selected, running, newTab, select, agent.name, view, setView]);
  useRegisterPageCommands(commands);

  const provider = PROVIDERS[agent.provider as ProviderId];
  const tabInfo: TabInfo[] = list.map((t) => ({ id: t.id, name: t.name, starred: t.starred, permissionMode: t.permissionMode }));

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <ViewSwitch view={view} onChange={setView} />
      {terminalsMounted && (
        <div className={view === "terminal" ? "flex min-h-0 flex-1 flex-col" : "hidden"}>
          <CommandTerminals agentId={agent.id} active={view === "terminal"} />
        </div>
      )}
      {view === "changes" && <ChangesView agentId={agent.id} />}
      <div className={view === "ai" ? "flex min-h-0 flex-1 flex-col" : "hidden"}>
        <TabsBar
          tabs={tabInfo}
          selectedId={selected?.id ?? null}
          runningId={running ? (selected?.id ?? null) : null}
          panelId={panelId}
          creating={tabOps.creating}
          onSelect={select}
          onNew={newTab}
          onRename={tabOps.rename}
          onStar={tabOps.star}
          onMove={tabOps.move}
          onReorder={tabOps.reorder}
          onClose={(t) => void requestClose(t)}
          onSessions={() => setSessionsOpen(true)}
          agent={agent}
        />
        <div
          id={panelId}
          role="tabpanel"
          aria-labelledby={selected ? `tab-${selected.id}` : undefined}
          className="flex min-h-0 flex-1 flex-col"
        >
          {selected ? (
            <Conversation
              key={selected.id}
              ref={conversation}
              tabId={selected.id}
              tabName={selected.name}
              agentName={agent.name}
              agentId={agent.id}
              providerLabel={provider?.label ?? agent.provider}
              folder={agent.folder}
              simulator={agent.provider === "simulator"}
              onRunningChange={setRunning}
            />
          ) : tabs.isPending ? (
            <div aria-hidden="true" className="flex-1" />
          ) : tabs.error ? (
            <div className="p-4">
              <FormError hint={readError(tabs.error).hint}>{readError(tabs.error).message}</FormError>
            </div>
          ) : (
            <div className="flex flex-1 flex-col items-center justify-center gap-4 p-6 text-center">
              <p className="max-w-sm text-[15px] text-muted">
                No conversation is open for {agent.name}. A tab is one conversation with {provider?.label ?? agent.provider}.
              </p>
              <Button variant="primary" onClick={newTab} disabled={tabOps.creating}>
                <IconPlus className="size-5" />
                Open a tab
              </Button>
            </div>
          )}
        </div>
      </div>
      <SessionExplorer
        open={sessionsOpen}
        onClose={() => setSessionsOpen(false)}
        agentId={agent.id}
        agentName={agent.name}
        onResumed={(tab) => {
          setView("ai");
          tabOps.adopted(tab);
          select(tab.id);
          setSessionsOpen(false);
          void queryClient.invalidateQueries(trpc.sessions.list.pathFilter());
          requestAnimationFrame(() => requestAnimationFrame(() => conversation.current?.focusComposer()));
        }}
      />
      <ConfirmDialog
        open={closing !== null}
        onClose={() => setClosing(null)}
        title={closing ? `Close “${closing.tab.name}”?` : ""}
        confirmLabel="Close tab"
        pending={tabOps.closing}
        error={closeError}
        onConfirm={() => closing && tabOps.close(closing.tab.id)}
      >
        {closing?.running && <>A turn is running in this tab: closing stops it first. </>}
        {closing && closing.queued > 0 && (
          <>{closing.queued === 1 ? "1 queued message" : `${closing.queued} queued messages`} will not be sent. </>
        )}
        The conversation is removed from Maestro; the provider&apos;s own session files stay.
      </ConfirmDialog>
    </div>
  );
}

/** AI ⇄ Terminal (Ctrl/⌘+`): the agent's conversation, or real shells in its folder; Changes: its git diffs and log. */
function ViewSwitch({ view, onChange }: { view: View; onChange: (v: View) => void }) {
  const item = (v: View, label: string) => (
    <button
      type="button"
      aria-pressed={view === v}
      onClick={() => onChange(v)}
      title="Ctrl+` switches"
      className={
        view === v
          ? "flex h-9 items-center gap-1.5 rounded-md bg-surface px-3 text-sm font-medium text-text shadow-sm lg:h-7"
          : "flex h-9 items-center gap-1.5 rounded-md px-3 text-sm text-muted hover:text-text lg:h-7"
      }
    >
      {v === "terminal" && <IconTerminal className="size-4" />}
      {label}
    </button>
  );
  return (
    <div className="flex items-center border-b border-border px-2 py-1">
      <div role="group" aria-label="View" className="flex rounded-lg bg-surface-2 p-0.5">
        {item("ai", "AI")}
        {item("terminal", "Terminal")}
        {item("changes", "Changes")}
      </div>
    </div>
  );
}
