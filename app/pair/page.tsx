"use client";

import { Logo } from "@/components/ui/logo";
import { PairForm } from "@/components/settings/pair-form";
import { usePageTitle } from "@/components/ui/use-page-title";

export default function PairPage() {
  usePageTitle("Pair this device");
  return (
    <main className="flex min-h-dvh flex-col items-center px-4 pt-[max(2.5rem,calc(env(safe-area-inset-top)+1.5rem))] pb-[max(2rem,env(safe-area-inset-bottom))] sm:justify-center sm:py-12">
      <div className="w-full max-w-md">
        <div className="mb-6 flex items-center gap-3">
          <Logo className="size-11" />
          <span className="text-xl font-semibold tracking-tight">Maestro</span>
        </div>
        <div className="rounded-3xl border border-border bg-surface p-5 shadow-sm sm:p-7">
          <h1 className="mb-3 text-2xl font-bold tracking-tight">Pair this device</h1>
          <PairForm />
        </div>
        <p className="mt-5 px-1 text-center text-sm leading-relaxed text-muted">
          Pairing keeps Maestro yours: only paired devices can see or control your agents.
        </p>
      </div>
    </main>
  );
}
