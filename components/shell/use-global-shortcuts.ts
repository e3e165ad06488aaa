"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { modalState } from "../ui/focusable";
import { isTypingTarget } from "../ui/use-platform";
import { useAgentSections } from "../agents/use-agents";

/** Where "g" + a key goes (GitHub-style sequences: no clash with browser shortcuts). */
export const GO_KEYS: Record<string, { href: string; label: string }> = {
  a: { href: "/", label: "Agents" },
  c: { href: "/groupchats", label: "Group chats" },
  m: { href: "/missions", label: "Missions" },
  r: { href: "/autorun", label: "Auto Run" },
  h: { href: "/history", label: "History" },
  s: { href: "/settings", label: "Settings" },
  d: { href: "/settings/doctor", label: "Doctor" },
};

/**
 * The desktop keyboard layer: Ctrl/⌘+K palette, Ctrl/⌘+/ shortcut sheet, and single keys
 * (n, g+letter, [ and ]) that stay quiet while typing or while a dialog is open.
 */
export function useGlobalShortcuts(actions: { togglePalette: () => void; toggleShortcuts: () => void; addAgent: () => void }) {
  const router = useRouter();
  const pathname = usePathname() ?? "/";
  const { sections } = useAgentSections();
  const latest = useRef({ actions, sections, pathname });
  latest.current = { actions, sections, pathname };

  useEffect(() => {
    let gAt = 0;
    function onKeyDown(e: KeyboardEvent) {
      const { actions: a, sections: s, pathname: p } = latest.current;
      const mod = e.metaKey || e.ctrlKey;
      if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        a.togglePalette();
        return;
      }
      if (mod && !e.altKey && (e.key === "/" || e.code === "Slash")) {
        e.preventDefault();
        a.toggleShortcuts();
        return;
      }
      if (mod || e.altKey || e.defaultPrevented || e.repeat) return;
      if (modalState.open || isTypingTarget(e.target)) return;

      if (gAt && Date.now() - gAt < 1500) {
        gAt = 0;
        const go = GO_KEYS[e.key.toLowerCase()];
        if (go) {
          e.preventDefault();
          router.push(go.href);
        }
        return;
      }
      if (e.key === "g") {
        gAt = Date.now();
      } else if (e.key === "?") {
        e.preventDefault();
        a.toggleShortcuts();
      } else if (e.key === "n") {
        e.preventDefault();
        a.addAgent();
      } else if ((e.key === "[" || e.key === "]") && s) {
        const ids = s.flatMap((sec) => sec.agents.map((ag) => ag.id));
        if (ids.length === 0) return;
        const current = p.startsWith("/agents/") ? decodeURIComponent(p.slice("/agents/".length)) : null;
        const i = current ? ids.indexOf(current) : -1;
        const step = e.key === "]" ? 1 : -1;
        const next = i < 0 ? (step === 1 ? 0 : ids.length - 1) : (i + step + ids.length) % ids.length;
        e.preventDefault();
        router.push(`/agents/${ids[next]}`);
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [router]);
}
