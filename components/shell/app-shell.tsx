"use client";

import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { BottomNav } from "./bottom-nav";
import { ConnectionBanner } from "./connection-banner";
import { isWorkspaceRoute } from "./nav-items";
import { ShellProvider } from "./shell-provider";
import { Sidebar } from "./sidebar";
import { ToastProvider } from "../ui/toaster";
import { cn } from "../ui/cn";
import { usePushPresence } from "./use-push-presence";

/**
 * The app frame: on phones a bottom navigation, on ≥1024 px a left sidebar beside the main
 * pane. Pages render into <main>; pairing and offline pages live outside this shell.
 */
export function AppShell({ children }: { children: ReactNode }) {
  // A workspace page (an agent's conversation) is exactly one viewport tall and scrolls inside.
  const workspace = isWorkspaceRoute(usePathname() ?? "/");
  usePushPresence();
  return (
    <ToastProvider>
      <ShellProvider>
        <a
          href="#main"
          className="sr-only z-[80] rounded-lg bg-accent px-4 py-2 font-medium text-accent-fg focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
        >
          Skip to content
        </a>
        <div className="flex min-h-dvh">
          <Sidebar />
          <div className={cn("flex min-w-0 flex-1 flex-col", workspace && "h-dvh")}>
            <ConnectionBanner />
            <main
              id="main"
              tabIndex={-1}
              className={cn(
                "flex-1 outline-none",
                workspace ? "flex min-h-0 flex-col" : "pb-[calc(6rem+env(safe-area-inset-bottom))] lg:pb-12",
              )}
            >
              {children}
            </main>
          </div>
        </div>
        <BottomNav />
      </ShellProvider>
    </ToastProvider>
  );
}
