"use client";

import { useId } from "react";
import { FieldError } from "./field";
import { cn } from "./cn";

/** An on/off switch (role="switch"), at least 44 px tall; named by a <label htmlFor={id}> or `aria-label`. */
export function Switch({
  id,
  checked,
  onChange,
  disabled,
  "aria-label": ariaLabel,
  "aria-describedby": describedBy,
}: {
  id?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  "aria-label"?: string;
  "aria-describedby"?: string;
}) {
  return (
    <button
      id={id}
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={ariaLabel}
      aria-describedby={describedBy}
      disabled={disabled}
      onClick={() => onChange(!checked)}
      className="inline-flex min-h-11 shrink-0 items-center disabled:opacity-60"
    >
      <span
        aria-hidden="true"
        className={cn(
          "relative inline-flex h-7 w-12 items-center rounded-full border transition-colors motion-reduce:transition-none",
          checked ? "border-accent bg-accent" : "border-border bg-surface-2",
        )}
      >
        <span
          className={cn(
            "inline-block size-5 rounded-full bg-white shadow transition-transform motion-reduce:transition-none",
            checked ? "translate-x-6" : "translate-x-1",
          )}
        />
      </span>
    </button>
  );
}

/** A settings row: label and hint on the left, the switch on the right, an error below. */
export function SwitchField({
  label,
  hint,
  checked,
  onChange,
  error,
}: {
  label: string;
  hint: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  error?: string;
}) {
  const id = useId();
  return (
    <div>
      <div className="flex items-start gap-3">
        <div className="min-w-0 flex-1">
          <label htmlFor={id} className="block text-sm font-medium text-text">
            {label}
          </label>
          <p id={`${id}-hint`} className="mt-0.5 text-sm leading-relaxed text-muted">
            {hint}
          </p>
        </div>
        <Switch
          id={id}
          checked={checked}
          onChange={onChange}
          aria-describedby={[`${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ")}
        />
      </div>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </div>
  );
}
