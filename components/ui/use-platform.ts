"use client";

import { useEffect, useState } from "react";

/** "⌘" on Apple platforms, "Ctrl" elsewhere. Read after mount so server and client HTML agree. */
export function useModKey(): "⌘" | "Ctrl" {
  const [mod, setMod] = useState<"⌘" | "Ctrl">("Ctrl");
  useEffect(() => {
    const platform =
      (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData?.platform ?? navigator.platform ?? "";
    if (/mac|iphone|ipad|ipod/i.test(platform)) setMod("⌘");
  }, []);
  return mod;
}

/** True when typing in this element should not trigger single-key shortcuts. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
}
