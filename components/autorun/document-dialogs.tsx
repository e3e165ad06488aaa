"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { checkDocumentPath, starterDocument } from "@/lib/autorun/documents";
import { useTRPC } from "@/lib/trpc/client";
import { Spinner } from "../conversation/icons";
import { readError } from "../ui/trpc-error";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { FieldError, Hint, Input, Label } from "../ui/field";

/** New document (no `from`) or rename (`from` set): one name field, checked here and again on the bridge. */
export function NameDialog({
  agentId,
  open,
  from,
  onClose,
  onDone,
}: {
  agentId: string;
  open: boolean;
  from?: string | null;
  onClose: () => void;
  onDone: (path: string) => void;
}) {
  return (
    <Dialog open={open} onClose={onClose} title={from ? "Rename document" : "New document"} variant="sheet" size="sm">
      <NameForm key={from ?? "new"} agentId={agentId} from={from ?? null} onClose={onClose} onDone={onDone} />
    </Dialog>
  );
}

function NameForm({
  agentId,
  from,
  onClose,
  onDone,
}: {
  agentId: string;
  from: string | null;
  onClose: () => void;
  onDone: (path: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [name, setName] = useState(from ? from.replace(/\.md$/i, "") : "");
  const [error, setError] = useState<string | null>(null);
  const done = (path: string) => {
    void queryClient.invalidateQueries({ queryKey: trpc.documents.list.queryKey({ agentId }) });
    onDone(path);
    onClose();
  };
  const onError = (err: unknown) => setError(readError(err).message);
  const create = useMutation(trpc.documents.create.mutationOptions({ onSuccess: (d) => done(d.path), onError }));
  const rename = useMutation(trpc.documents.rename.mutationOptions({ onSuccess: (d) => done(d.path), onError }));
  const pending = create.isPending || rename.isPending;

  function submit(e: FormEvent) {
    e.preventDefault();
    const check = checkDocumentPath(name);
    if (!check.ok) return setError(check.message);
    setError(null);
    if (from) rename.mutate({ agentId, from, to: check.path });
    else
      create.mutate({
        agentId,
        path: check.path,
        content: starterDocument(check.path.replace(/\.md$/i, "").split("/").pop() ?? "Checklist"),
      });
  }

  return (
    <form onSubmit={submit} noValidate>
      <DialogBody>
        <Label htmlFor={id}>Name</Label>
        <Input
          id={id}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
          placeholder="release-checklist"
          autoFocus
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          aria-invalid={!!error || undefined}
          aria-describedby={`${id}-hint ${error ? `${id}-error` : ""}`}
        />
        <Hint id={`${id}-hint`}>Saved as a .md file; use “/” for a subfolder.</Hint>
        <FieldError id={`${id}-error`}>{error}</FieldError>
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={pending} aria-busy={pending || undefined}>
          {pending && <Spinner className="size-4" />}
          {from ? "Rename" : "Create"}
        </Button>
      </DialogFooter>
    </form>
  );
}

export function DeleteDialog({
  agentId,
  path,
  onClose,
  onDone,
}: {
  agentId: string;
  path: string | null;
  onClose: () => void;
  onDone: (path: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.documents.remove.mutationOptions({
      onSuccess: (r) => {
        void queryClient.invalidateQueries({ queryKey: trpc.documents.list.queryKey({ agentId }) });
        onDone(r.path);
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog
      open={!!path}
      onClose={() => {
        remove.reset();
        onClose();
      }}
      title={`Delete “${path?.replace(/\.md$/i, "")}”?`}
      confirmLabel="Delete"
      onConfirm={() => path && remove.mutate({ agentId, path })}
      pending={remove.isPending}
      error={remove.error ? readError(remove.error).message : null}
    >
      The file is removed from the Auto Run folder. This cannot be undone.
    </ConfirmDialog>
  );
}
