"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatSize, removeWarnings, workAtRisk, type RemoveCheck } from "@/lib/git/worktree-cleanup";
import { useTRPC } from "@/lib/trpc/client";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { FormError } from "../ui/field";
import { IconGitBranch } from "../ui/icons";
import { useToast } from "../ui/toaster";
import type { Agent } from "../ui/trpc-types";
import { readError } from "../ui/trpc-error";
import { useRefreshAgents } from "./use-agent-actions";

/**
 * Removing an agent's worktree: what git says would be lost, then Remove, or — when work would
 * be lost — a second, explicit "Remove anyway" (armed by the first press).
 */
export function useWorktreeRemoval(
  agent: Agent,
  { enabled, deleteBranch, onDone }: { enabled: boolean; deleteBranch: boolean; onDone: () => void },
) {
  const trpc = useTRPC();
  const toast = useToast();
  const router = useRouter();
  const refresh = useRefreshAgents();
  const check = useQuery({ ...trpc.worktreeCleanup.check.queryOptions({ agentId: agent.id }), enabled, staleTime: 0 });
  const [armed, setArmed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = useMutation(
    trpc.worktreeCleanup.remove.mutationOptions({
      onSuccess: (r) => {
        onDone();
        toast(r.branchError ? `Removed the worktree; branch ${r.branch} kept: ${r.branchError}` : `Removed ${agent.name} and its worktree`);
        router.replace("/");
        void refresh();
      },
      onError: (err) => {
        const e = readError(err);
        setError(e.hint ? `${e.message} ${e.hint}` : e.message);
        // The work changed since the check (a file was saved): show it again, and ask again.
        if (e.code === "CONFLICT") {
          setArmed(false);
          void check.refetch();
        }
      },
    }),
  );
  const c = check.data;
  const branchUnmerged = !!c && deleteBranch && !!c.branch && !c.merged && !c.upstream;
  const risky = !!c && (workAtRisk(c) || branchUnmerged);
  return {
    check,
    risky,
    armed,
    error: error ?? (check.error ? readError(check.error).message : null),
    pending: remove.isPending,
    reset: () => {
      setArmed(false);
      setError(null);
    },
    /** First press on risky work arms "Remove anyway"; the next one removes with force. */
    submit: () => {
      if (!c) return;
      setError(null);
      if (risky && !armed) return setArmed(true);
      // Force covers only the state shown: the bridge refuses it when the worktree changed since.
      remove.mutate({ agentId: agent.id, deleteBranch, ...(risky ? { force: true, seen: c.fingerprint } : {}) });
    },
  };
}

/** The check's findings: where, size, the branch and whether it is merged, and the warnings. */
export function WorktreeRemoveFindings({
  check,
  deleteBranch,
  armed,
}: {
  check: RemoveCheck | undefined;
  deleteBranch: boolean;
  armed: boolean;
}) {
  if (!check) return <p className="text-sm text-muted">Asking git what would be lost…</p>;
  const warnings = removeWarnings(check);
  if (deleteBranch && check.branch && !check.merged && !check.upstream)
    warnings.push(`Branch ${check.branch} is not merged into ${check.mainBranch ?? "the main branch"}: deleting it loses its commits.`);
  const more = check.uncommitted - check.uncommittedFiles.length;
  return (
    <div className="space-y-3" data-testid="worktree-remove-findings">
      <p className="flex items-start gap-2 rounded-lg bg-surface-2 px-3 py-2 font-mono text-[12.5px] break-all text-muted">
        <IconGitBranch className="mt-0.5 size-4 shrink-0" />
        <span>
          {check.path}
          {!check.missing && (
            <span className="font-sans">
              {" "}
              · {check.sizeComplete ? "" : "at least "}
              {formatSize(check.bytes)}
            </span>
          )}
        </span>
      </p>
      {check.branch && (
        <p className="text-sm text-text">
          Branch <span className="font-mono text-[13px]">{check.branch}</span>{" "}
          {check.merged
            ? `is merged into ${check.mainBranch ?? "the main branch"}.`
            : `is not merged into ${check.mainBranch ?? "the main branch"}.`}
        </p>
      )}
      {warnings.length > 0 ? (
        <div role="alert" className="rounded-lg border border-bad/40 bg-bad/8 px-3 py-2 text-sm text-text">
          <ul className="list-disc space-y-1 pl-4">
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
          {check.uncommittedFiles.length > 0 && (
            <p className="mt-1.5 font-mono text-[12.5px] break-all text-muted">
              {check.uncommittedFiles.join(", ")}
              {more > 0 ? ` and ${more} more` : ""}
            </p>
          )}
          {armed && <p className="mt-1.5 font-semibold text-bad">Press Remove anyway to lose this work.</p>}
        </div>
      ) : (
        <p className="text-sm text-muted">Nothing uncommitted or unpushed: nothing is lost.</p>
      )}
    </div>
  );
}

/** "Remove worktree" on a worktree agent: the folder, optionally its branch, and the agent. */
export function RemoveWorktreeDialog({ agent, open, onClose }: { agent: Agent; open: boolean; onClose: () => void }) {
  // Ticked by default only when the branch is merged (nothing of its own would go with it).
  const [chosen, setChosen] = useState<boolean | null>(null);
  const trpc = useTRPC();
  const merged = useQuery({ ...trpc.worktreeCleanup.check.queryOptions({ agentId: agent.id }), enabled: false }).data?.merged;
  const deleteBranch = chosen ?? !!merged;
  const r = useWorktreeRemoval(agent, { enabled: open, deleteBranch, onDone: onClose });
  const branch = r.check.data?.branch;
  return (
    <ConfirmDialog
      open={open}
      onClose={() => {
        r.reset();
        onClose();
      }}
      title="Remove worktree?"
      confirmLabel={r.armed ? "Remove anyway" : "Remove"}
      pending={r.pending || !r.check.data}
      onConfirm={r.submit}
    >
      <p className="mb-3">
        Removes the worktree folder and the agent {agent.name} with its conversations. The main work tree is not touched.
      </p>
      <WorktreeRemoveFindings check={r.check.data} deleteBranch={deleteBranch} armed={r.armed} />
      {branch && (
        <label className="mt-2 flex min-h-11 items-center gap-2 text-[15px] text-text">
          <input
            type="checkbox"
            className="size-5 accent-[var(--color-accent)]"
            checked={deleteBranch}
            onChange={(e) => {
              setChosen(e.target.checked);
              r.reset();
            }}
          />
          <span>
            Also delete branch <span className="font-mono text-[13px]">{branch}</span>
          </span>
        </label>
      )}
      {r.error && <FormError className="mt-3">{r.error}</FormError>}
    </ConfirmDialog>
  );
}
