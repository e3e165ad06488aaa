"use client";

import { useQuery } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { expiresInText } from "@/lib/share/scope";
import { SHARE_ENDED_EVENT, useTRPC } from "@/lib/trpc/client";
import { ConnectionBanner } from "../shell/connection-banner";
import { Logo } from "../ui/logo";
import { ToastProvider } from "../ui/toaster";
import type { RouterOutputs } from "../ui/trpc-types";
import { FormError } from "../ui/field";
import { useNow } from "../ui/use-now";

type Me = RouterOutputs["system"]["me"];
export type SharedAccess = { kind: "owner" } | Extract<Me["principal"], { kind: "share" }>;

const SharedAccessContext = createContext<SharedAccess | null>(null);

/** The link this screen was opened with (or the owner previewing a shared screen). */
export function useSharedAccess(): SharedAccess | null {
  return useContext(SharedAccessContext);
}

/** What the link lets its holder do, in the banner's words. */
function canDoText(access: Extract<SharedAccess, { kind: "share" }>): string {
  if (access.permission === "view") return "view only";
  if (access.scope === "run") return "you can pause, resume and stop it";
  if (access.scope === "groupchat") return "you can send messages, stop and retry";
  return access.canApprove ? "you can prompt, stop and approve tool use" : "you can prompt and stop";
}

/**
 * The frame of shared screens: a banner ("Shared by the owner · view only · expires in …"),
 * no owner navigation. It re-checks the link every few seconds, so a revoked or expired link
 * turns into a plain explanation even while nothing else is being loaded.
 */
export function SharedShell({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const now = useNow();
  const [ended, setEnded] = useState<string | null>(null);
  const me = useQuery(trpc.system.me.queryOptions(undefined, { refetchInterval: ended ? false : 3000, retry: false }));

  useEffect(() => {
    const onEnded = (e: Event) => setEnded((e as CustomEvent<string>).detail || "This link no longer works.");
    window.addEventListener(SHARE_ENDED_EVENT, onEnded);
    return () => window.removeEventListener(SHARE_ENDED_EVENT, onEnded);
  }, []);

  const principal = me.data?.principal;
  const access: SharedAccess | null = principal ? (principal.kind === "share" ? principal : { kind: "owner" }) : null;

  if (ended) {
    return (
      <main className="flex min-h-dvh flex-col items-center px-4 pt-16">
        <div className="w-full max-w-md rounded-3xl border border-border bg-surface p-6 text-center shadow-sm">
          <Logo className="mx-auto mb-4 size-11" />
          <h1 className="text-xl font-semibold">{ended.includes("revoked") ? "This link was revoked" : "This link no longer works"}</h1>
          <p className="mt-2 text-[15px] text-muted">{ended} Ask the person who shared it for a new link.</p>
        </div>
      </main>
    );
  }

  return (
    <ToastProvider>
      <SharedAccessContext.Provider value={access}>
        <div className="flex h-dvh flex-col">
          <ConnectionBanner />
          <div
            role="note"
            aria-label="Shared access"
            className="flex shrink-0 items-center justify-center gap-2 bg-accent/12 px-4 pt-[max(0.375rem,env(safe-area-inset-top))] pb-1.5 text-center text-[13px] font-medium text-text"
          >
            {access?.kind === "share" ? (
              <span>
                {access.scope === "run"
                  ? "Auto Run shared by the owner"
                  : access.scope === "groupchat"
                    ? "Group chat shared by the owner"
                    : "Shared by the owner"}{" "}
                · {canDoText(access)} · {expiresInText(new Date(access.expiresAt), new Date(now))}
              </span>
            ) : access?.kind === "owner" ? (
              <span>You are the owner: this is what a teammate with a link sees.</span>
            ) : (
              <span aria-hidden="true">&nbsp;</span>
            )}
          </div>
          {me.error && !me.data && <FormError className="m-4">{me.error.message}</FormError>}
          <main id="main" className="flex min-h-0 flex-1 flex-col">
            {access ? children : null}
          </main>
        </div>
      </SharedAccessContext.Provider>
    </ToastProvider>
  );
}
