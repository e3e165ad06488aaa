"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { RunOptions } from "@/lib/autorun/direct-run";
import { useTRPC } from "@/lib/trpc/client";
import { Hint, Input, inputClass, Label, Select } from "../ui/field";
import { WorktreeOptions } from "./worktree-options";

/**
 * How a run goes, whoever starts it: loop (with an optional maximum), one session per task or
 * per document, and the prompt template. The same controls in the playbook editor and in the
 * Run sheet of a document, so a playbook saves exactly what a direct run would do.
 */
export function RunOptionsFields({
  value,
  onChange,
  worktree,
}: {
  value: RunOptions;
  onChange: (patch: Partial<RunOptions>) => void;
  /** The agent the run starts on (and the names a branch template may use): shows "Run in a new worktree". */
  worktree?: { agentId: string; playbookName: string; documentName: string };
}) {
  const trpc = useTRPC();
  const defaults = useQuery(trpc.autorun.defaults.queryOptions(undefined, { staleTime: Infinity }));
  const [showPrompt, setShowPrompt] = useState(Boolean(value.prompt));
  const ids = { loops: useId(), mode: useId(), prompt: useId() };
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3">
        <label className="flex min-h-11 items-center gap-2 text-[15px]">
          <input
            type="checkbox"
            className="size-5 accent-[var(--color-accent)]"
            checked={value.loopEnabled}
            onChange={(e) => onChange({ loopEnabled: e.target.checked })}
          />
          Loop
        </label>
        <div>
          <Label htmlFor={ids.loops} optional>
            Max loops
          </Label>
          <Input
            id={ids.loops}
            type="number"
            min={1}
            inputMode="numeric"
            disabled={!value.loopEnabled}
            value={value.maxLoops ?? ""}
            onChange={(e) => onChange({ maxLoops: e.target.value ? Math.max(1, Math.floor(Number(e.target.value))) : null })}
            placeholder="no limit"
          />
        </div>
      </div>
      <div>
        <Label htmlFor={ids.mode}>Sessions</Label>
        <Select
          id={ids.mode}
          value={value.taskSelectionMode}
          onChange={(e) => onChange({ taskSelectionMode: e.target.value as RunOptions["taskSelectionMode"] })}
        >
          <option value="task">A fresh session per task</option>
          <option value="document">One session per document</option>
        </Select>
      </div>
      {worktree?.agentId && <WorktreeOptions {...worktree} value={value.worktreeSettings} onChange={onChange} />}
      <div>
        <button
          type="button"
          className="min-h-11 text-[15px] font-medium text-accent"
          aria-expanded={showPrompt}
          onClick={() => setShowPrompt((s) => !s)}
        >
          {showPrompt ? "Hide prompt" : "Edit the prompt"}
        </button>
        {showPrompt && (
          <>
            <Label htmlFor={ids.prompt} optional>
              Prompt template
            </Label>
            <textarea
              id={ids.prompt}
              className={`${inputClass} min-h-40 py-2.5 font-mono text-[14px]`}
              value={value.prompt}
              onChange={(e) => onChange({ prompt: e.target.value })}
              placeholder={defaults.data?.prompt}
            />
            <Hint>
              Empty uses the built-in prompt shown above. Variables: {(defaults.data?.variables ?? []).map((v) => `{{${v}}}`).join(" ")}
            </Hint>
          </>
        )}
      </div>
    </div>
  );
}

/** A document's "Reset on completion" switch: the run works on a copy in runs/, the original stays as it is. */
export function ResetOnCompletion({
  checked,
  onChange,
  label,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label?: string;
}) {
  return (
    <label className="flex min-h-11 items-center gap-2 px-1 text-[15px]">
      <input
        type="checkbox"
        className="size-5 accent-[var(--color-accent)]"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-label={label}
      />
      Reset on completion (work on a copy in runs/)
    </label>
  );
}
