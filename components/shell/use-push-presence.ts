"use client";

import { useEffect } from "react";

const HEARTBEAT_MS = 25_000;

function randomId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * Tells the bridge whether this copy of the app is on screen, so a turn that ends while you
 * watch is not also pushed to your phone. `keepalive` lets the "hidden" report outlive a closing
 * page; the bridge forgets a "visible" that is not renewed within a minute (push/presence.ts).
 */
export function usePushPresence() {
  useEffect(() => {
    const clientId = randomId();
    const report = (visible: boolean) =>
      fetch("/api/trpc/push.presence", {
        method: "POST",
        keepalive: true,
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { clientId, visible } }),
      }).catch(() => {
        /* offline: the bridge's expiry covers it */
      });
    const onChange = () => void report(document.visibilityState === "visible");
    const onHide = () => void report(false);
    onChange();
    const beat = window.setInterval(() => document.visibilityState === "visible" && void report(true), HEARTBEAT_MS);
    document.addEventListener("visibilitychange", onChange);
    window.addEventListener("pagehide", onHide);
    return () => {
      window.clearInterval(beat);
      document.removeEventListener("visibilitychange", onChange);
      window.removeEventListener("pagehide", onHide);
      void report(false);
    };
  }, []);
}
