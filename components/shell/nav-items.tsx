import type { ComponentType } from "react";
import { IconGroupChat } from "../groupchat/icons";
import { IconMission } from "../missions/icons";
import { IconAgents, IconAutoRun, IconHistory, IconSettings } from "../ui/icons";

export interface NavItem {
  href: string;
  label: string;
  /** The phone's bottom navigation label, where six tabs share 390 px. */
  short?: string;
  icon: ComponentType<{ className?: string }>;
  /** Whether a pathname belongs to this section. */
  match: (pathname: string) => boolean;
}

export const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "Agents", icon: IconAgents, match: (p) => p === "/" || p.startsWith("/agents") },
  { href: "/groupchats", label: "Group chats", short: "Chats", icon: IconGroupChat, match: (p) => p.startsWith("/groupchats") },
  { href: "/missions", label: "Missions", icon: IconMission, match: (p) => p.startsWith("/missions") },
  { href: "/autorun", label: "Auto Run", icon: IconAutoRun, match: (p) => p.startsWith("/autorun") },
  { href: "/history", label: "History", icon: IconHistory, match: (p) => p.startsWith("/history") },
  { href: "/settings", label: "Settings", icon: IconSettings, match: (p) => p.startsWith("/settings") },
];

/**
 * Full-height workspaces (an agent's conversation): the page fills the viewport and scrolls
 * inside; the phone's bottom navigation steps aside (the page keeps its own way back).
 */
export function isWorkspaceRoute(pathname: string): boolean {
  return /^\/(agents|groupchats)\/[^/]+\/?$/.test(pathname);
}
