"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { checkDocumentPath, formatBytes, starterDocument } from "@/lib/autorun/documents";
import { useTRPC } from "@/lib/trpc/client";
import { Spinner } from "../conversation/icons";
import { IconMore, IconPencil, IconPlaybook, IconPlus, IconTrash } from "../ui/icons";
import { readError } from "../ui/trpc-error";
import type { RouterOutputs } from "../ui/trpc-types";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { FieldError, FormError, Hint, Input, Label } from "../ui/field";
import { MenuButton } from "../ui/menu";
import { relativeTime } from "../ui/relative-time";
import { ChecklistProgress } from "./progress-bar";
import { useDocumentList } from "./use-documents";

export type DocumentSummary = RouterOutputs["documents"]["list"]["documents"][number];

/**
 * An agent's Auto Run documents with their progress; create, rename, delete. The runner's copies
 * (`runs/`) are folded away below: they are its working files, not the user's.
 */
export function DocumentList({
  agentId,
  selected,
  onOpen,
}: {
  agentId: string;
  selected: string | null;
  onOpen: (path: string | null) => void;
}) {
  const list = useDocumentList(agentId);
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);

  return (
    <div>
      <div className="mb-3 flex items-center gap-3">
        <div className="min-w-0 flex-1">
          <h2 className="text-lg font-semibold">Documents</h2>
          {list.data && (
            <p className="truncate font-mono text-[12.5px] text-muted" title={list.data.folder}>
              {list.data.folder}/
            </p>
          )}
        </div>
        <Button variant="primary" size="sm" onClick={() => setCreating(true)}>
          <IconPlus className="size-4" />
          New document
        </Button>
      </div>

      {list.isPending && (
        <p className="flex items-center gap-2 py-6 text-sm text-muted">
          <Spinner className="size-4" /> Loading documents…
        </p>
      )}
      {list.error && <FormError hint={readError(list.error).hint}>{readError(list.error).message}</FormError>}
      {list.data && list.data.documents.length === 0 && (
        <div className="rounded-2xl border border-dashed border-border px-4 py-8 text-center">
          <IconPlaybook className="mx-auto size-7 text-muted" />
          <p className="mt-2 font-medium">No documents yet</p>
          <p className="mt-1 text-sm text-muted">A document is a markdown checklist: one “- [ ]” line per task.</p>
          <Button className="mt-4" onClick={() => setCreating(true)}>
            <IconPlus className="size-4" /> Create the first one
          </Button>
        </div>
      )}
      {list.data && list.data.documents.length > 0 && (
        <ul aria-label="Documents" className="divide-y divide-border overflow-hidden rounded-2xl border border-border bg-surface">
          {list.data.documents.map((d) => (
            <DocumentRow
              key={d.path}
              doc={d}
              active={d.path === selected}
              onOpen={() => onOpen(d.path)}
              onRename={() => setRenaming(d.path)}
              onDelete={() => setDeleting(d.path)}
            />
          ))}
        </ul>
      )}
      {list.data && list.data.runs.length > 0 && (
        <details className="mt-4 text-sm">
          <summary className="min-h-11 cursor-pointer py-2 text-muted">Run copies ({list.data.runs.length})</summary>
          <ul className="divide-y divide-border rounded-2xl border border-border bg-surface">
            {list.data.runs.map((d) => (
              <DocumentRow
                key={d.path}
                doc={d}
                active={d.path === selected}
                onOpen={() => onOpen(d.path)}
                onRename={() => setRenaming(d.path)}
                onDelete={() => setDeleting(d.path)}
              />
            ))}
          </ul>
        </details>
      )}

      <NameDialog agentId={agentId} open={creating} onClose={() => setCreating(false)} onDone={(p) => onOpen(p)} />
      <NameDialog
        agentId={agentId}
        open={!!renaming}
        from={renaming}
        onClose={() => setRenaming(null)}
        onDone={(p) => renaming === selected && onOpen(p)}
      />
      <DeleteDialog agentId={agentId} path={deleting} onClose={() => setDeleting(null)} onDone={(p) => p === selected && onOpen(null)} />
    </div>
  );
}

function DocumentRow({
  doc,
  active,
  onOpen,
  onRename,
  onDelete,
}: {
  doc: DocumentSummary;
  active: boolean;
  onOpen: () => void;
  onRename: () => void;
  onDelete: () => void;
}) {
  const name = doc.path.replace(/\.md$/i, "");
  return (
    <li className={cn("flex items-center gap-1 pr-1", active && "bg-accent/10")} data-testid="document-row" data-path={doc.path}>
      <button
        type="button"
        onClick={onOpen}
        aria-current={active || undefined}
        className="min-w-0 flex-1 px-4 py-3 text-left hover:bg-surface-2/60"
      >
        <span className="flex items-baseline gap-2">
          <span className="min-w-0 flex-1 truncate font-medium">{name}</span>
          {doc.halted && <span className="shrink-0 rounded-md bg-busy/15 px-1.5 text-xs font-medium text-busy">Halted</span>}
        </span>
        {doc.total === null ? (
          <span className="mt-1 block text-[13px] text-bad">Too large to open ({formatBytes(doc.size)})</span>
        ) : doc.total === 0 ? (
          <span className="mt-1 block text-[13px] text-muted">No tasks yet</span>
        ) : (
          <ChecklistProgress done={doc.done ?? 0} total={doc.total} className="mt-1.5" />
        )}
        <span className="mt-0.5 block text-xs text-muted">
          {formatBytes(doc.size)} · edited {relativeTime(doc.mtimeMs)}
        </span>
      </button>
      <MenuButton
        label={`Actions for ${name}`}
        className="inline-flex size-11 shrink-0 items-center justify-center rounded-xl text-muted hover:bg-surface-2 hover:text-text"
        items={[
          { label: "Rename", icon: <IconPencil className="size-4" />, onSelect: onRename },
          { label: "Delete", icon: <IconTrash className="size-4" />, destructive: true, onSelect: onDelete },
        ]}
      >
        <IconMore className="size-5" />
      </MenuButton>
    </li>
  );
}

/** New document (no `from`) or rename (`from` set): one name field, checked here and again on the bridge. */
function NameDialog({
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

function DeleteDialog({
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
