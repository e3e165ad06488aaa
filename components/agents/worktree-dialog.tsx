"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { checkBranchName, worktreeFolderName } from "@/lib/git/refs";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../ui/button";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { Field, FormError, Input } from "../ui/field";
import { IconGitBranch } from "../ui/icons";
import type { Agent } from "../ui/trpc-types";
import { readError } from "../ui/trpc-error";
import { useToast } from "../ui/toaster";
import { useRefreshAgents } from "./use-agent-actions";
import { WorktreeAdoptList } from "./worktree-adopt";
import { WorktreeSetupLog } from "./worktree-setup-log";

/**
 * "New worktree agent": a branch name (checked as it is typed, by the bridge's own rule), the
 * base it starts from, where it will live (derived, read-only), then the setup script's output
 * when the repository has one. Below: git's worktrees that no agent works in yet, to adopt.
 */
export function WorktreeDialog({ agent, onClose }: { agent: Agent; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const refresh = useRefreshAgents();
  const info = useQuery(trpc.worktrees.info.queryOptions({ agentId: agent.id }));
  const [branch, setBranch] = useState("");
  const [base, setBase] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [made, setMade] = useState<{ id: string; name: string } | null>(null);
  const create = useMutation(
    trpc.worktrees.create.mutationOptions({
      onSuccess: ({ agent: child, setup }) => {
        void refresh();
        // With a setup script the dialog itself says so (a toast would cover its buttons on a phone).
        if (setup) setMade({ id: child.id, name: child.name });
        else {
          toast(`Created ${child.name}`);
          onClose();
          router.push(`/agents/${child.id}`);
        }
      },
      onError: (err) => setFormError(readError(err).message),
    }),
  );

  const data = info.data?.isRepo ? info.data : null;
  const baseValue = base ?? data?.currentBranch ?? "";
  const problem = checkBranchName(branch);
  const where = data && !problem ? `${data.baseFolder}/${worktreeFolderName(branch)}` : data ? `${data.baseFolder}/…` : "";

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    setFormError(null);
    if (problem || !data) return;
    create.mutate({ parentId: agent.id, branch, base: baseValue.trim() || null });
  }

  if (made) {
    return (
      <Dialog
        open
        onClose={onClose}
        title={`Setting up ${made.name}`}
        description="The repository's setup script runs in the new worktree."
      >
        <DialogBody>
          <WorktreeSetupLog agentId={made.id} />
        </DialogBody>
        <DialogFooter>
          <Button onClick={onClose}>Close</Button>
          <Button
            variant="primary"
            onClick={() => {
              onClose();
              router.push(`/agents/${made.id}`);
            }}
          >
            Open agent
          </Button>
        </DialogFooter>
      </Dialog>
    );
  }

  return (
    <Dialog
      open
      onClose={onClose}
      title="New worktree agent"
      description={`A new branch in its own folder, with ${agent.name}'s provider and settings.`}
      variant="sheet"
    >
      <form onSubmit={submit} noValidate className="contents">
        <DialogBody className="space-y-4">
          {info.isPending && <p className="text-sm text-muted">Looking at the repository…</p>}
          {info.error && <FormError>{readError(info.error).message}</FormError>}
          {info.data && !info.data.isRepo && <FormError>{agent.folder} is not inside a git work tree.</FormError>}
          {data && (
            <>
              <Field label="Branch name" error={touched || branch ? problem : null}>
                {(c) => (
                  <Input
                    {...c}
                    data-autofocus
                    value={branch}
                    onChange={(e) => setBranch(e.target.value)}
                    onBlur={() => setTouched(true)}
                    autoComplete="off"
                    autoCapitalize="off"
                    spellCheck={false}
                    placeholder="e.g. feature/login"
                  />
                )}
              </Field>
              <Field label="Base branch" hint="The new branch starts here.">
                {(c) => (
                  <Input
                    {...c}
                    value={baseValue}
                    onChange={(e) => setBase(e.target.value)}
                    autoComplete="off"
                    autoCapitalize="off"
                    spellCheck={false}
                  />
                )}
              </Field>
              <div>
                <p className="text-sm font-medium">Location</p>
                <p className="mt-1 flex items-start gap-2 rounded-lg bg-surface-2 px-3 py-2 font-mono text-[12.5px] break-all text-muted">
                  <IconGitBranch className="mt-0.5 size-4 shrink-0" />
                  <span data-testid="worktree-location">{where}</span>
                </p>
                {data.setupScript && <p className="mt-1 text-xs text-muted">Then runs {data.setupScript} there.</p>}
              </div>
              {formError && <FormError>{formError}</FormError>}
              <WorktreeAdoptList agent={agent} onAdopted={onClose} />
            </>
          )}
        </DialogBody>
        <DialogFooter>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={!data || create.isPending}>
            {create.isPending ? "Creating…" : "Create"}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
