"use client";

import { IconOffline } from "../ui/icons";
import { useConnectionStatus } from "./use-connection-status";

/** Tells the user the bridge is unreachable; clears itself when requests succeed again. */
export function ConnectionBanner() {
  const status = useConnectionStatus();
  if (status === "up") return null;
  return (
    <div
      role="status"
      className="sticky top-0 z-40 flex items-center justify-center gap-2 bg-busy px-4 pt-[max(0.5rem,env(safe-area-inset-top))] pb-2 text-sm font-medium text-white dark:text-bg"
    >
      <IconOffline className="size-4 shrink-0" />
      <span>Can&apos;t reach Maestro — retrying…</span>
    </div>
  );
}
