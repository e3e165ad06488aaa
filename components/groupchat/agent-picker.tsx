"use client";

import { providerLabel } from "../agents/agent-card";
import type { Agent } from "../ui/trpc-types";
import { cn } from "../ui/cn";
import { Field, Select } from "../ui/field";

/** A multi-select of agents as 44 px checkbox rows (name, provider). */
export function AgentChecklist({
  agents,
  selected,
  onChange,
  label,
}: {
  agents: readonly Agent[];
  selected: readonly string[];
  onChange: (ids: string[]) => void;
  label: string;
}) {
  if (agents.length === 0) return <p className="text-sm text-muted">No other agents yet. Add one from the dashboard first.</p>;
  return (
    <fieldset>
      <legend className="mb-1.5 text-sm font-medium">{label}</legend>
      <ul className="divide-y divide-border overflow-hidden rounded-xl border border-border">
        {agents.map((a) => {
          const on = selected.includes(a.id);
          return (
            <li key={a.id}>
              <label
                className={cn("flex min-h-12 cursor-pointer items-center gap-3 px-3.5 py-2", on ? "bg-accent/8" : "hover:bg-surface-2")}
              >
                <input
                  type="checkbox"
                  checked={on}
                  onChange={(e) => onChange(e.target.checked ? [...selected, a.id] : selected.filter((id) => id !== a.id))}
                  className="size-5 shrink-0 accent-accent"
                />
                <span className="min-w-0 flex-1">
                  <span className="block truncate text-[15px] font-medium">{a.name}</span>
                  <span className="block truncate text-xs text-muted">{providerLabel(a.provider)}</span>
                </span>
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

/** One agent picked from a list (a chat's moderator, a mission's project, a feature's new worker), as a labelled select. */
export function AgentSelect({
  label,
  hint,
  error,
  className,
  agents,
  value,
  onChange,
}: {
  label: string;
  hint?: string;
  error?: string | null;
  className?: string;
  agents: readonly Agent[];
  value: string;
  onChange: (id: string) => void;
}) {
  return (
    <Field label={label} hint={hint} error={error} className={className}>
      {(c) => (
        <Select {...c} value={value} onChange={(e) => onChange(e.target.value)}>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}
