"use client";

import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import type { RunOptions } from "@/lib/autorun/direct-run";
import { BRANCH_TEMPLATE_VARIABLES, DEFAULT_BRANCH_TEMPLATE, expandBranchTemplate, worktreePlan } from "@/lib/autorun/worktree";
import { useTRPC } from "@/lib/trpc/client";
import { FieldError, Hint, Input, Label } from "../ui/field";

type Settings = NonNullable<RunOptions["worktreeSettings"]>;

/**
 * "Run in a new worktree": the branch name template, "Open a pull request when done", the
 * target branch. Stored in desktop's spelling (`branchNameTemplate`, `createPROnCompletion`,
 * `prTargetBranch`); an older playbook's `enabled`/`branchName`/`createPR` is rewritten on change.
 */
export function WorktreeOptions({
  agentId,
  value,
  onChange,
  playbookName,
  documentName,
}: {
  agentId: string;
  value: RunOptions["worktreeSettings"];
  onChange: (patch: Partial<RunOptions>) => void;
  playbookName: string;
  documentName: string;
}) {
  const trpc = useTRPC();
  const info = useQuery({ ...trpc.worktrees.info.queryOptions({ agentId }), enabled: !!agentId, staleTime: 30_000 });
  const agents = useQuery(trpc.agents.list.queryOptions());
  const ids = { template: useId(), preview: useId(), target: useId(), targetHint: useId() };
  const plan = worktreePlan(value);
  const isRepo = info.data?.isRepo === true;
  const currentBranch = info.data?.isRepo ? info.data.currentBranch : "";
  const agentName = agents.data?.find((a) => a.id === agentId)?.name ?? "";
  const raw = value?.branchNameTemplate ?? value?.branchName ?? "";
  const set = (patch: Partial<Settings>) => {
    const next: Settings = {
      branchNameTemplate: raw,
      createPROnCompletion: plan?.createPr ?? false,
      ...(plan?.target ? { prTargetBranch: plan.target } : {}),
      ...patch,
    };
    if (!next.prTargetBranch) delete next.prTargetBranch;
    onChange({ worktreeSettings: next });
  };
  const preview = plan
    ? expandBranchTemplate(plan.template, {
        playbook: playbookName,
        documentName,
        agentName,
        baseBranch: plan.target || currentBranch || "main",
        now: new Date(),
      })
    : null;

  return (
    <fieldset className="space-y-3 rounded-xl border border-border p-3">
      <label className="flex min-h-11 items-center gap-2 text-[15px]">
        <input
          type="checkbox"
          className="size-5 accent-[var(--color-accent)]"
          checked={!!plan}
          disabled={!plan && info.data?.isRepo === false}
          onChange={(e) =>
            onChange({ worktreeSettings: e.target.checked ? { branchNameTemplate: "", createPROnCompletion: false } : null })
          }
        />
        Run in a new worktree
      </label>
      {info.data?.isRepo === false && !plan && (
        <Hint className="mt-0">This agent&apos;s folder is not a git repository, so a run cannot have a branch of its own.</Hint>
      )}
      {plan && (
        <>
          <Hint className="mt-0">
            The run gets its own worktree agent on a new branch and commits each task there; the agent&apos;s own folder is left as it is.
          </Hint>
          <div>
            <Label htmlFor={ids.template}>Branch name</Label>
            <Input
              id={ids.template}
              value={raw}
              onChange={(e) => set({ branchNameTemplate: e.target.value })}
              placeholder={DEFAULT_BRANCH_TEMPLATE}
              aria-describedby={ids.preview}
              aria-invalid={preview?.ok === false || undefined}
              autoCapitalize="off"
              autoCorrect="off"
              spellCheck={false}
              maxLength={200}
            />
            {preview?.ok ? (
              <Hint id={ids.preview}>
                Branch: <span className="font-mono break-all">{preview.branch}</span> (a taken name gets -2, -3…)
              </Hint>
            ) : (
              <FieldError id={ids.preview}>{preview && !preview.ok ? preview.message : null}</FieldError>
            )}
          </div>
          <details className="text-sm text-muted">
            <summary className="min-h-11 cursor-pointer py-2.5 font-medium text-accent">Variables for the branch name</summary>
            <p className="font-mono text-[13px] leading-6 break-words">{BRANCH_TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(" ")}</p>
          </details>
          <label className="flex min-h-11 items-center gap-2 text-[15px]">
            <input
              type="checkbox"
              className="size-5 accent-[var(--color-accent)]"
              checked={plan.createPr}
              onChange={(e) => set({ createPROnCompletion: e.target.checked })}
            />
            Open a pull request when done
          </label>
          <div>
            <Label htmlFor={ids.target} optional>
              Target branch
            </Label>
            <Input
              id={ids.target}
              value={plan.target ?? ""}
              onChange={(e) => set({ prTargetBranch: e.target.value.trim() })}
              placeholder={isRepo ? currentBranch : "the agent's current branch"}
              aria-describedby={ids.targetHint}
              autoCapitalize="off"
              autoCorrect="off"
              spellCheck={false}
              maxLength={200}
            />
            <Hint id={ids.targetHint}>
              The worktree starts from it and the pull request goes into it. Empty: the agent&apos;s current branch.
            </Hint>
          </div>
        </>
      )}
    </fieldset>
  );
}
