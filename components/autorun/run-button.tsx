"use client";

import { Spinner } from "../conversation/icons";
import { IconChevronDown } from "../ui/icons";
import { buttonClass } from "../ui/button";
import { cn } from "../ui/cn";
import { IconPlay } from "./run-icons";

/**
 * Run, with its options one tap away: the main half starts the run now, the chevron opens the
 * Run sheet (loop, sessions, prompt, reset, Save as playbook). `name` makes both halves' names
 * unique in a list ("Run plan", "Run options for plan").
 */
export function RunButton({
  name,
  label = "Run",
  onRun,
  onOptions,
  pending,
  disabled,
  variant = "primary",
  className,
}: {
  name: string;
  label?: string;
  onRun: () => void;
  onOptions: () => void;
  pending?: boolean;
  disabled?: boolean;
  /** Secondary in lists, where every row has one; primary where it is the screen's main action. */
  variant?: "primary" | "secondary";
  className?: string;
}) {
  return (
    <span className={cn("inline-flex shrink-0", className)}>
      <button
        type="button"
        onClick={onRun}
        disabled={disabled || pending}
        aria-busy={pending || undefined}
        aria-label={`${label} ${name}`}
        className={buttonClass(variant, "sm", "rounded-r-none pr-2.5")}
      >
        {pending ? <Spinner className="size-4" /> : <IconPlay />}
        {label}
      </button>
      <button
        type="button"
        onClick={onOptions}
        disabled={disabled}
        aria-label={`Run options for ${name}`}
        title="Run options"
        className={buttonClass(variant, "sm", cn("rounded-l-none px-2", variant === "primary" ? "border-l border-accent-fg/30" : "-ml-px"))}
      >
        <IconChevronDown className="size-4" />
      </button>
    </span>
  );
}
