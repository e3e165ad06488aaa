"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { IconTrash } from "../ui/icons";
import { useToast } from "../ui/toaster";
import type { Agent, Group } from "../ui/trpc-types";
import { readError } from "../ui/trpc-error";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Hint, Label, Select } from "../ui/field";
import { useRefreshAgents } from "./use-agent-actions";
import { useIsWorktreeAgent } from "./use-is-worktree-agent";
import { useWorktreeRemoval, WorktreeRemoveFindings } from "./worktree-remove";

/**
 * Asks before deleting an agent, then deletes it and goes back to the dashboard. A worktree
 * agent's dialog offers to remove its worktree folder and branch too (with the same warnings as
 * Remove worktree); a parent is told its worktree agents stay.
 */
export function DeleteAgentDialog({ agent, open, onClose }: { agent: Agent; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const refresh = useRefreshAgents();
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [withWorktree, setWithWorktree] = useState(false);
  const isWorktree = useIsWorktreeAgent(agent, open);
  const children = useQuery({ ...trpc.agents.list.queryOptions(), enabled: open }).data?.filter((a) => a.parentId === agent.id) ?? [];
  const wt = useWorktreeRemoval(agent, { enabled: open && withWorktree, deleteBranch: true, onDone: onClose });
  const remove = useMutation(
    trpc.agents.remove.mutationOptions({
      onSuccess: () => {
        onClose();
        toast(`Deleted ${agent.name}`);
        router.replace("/");
        void refresh();
      },
      onError: (err) => setDeleteError(readError(err).message),
    }),
  );
  const close = () => {
    setDeleteError(null);
    setWithWorktree(false);
    wt.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={open}
      onClose={close}
      title={`Delete ${agent.name}?`}
      confirmLabel={withWorktree ? (wt.armed ? "Remove anyway" : "Delete with worktree") : "Delete agent"}
      pending={withWorktree ? wt.pending || !wt.check.data : remove.isPending}
      error={withWorktree ? wt.error : deleteError}
      onConfirm={() => (withWorktree ? wt.submit() : remove.mutate({ id: agent.id }))}
    >
      Its conversations and settings are removed from Maestro.{" "}
      {withWorktree ? (
        "Its worktree folder and branch are removed too."
      ) : (
        <>
          The folder <span className="font-mono text-[13px] break-all text-text">{agent.folder}</span> and everything in it are not touched.
        </>
      )}
      {children.length > 0 && (
        <span className="mt-2 block">
          {children.length === 1 ? `Its worktree agent ${children[0]!.name} stays` : `Its ${children.length} worktree agents stay`} (no
          longer nested), with {children.length === 1 ? "its folder" : "their folders"}.
        </span>
      )}
      {isWorktree && (
        <label className="mt-3 flex min-h-11 items-center gap-2 text-[15px] text-text">
          <input
            type="checkbox"
            className="size-5 accent-[var(--color-accent)]"
            checked={withWorktree}
            onChange={(e) => {
              setWithWorktree(e.target.checked);
              wt.reset();
            }}
          />
          Also remove the worktree folder and branch
        </label>
      )}
      {withWorktree && (
        <div className="mt-2">
          <WorktreeRemoveFindings check={wt.check.data} deleteBranch armed={wt.armed} />
        </div>
      )}
    </ConfirmDialog>
  );
}

/** Move to another group, or delete (after a confirmation). */
export function AgentManage({ agent, groups }: { agent: Agent; groups: Group[] | undefined }) {
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshAgents();
  const [confirming, setConfirming] = useState(false);

  const move = useMutation(
    trpc.agents.move.mutationOptions({
      onSuccess: (a) => {
        void refresh();
        const g = groups?.find((x) => x.id === a.groupId);
        toast(g ? `Moved ${a.name} to ${g.name}` : `${a.name} is now ungrouped`);
      },
      onError: (err) => toast(`Couldn't move it: ${readError(err).message}`, "bad"),
    }),
  );

  return (
    <section aria-labelledby="agent-manage-title" className="rounded-2xl border border-border bg-surface p-4 sm:p-5">
      <h2 id="agent-manage-title" className="text-base font-semibold tracking-tight">
        Organise
      </h2>
      <div className="mt-3">
        <Label htmlFor="agent-move-group">Move to group</Label>
        <Select
          id="agent-move-group"
          value={agent.groupId ?? ""}
          disabled={move.isPending}
          onChange={(e) => move.mutate({ id: agent.id, groupId: e.target.value || null })}
        >
          <option value="">No group</option>
          {groups?.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </Select>
      </div>
      <div className="mt-5 border-t border-border pt-4">
        <h3 className="text-sm font-semibold">Delete this agent</h3>
        <Hint className="mt-1">Removes it from Maestro. Your project folder and its files stay as they are.</Hint>
        <Button variant="danger-ghost" size="sm" className="mt-2 -ml-3" onClick={() => setConfirming(true)}>
          <IconTrash className="size-4" />
          Delete
        </Button>
      </div>
      <DeleteAgentDialog agent={agent} open={confirming} onClose={() => setConfirming(false)} />
    </section>
  );
}
