"use client";

import type { ManifestChoice } from "@/lib/autorun/playbook-formats";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { FormError } from "../ui/field";

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** A playbook of a manifest or of the Exchange: name, description, then documents · category · author. */
export function PlaybookChoiceButton({
  choice,
  onClick,
  disabled,
  label,
  selected,
  badge,
  className,
}: {
  choice: ManifestChoice;
  onClick: () => void;
  disabled?: boolean;
  /** The accessible name, when the visible text is not it (e.g. "Import X"). */
  label?: string;
  selected?: boolean;
  badge?: string;
  className?: string;
}) {
  return (
    <button
      type="button"
      disabled={disabled}
      onClick={onClick}
      aria-label={label}
      aria-current={selected ? "true" : undefined}
      className={cn(
        "block min-h-14 w-full rounded-2xl border bg-surface px-4 py-2.5 text-left hover:bg-surface-2 disabled:opacity-60",
        selected ? "border-accent ring-1 ring-accent" : "border-border",
        className,
      )}
    >
      <span className="flex items-start gap-2">
        <span className="min-w-0 flex-1 font-medium">{choice.name}</span>
        {badge && <span className="shrink-0 rounded-full bg-accent/12 px-2 py-px text-xs font-semibold text-accent">{badge}</span>}
      </span>
      {choice.description && <span className="line-clamp-2 block text-sm text-muted">{choice.description}</span>}
      <span className="block text-sm text-muted">
        {[plural(choice.documents, "document"), choice.category, choice.author].filter(Boolean).join(" · ")}
      </span>
    </button>
  );
}

/**
 * Files of the playbook already exist with other content: the bridge's message (which names
 * them), and the choice. Nothing is written until the person says "Replace them".
 */
export function ClashChoice({
  clash,
  pending,
  onKeep,
  onReplace,
}: {
  clash: { message: string; hint?: string };
  pending: boolean;
  onKeep: () => void;
  onReplace: () => void;
}) {
  return (
    <div className="space-y-3">
      <FormError hint={clash.hint}>{clash.message}</FormError>
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="ghost" onClick={onKeep}>
          Keep mine
        </Button>
        <Button variant="danger" onClick={onReplace} disabled={pending}>
          Replace them
        </Button>
      </div>
    </div>
  );
}
