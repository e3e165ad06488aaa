import type { ReactNode } from "react";
import { cn } from "../ui/cn";
import { Field, Input, inputClass } from "../ui/field";

/**
 * A labelled text field for paths, commands, arguments and env (monospace, no autocorrect), with
 * its hint and error: one line, or several (`multiline`).
 */
export function CodeField({
  label,
  hint,
  value,
  onChange,
  error,
  placeholder,
  multiline = false,
}: {
  label: string;
  hint: ReactNode;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  placeholder?: string;
  multiline?: boolean;
}) {
  return (
    <Field label={label} optional hint={hint} error={error}>
      {(control) =>
        multiline ? (
          <textarea
            {...control}
            value={value}
            placeholder={placeholder}
            autoCapitalize="off"
            spellCheck={false}
            onChange={(e) => onChange(e.target.value)}
            rows={3}
            autoCorrect="off"
            className={cn(inputClass, "resize-y py-2.5 font-mono text-[15px] leading-6")}
          />
        ) : (
          <Input
            {...control}
            value={value}
            placeholder={placeholder}
            autoCapitalize="off"
            spellCheck={false}
            onChange={(e) => onChange(e.target.value)}
            autoComplete="off"
            className="font-mono text-[15px]"
          />
        )
      }
    </Field>
  );
}
