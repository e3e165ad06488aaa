"use client";

import { useEffect, useSyncExternalStore, type ComponentType } from "react";

/**
 * Commands the current page adds to the command palette (the agent page: "New tab", "Stop",
 * its tabs…). A tiny store, so the palette needs no knowledge of the page.
 */
export interface PageCommand {
  id: string;
  label: string;
  detail?: string;
  keywords: string;
  icon?: ComponentType<{ className?: string }>;
  run: () => void;
}

const EMPTY: PageCommand[] = [];
let commands: PageCommand[] = EMPTY;
const listeners = new Set<() => void>();
// Several parts of a page may add commands (the agent page's header and its workspace).
const sources: PageCommand[][] = [];

function publish() {
  commands = sources.length ? sources.flat() : EMPTY;
  for (const l of listeners) l();
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => void listeners.delete(l);
}

export function usePageCommands(): PageCommand[] {
  return useSyncExternalStore(
    subscribe,
    () => commands,
    () => EMPTY,
  );
}

/** Registers the page's commands while it is mounted. Pass a memoized array. */
export function useRegisterPageCommands(list: PageCommand[]) {
  useEffect(() => {
    sources.push(list);
    publish();
    return () => {
      const i = sources.indexOf(list);
      if (i >= 0) sources.splice(i, 1);
      publish();
    };
  }, [list]);
}

/** Runs one of the current page's commands by id (e.g. "tab-new" for the composer's /new). */
export function runPageCommand(id: string): boolean {
  const command = commands.find((c) => c.id === id);
  command?.run();
  return !!command;
}
