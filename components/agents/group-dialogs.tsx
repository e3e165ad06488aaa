"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { useToast } from "../ui/toaster";
import type { Group } from "../ui/trpc-types";
import { readError } from "../ui/trpc-error";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { FieldError, Input, Label } from "../ui/field";
import { useAgents } from "./use-agents";

export type GroupDialogRequest = { kind: "new" } | { kind: "rename"; group: Group } | { kind: "delete"; group: Group };

/** New group, rename group and delete group (agents are kept and become ungrouped). */
export function GroupDialogs({ request, onClose }: { request: GroupDialogRequest; onClose: () => void }) {
  if (request.kind === "delete") return <DeleteGroupDialog group={request.group} onClose={onClose} />;
  return <GroupNameDialog group={request.kind === "rename" ? request.group : null} onClose={onClose} />;
}

function useRefreshGroups() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries(trpc.groups.pathFilter());
    void queryClient.invalidateQueries(trpc.agents.pathFilter());
  };
}

function GroupNameDialog({ group, onClose }: { group: Group | null; onClose: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshGroups();
  const [name, setName] = useState(group?.name ?? "");
  const [error, setError] = useState<string | null>(null);
  const onError = (err: unknown) => {
    const e = readError(err);
    setError(e.fieldErrors.name ?? e.message);
  };
  const create = useMutation(
    trpc.groups.create.mutationOptions({
      onSuccess: (g) => {
        refresh();
        toast(`Created group ${g.name}`);
        onClose();
      },
      onError,
    }),
  );
  const rename = useMutation(
    trpc.groups.rename.mutationOptions({
      onSuccess: (g) => {
        refresh();
        toast(`Renamed to ${g.name}`);
        onClose();
      },
      onError,
    }),
  );
  const pending = create.isPending || rename.isPending;

  function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setError("Give the group a name.");
    setError(null);
    if (group) rename.mutate({ id: group.id, name: trimmed });
    else create.mutate({ name: trimmed });
  }

  return (
    <Dialog
      open
      onClose={onClose}
      title={group ? `Rename ${group.name}` : "New group"}
      description={group ? undefined : "Groups keep related agents together, like folders."}
      size="sm"
    >
      <form onSubmit={submit} noValidate className="contents">
        <DialogBody>
          <Label htmlFor="group-name">Group name</Label>
          <Input
            id="group-name"
            data-autofocus
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={80}
            autoComplete="off"
            placeholder="e.g. Client work"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "group-name-error" : undefined}
          />
          <FieldError id="group-name-error">{error}</FieldError>
        </DialogBody>
        <DialogFooter>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={pending}>
            {group ? "Save" : "Create group"}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

function DeleteGroupDialog({ group, onClose }: { group: Group; onClose: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshGroups();
  const agents = useAgents();
  const count = agents.data?.filter((a) => a.groupId === group.id).length ?? 0;
  const [error, setError] = useState<string | null>(null);
  const remove = useMutation(
    trpc.groups.remove.mutationOptions({
      onSuccess: () => {
        refresh();
        toast(count ? `Deleted ${group.name}; its agents are now ungrouped` : `Deleted ${group.name}`);
        onClose();
      },
      onError: (err) => setError(readError(err).message),
    }),
  );
  return (
    <ConfirmDialog
      open
      onClose={onClose}
      title={`Delete ${group.name}?`}
      confirmLabel="Delete group"
      pending={remove.isPending}
      error={error}
      onConfirm={() => remove.mutate({ id: group.id })}
    >
      {count === 0
        ? "The group is empty. Nothing else changes."
        : `Its ${count === 1 ? "agent is" : `${count} agents are`} kept and ${count === 1 ? "becomes" : "become"} ungrouped. No agent, conversation or file is deleted.`}
    </ConfirmDialog>
  );
}
