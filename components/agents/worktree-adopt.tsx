"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../ui/button";
import { FormError } from "../ui/field";
import { IconGitBranch } from "../ui/icons";
import type { Agent } from "../ui/trpc-types";
import { readError } from "../ui/trpc-error";
import { useToast } from "../ui/toaster";
import { useRefreshAgents } from "./use-agent-actions";

/** Git's worktrees of this repository that no agent works in (made outside Maestro), each adoptable. */
export function WorktreeAdoptList({ agent, onAdopted }: { agent: Agent; onAdopted: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshAgents();
  const list = useQuery(trpc.worktrees.list.queryOptions({ agentId: agent.id }));
  const adopt = useMutation(
    trpc.worktrees.adopt.mutationOptions({
      onSuccess: (child) => {
        void refresh();
        toast(`Adopted ${child.name}`);
        onAdopted();
      },
    }),
  );
  const free = (list.data ?? []).filter((w) => !w.main && !w.bare && !w.prunable && !w.agent);
  if (free.length === 0) return null;
  return (
    <section aria-labelledby="adopt-heading" className="border-t border-border pt-4">
      <h3 id="adopt-heading" className="text-sm font-medium">
        Adopt existing worktree
      </h3>
      <ul className="mt-2 space-y-2">
        {free.map((w) => (
          <li key={w.path} className="flex items-center gap-2 rounded-lg border border-border px-3 py-2">
            <IconGitBranch className="size-4 shrink-0 text-muted" />
            <div className="min-w-0 flex-1">
              <p className="truncate text-sm font-medium">{w.branch ?? "detached"}</p>
              <p className="truncate font-mono text-xs text-muted">{w.path}</p>
            </div>
            <Button size="sm" disabled={adopt.isPending} onClick={() => adopt.mutate({ parentId: agent.id, path: w.path })}>
              Adopt
            </Button>
          </li>
        ))}
      </ul>
      {adopt.error && <FormError>{readError(adopt.error).message}</FormError>}
    </section>
  );
}
