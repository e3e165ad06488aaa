/** The tab an agent opens on: the one last shown on this device (per agent, in localStorage). */
const lastTabKey = (agentId: string) => `maestro.lastTab.${agentId}`;

export function readLastTab(agentId: string): string | null {
  try {
    return window.localStorage.getItem(lastTabKey(agentId));
  } catch {
    return null;
  }
}

export function writeLastTab(agentId: string, tabId: string) {
  try {
    window.localStorage.setItem(lastTabKey(agentId), tabId);
  } catch {
    /* ignore */
  }
}

/** Which of an agent's tabs opening it would show (the last one shown, else the first). */
export function tabToOpen<T extends { id: string }>(agentId: string, tabs: readonly T[]): T | null {
  const last = readLastTab(agentId);
  return tabs.find((t) => t.id === last) ?? tabs[0] ?? null;
}
