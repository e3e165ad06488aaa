"use client";

import { useEffect, useState } from "react";
import { Logo } from "@/components/ui/logo";
import { FormError } from "@/components/ui/field";
import { usePageTitle } from "@/components/ui/use-page-title";

const ENDED: Record<string, string> = {
  revoked: "This link was revoked by the owner.",
  expired: "This share link expired.",
  unknown: "This share link is not valid.",
  garbled: "This share link is not valid.",
};

/**
 * A teammate opens `/share#token=…`: the token (a URL fragment, never sent to any server by the
 * browser) is exchanged for a scoped cookie, then the shared screen opens. `?ended=…` explains
 * a link that stopped working.
 */
export default function SharePage() {
  usePageTitle("Shared with you");
  const [state, setState] = useState<{ kind: "opening" } | { kind: "error"; message: string; hint?: string }>({ kind: "opening" });

  useEffect(() => {
    const token = new URLSearchParams(window.location.hash.slice(1)).get("token");
    const ended = new URLSearchParams(window.location.search).get("ended");
    // The token is a secret: keep it out of the address bar, history and screenshots.
    if (token) window.history.replaceState(null, "", window.location.pathname);
    if (!token) {
      setState({
        kind: "error",
        message: (ended && ENDED[ended]) || "This page needs a share link.",
        hint: "Ask the person who shared it for a new link.",
      });
      return;
    }
    void (async () => {
      try {
        const res = await fetch("/api/share/open", {
          method: "POST",
          credentials: "same-origin",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ token }),
        });
        const body = (await res.json().catch(() => null)) as { home?: string; error?: { message?: string } } | null;
        if (res.ok && body?.home) return window.location.replace(body.home);
        setState({
          kind: "error",
          message: body?.error?.message ?? `Opening the link failed (HTTP ${res.status}).`,
          hint: res.status === 429 ? undefined : "Ask the person who shared it for a new link.",
        });
      } catch {
        setState({ kind: "error", message: "Can't reach Maestro.", hint: "Check your connection, then open the link again." });
      }
    })();
  }, []);

  return (
    <main className="flex min-h-dvh flex-col items-center px-4 pt-[max(2.5rem,calc(env(safe-area-inset-top)+1.5rem))] pb-8 sm:justify-center sm:py-12">
      <div className="w-full max-w-md">
        <div className="mb-6 flex items-center gap-3">
          <Logo className="size-11" />
          <span className="text-xl font-semibold tracking-tight">Maestro</span>
        </div>
        <div className="rounded-3xl border border-border bg-surface p-5 shadow-sm sm:p-7">
          <h1 className="mb-3 text-2xl font-bold tracking-tight">Shared with you</h1>
          {state.kind === "opening" ? (
            <p role="status" className="text-[15px] text-muted">
              Opening the shared link…
            </p>
          ) : (
            <FormError hint={state.hint}>{state.message}</FormError>
          )}
        </div>
      </div>
    </main>
  );
}
