"use client";

import type { ReactNode } from "react";
import { BottomNav } from "./bottom-nav";
import { ConnectionBanner } from "./connection-banner";
import { ShellProvider } from "./shell-context";
import { Sidebar } from "./sidebar";
import { ToastProvider } from "./toaster";

/**
 * The app frame: on phones a bottom navigation, on ≥1024 px a left sidebar beside the main
 * pane. Pages render into <main>; pairing and offline pages live outside this shell.
 */
export function AppShell({ children }: { children: ReactNode }) {
  return (
    <ToastProvider>
      <ShellProvider>
        <a
          href="#main"
          className="sr-only z-[80] rounded-lg bg-accent px-4 py-2 font-medium text-accent-fg focus:not-sr-only focus:fixed focus:left-3 focus:top-3"
        >
          Skip to content
        </a>
        <div className="flex min-h-dvh">
          <Sidebar />
          <div className="flex min-w-0 flex-1 flex-col">
            <ConnectionBanner />
            <main
              id="main"
              tabIndex={-1}
              className="flex-1 pb-[calc(6rem+env(safe-area-inset-bottom))] outline-none lg:pb-12"
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
