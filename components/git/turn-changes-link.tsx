"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { Dialog } from "../ui/dialog";
import { cn } from "../ui/cn";

const TurnChanges = dynamic(() => import("./turn-changes"), { ssr: false });

/**
 * "3 files changed" (or `label`): opens what the turn changed in a sheet. The diff views load
 * only when it opens, so the conversation's first load does not carry them.
 */
export function TurnChangesLink({
  turnId,
  count,
  label,
  className,
}: {
  turnId: string;
  count?: number;
  label?: string;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const text = label ?? `${count} ${count === 1 ? "file" : "files"} changed`;
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        // The hit area reaches 44 px tall on a phone without making the footer line taller.
        className={cn(
          "relative underline decoration-dotted underline-offset-2 after:absolute after:-inset-x-1 after:-inset-y-3.5 after:content-[''] hover:text-text",
          className,
        )}
        title="What this turn changed in the folder"
      >
        {text}
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title="What this turn changed" variant="sheet" size="lg">
        <div className="mt-2 flex h-[70dvh] min-h-0 flex-col border-t border-border lg:h-[60vh]">
          <TurnChanges turnId={turnId} />
        </div>
      </Dialog>
    </>
  );
}
