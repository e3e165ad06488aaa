"use client";

import { useEffect } from "react";

/** Registers /sw.js where browsers allow it (https or localhost); plain-http LAN stays a page. */
export function ServiceWorkerRegistration() {
  useEffect(() => {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      /* the app works without it */
    });
  }, []);
  return null;
}
