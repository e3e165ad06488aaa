import { readStored, storageKeys, writeStored } from "../ui/storage";

/** The tab an agent opens on: the one last shown on this device (per agent, in localStorage). */
export function readLastTab(agentId: string): string | null {
  return readStored(storageKeys.lastTab(agentId));
}

export function writeLastTab(agentId: string, tabId: string) {
  writeStored(storageKeys.lastTab(agentId), tabId);
}

/** Which of an agent's tabs opening it would show (the last one shown, else the first). */
export function tabToOpen<T extends { id: string }>(agentId: string, tabs: readonly T[]): T | null {
  const last = readLastTab(agentId);
  return tabs.find((t) => t.id === last) ?? tabs[0] ?? null;
}
