"use client";

import { Field, Input } from "./field";

/** A labelled whole-number input from `min` to `max`, kept as the typed text (the form parses it on submit). */
export function NumberField({
  label,
  hint,
  error,
  min,
  max,
  value,
  onChange,
}: {
  label: string;
  hint: string;
  error: string | null;
  min: number;
  max: number;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(c) => (
        <Input {...c} type="number" inputMode="numeric" min={min} max={max} value={value} onChange={(e) => onChange(e.target.value)} />
      )}
    </Field>
  );
}
