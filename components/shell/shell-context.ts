"use client";

import { createContext, useContext } from "react";
import type { GroupDialogRequest } from "../agents/group-dialogs";

export interface ShellApi {
  /** Opens the add-agent sheet, optionally preselecting a group. */
  openAddAgent: (groupId?: string | null) => void;
  openPalette: () => void;
  openShortcuts: () => void;
  openGroupDialog: (request: GroupDialogRequest) => void;
  /** The agent just created, so its card can draw the eye once. */
  highlightId: string | null;
  clearHighlight: () => void;
}

/** The shell's API; provided by `ShellProvider` (shell-provider.tsx), read anywhere below it. */
export const ShellContext = createContext<ShellApi | null>(null);

export function useShell(): ShellApi {
  const api = useContext(ShellContext);
  if (!api) throw new Error("useShell must be used inside <ShellProvider>");
  return api;
}
