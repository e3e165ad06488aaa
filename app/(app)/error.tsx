"use client";

import { IconError, IconRefresh } from "@/components/ui/icons";
import { Button } from "@/components/ui/button";

/** A screen crashed: say so in place, keep the shell, offer a retry. */
export default function ScreenError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto max-w-md px-6 pt-20 text-center">
      <span className="inline-flex size-12 items-center justify-center rounded-2xl bg-bad/10 text-bad">
        <IconError className="size-6" />
      </span>
      <h1 className="mt-5 text-xl font-semibold tracking-tight">This screen hit a problem</h1>
      <p className="mt-2 text-[15px] break-words text-muted">{error.message || "Something went wrong while showing it."}</p>
      <Button variant="primary" className="mt-6 px-6" onClick={reset}>
        <IconRefresh className="size-4" />
        Try again
      </Button>
    </div>
  );
}
