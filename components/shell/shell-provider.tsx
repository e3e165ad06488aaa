"use client";

import dynamic from "next/dynamic";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import type { GroupDialogRequest } from "../agents/group-dialogs";
import { ShellContext, type ShellApi } from "./shell-context";
import { useGlobalShortcuts } from "./use-global-shortcuts";
import { useLiveAgents } from "../agents/use-agents";

// Dialogs load on demand (and are prefetched when the page is idle), keeping first-load JS small.
const loadAddAgent = () => import("../agents/add-agent-dialog");
const loadPalette = () => import("./command-palette");
const loadShortcuts = () => import("./shortcut-sheet");
const loadGroups = () => import("../agents/group-dialogs");
const AddAgentDialog = dynamic(() => loadAddAgent().then((m) => m.AddAgentDialog), { ssr: false });
const CommandPalette = dynamic(() => loadPalette().then((m) => m.CommandPalette), { ssr: false });
const ShortcutSheet = dynamic(() => loadShortcuts().then((m) => m.ShortcutSheet), { ssr: false });
const GroupDialogs = dynamic(() => loadGroups().then((m) => m.GroupDialogs), { ssr: false });

/** App-wide UI state: the dialogs any screen (or the keyboard) can open, and live updates. */
export function ShellProvider({ children }: { children: ReactNode }) {
  const [addAgent, setAddAgent] = useState<{ groupId: string | null; n: number } | null>(null);
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const [groupDialog, setGroupDialog] = useState<GroupDialogRequest | null>(null);
  const [highlightId, setHighlightId] = useState<string | null>(null);

  useLiveAgents();
  useEffect(() => {
    const prefetch = () => void Promise.all([loadAddAgent(), loadPalette(), loadShortcuts(), loadGroups()]).catch(() => {});
    // Safari has no requestIdleCallback: a timer does.
    const t = window.setTimeout(prefetch, 2000);
    return () => window.clearTimeout(t);
  }, []);

  const api = useMemo<ShellApi>(
    () => ({
      openAddAgent: (groupId = null) => {
        setPaletteOpen(false);
        setAddAgent((prev) => ({ groupId, n: (prev?.n ?? 0) + 1 }));
      },
      openPalette: () => setPaletteOpen(true),
      openShortcuts: () => {
        setPaletteOpen(false);
        setShortcutsOpen(true);
      },
      openGroupDialog: (request) => {
        setPaletteOpen(false);
        setGroupDialog(request);
      },
      highlightId,
      clearHighlight: () => setHighlightId(null),
    }),
    [highlightId],
  );

  useGlobalShortcuts({
    togglePalette: () => setPaletteOpen((v) => !v),
    toggleShortcuts: () => setShortcutsOpen((v) => !v),
    addAgent: () => api.openAddAgent(),
  });

  return (
    <ShellContext.Provider value={api}>
      {children}
      {addAgent && (
        <AddAgentDialog
          key={addAgent.n}
          initialGroupId={addAgent.groupId}
          onClose={() => setAddAgent(null)}
          onCreated={(id) => setHighlightId(id)}
        />
      )}
      {paletteOpen && <CommandPalette onClose={() => setPaletteOpen(false)} />}
      {shortcutsOpen && <ShortcutSheet onClose={() => setShortcutsOpen(false)} />}
      {groupDialog && <GroupDialogs request={groupDialog} onClose={() => setGroupDialog(null)} />}
    </ShellContext.Provider>
  );
}
