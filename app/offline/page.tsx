"use client";

import { useEffect } from "react";
import { IconOffline, IconRefresh } from "@/components/ui/icons";
import { Button } from "@/components/ui/button";
import { usePageTitle } from "@/components/ui/use-page-title";

function retry() {
  // Served in place of another page by the service worker: reload that page. Opened directly: go home.
  // Either way a full page load, so the service worker and the network are asked afresh.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a fresh page load on purpose, not a client navigation
  if (window.location.pathname === "/offline") window.location.assign("/");
  else window.location.reload();
}

export default function OfflinePage() {
  usePageTitle("Offline");
  useEffect(() => {
    window.addEventListener("online", retry);
    return () => window.removeEventListener("online", retry);
  }, []);
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-6 text-center">
      <span className="inline-flex size-16 items-center justify-center rounded-2xl bg-surface-2 text-muted">
        <IconOffline className="size-8" />
      </span>
      <h1 className="mt-6 text-2xl font-bold tracking-tight">You&apos;re offline</h1>
      <p className="mt-2 max-w-sm text-[15px] leading-relaxed text-muted">
        This device can&apos;t reach Maestro right now. Your agents keep working on their machine; reconnect to see them.
      </p>
      <Button variant="primary" className="mt-7 px-6" onClick={retry}>
        <IconRefresh className="size-4" />
        Retry
      </Button>
    </main>
  );
}
