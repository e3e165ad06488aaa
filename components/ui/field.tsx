import { useId, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes } from "react";
import { IconError } from "./icons";
import { cn } from "./cn";
import { Ticks } from "./ticks";

export const inputClass =
  "block w-full min-h-11 rounded-xl border border-border bg-bg px-3.5 text-[16px] text-text placeholder:text-muted/70 " +
  "transition-colors hover:border-muted/60 focus:border-accent focus-visible:outline-2 focus-visible:outline-offset-0 " +
  "aria-[invalid=true]:border-bad disabled:opacity-60";

export function Label({ htmlFor, children, optional }: { htmlFor: string; children: ReactNode; optional?: boolean }) {
  return (
    <label htmlFor={htmlFor} className="mb-1.5 flex items-baseline gap-2 text-sm font-medium text-text">
      {children}
      {optional && <span className="text-xs font-normal text-muted">optional</span>}
    </label>
  );
}

export function Input({ className, ref, ...rest }: InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  return <input ref={ref} className={cn(inputClass, className)} {...rest} />;
}

export function Select({ className, children, ref, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & { ref?: Ref<HTMLSelectElement> }) {
  return (
    <div className="relative">
      <select ref={ref} className={cn(inputClass, "appearance-none pr-10", className)} {...rest}>
        {children}
      </select>
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="pointer-events-none absolute top-1/2 right-3 size-5 -translate-y-1/2 text-muted"
        fill="none"
        stroke="currentColor"
        strokeWidth={2}
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d="m6 9 6 6 6-6" />
      </svg>
    </div>
  );
}

/** A field's error: announced (role="alert"), tied to the input via aria-describedby. */
export function FieldError({ id, children }: { id: string; children?: ReactNode }) {
  if (!children) return null;
  return (
    <p id={id} role="alert" className="mt-1.5 flex items-start gap-1.5 text-sm text-bad">
      <IconError className="mt-0.5 size-4 shrink-0" />
      <span>{children}</span>
    </p>
  );
}

export function Hint({ id, children, className }: { id?: string; children: ReactNode; className?: string }) {
  return (
    <p id={id} className={cn("mt-1.5 text-sm leading-relaxed text-muted", className)}>
      {children}
    </p>
  );
}

/** A form-level error with an optional hint line. */
export function FormError({ children, hint, className }: { children: ReactNode; hint?: ReactNode; className?: string }) {
  return (
    <div role="alert" className={cn("flex gap-2.5 rounded-xl border border-bad/40 bg-bad/10 px-3.5 py-3 text-sm", className)}>
      <IconError className="mt-0.5 size-4 shrink-0 text-bad" />
      <div className="min-w-0">
        <p className="font-medium text-text">{typeof children === "string" ? <Ticks text={children} /> : children}</p>
        {hint && <p className="mt-1 text-muted">{typeof hint === "string" ? <Ticks text={hint} /> : hint}</p>}
      </div>
    </div>
  );
}

/** What `Field` hands its control: the id its label points at, and what describes it. */
export interface FieldControl {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

/**
 * A labelled form field: label (with "optional"), the control, a hint and an error, wired with
 * `aria-describedby` (hint, then error) and `aria-invalid`. The control is rendered by the
 * caller from the props it is given: `<Field label="Model">{(c) => <Input {...c} />}</Field>`.
 */
export function Field({
  label,
  hint,
  error,
  optional,
  id: idProp,
  className,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  optional?: boolean;
  id?: string;
  className?: string;
  children: (control: FieldControl) => ReactNode;
}) {
  const auto = useId();
  const id = idProp ?? auto;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = `${id}-error`;
  const control: FieldControl = {
    id,
    "aria-describedby": [hintId, error && errorId].filter(Boolean).join(" ") || undefined,
    "aria-invalid": error ? true : undefined,
  };
  return (
    <div className={className}>
      <Label htmlFor={id} optional={optional}>
        {label}
      </Label>
      {children(control)}
      {hint && <Hint id={hintId}>{hint}</Hint>}
      <FieldError id={errorId}>{error}</FieldError>
    </div>
  );
}
