"use client";

import { useState } from "react";
import { formatBytes } from "@/lib/autorun/documents";
import { toggleSelected } from "@/lib/autorun/direct-run";
import { Spinner } from "../conversation/icons";
import { IconMore, IconPencil, IconPlaybook, IconPlus, IconTrash } from "../ui/icons";
import { readError } from "../ui/trpc-error";
import type { RouterOutputs } from "../ui/trpc-types";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { FormError } from "../ui/field";
import { MenuButton } from "../ui/menu";
import { relativeTime } from "../ui/relative-time";
import { DeleteDialog, NameDialog } from "./document-dialogs";
import { ChecklistProgress } from "./progress-bar";
import { RunButton } from "./run-button";
import { useRunDocuments } from "./run-sheet";
import { useDocumentList } from "./use-documents";

export type DocumentSummary = RouterOutputs["documents"]["list"]["documents"][number];

/**
 * An agent's Auto Run documents with their progress; create, rename, delete, and Run (one
 * document now, or several picked in Select mode, in the order picked). The runner's copies
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
  const runner = useRunDocuments(agentId);
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  /** Select mode: the documents picked, in the order they will run (null: not selecting). */
  const [picked, setPicked] = useState<string[] | null>(null);

  const row = (d: DocumentSummary) => (
    <DocumentRow
      key={d.path}
      doc={d}
      active={d.path === selected}
      order={picked ? picked.indexOf(d.path) + 1 : null}
      onOpen={() => (picked ? setPicked(toggleSelected(picked, d.path)) : onOpen(d.path))}
      onRun={() => runner.run({ paths: [d.path] })}
      onOptions={() => runner.options({ paths: [d.path] })}
      starting={runner.starting === d.path}
      busy={runner.pending}
      onRename={() => setRenaming(d.path)}
      onDelete={() => setDeleting(d.path)}
    />
  );

  return (
    <div>
      <div className="mb-3 flex items-center gap-2">
        <div className="min-w-0 flex-1">
          <h2 className="text-lg font-semibold">Documents</h2>
          {list.data && (
            <p className="truncate font-mono text-[12.5px] text-muted" title={list.data.folder}>
              {list.data.folder}/
            </p>
          )}
        </div>
        {list.data && list.data.documents.length + list.data.runs.length > 1 && (
          <Button variant="ghost" size="sm" aria-pressed={picked !== null} onClick={() => setPicked(picked ? null : [])}>
            {picked ? "Done" : "Select"}
          </Button>
        )}
        {!picked && (
          <Button variant="primary" size="sm" onClick={() => setCreating(true)}>
            <IconPlus className="size-4" />
            New document
          </Button>
        )}
      </div>
      {picked && <p className="mb-2 text-sm text-muted">Tap documents in the order they should run.</p>}

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
          {list.data.documents.map(row)}
        </ul>
      )}
      {list.data && list.data.runs.length > 0 && (
        <details className="mt-4 text-sm">
          <summary className="min-h-11 cursor-pointer py-2 text-muted">Run copies ({list.data.runs.length})</summary>
          <ul aria-label="Run copies" className="divide-y divide-border rounded-2xl border border-border bg-surface">
            {list.data.runs.map(row)}
          </ul>
        </details>
      )}

      {picked && (
        <div
          role="region"
          aria-label="Selected documents"
          className="sticky bottom-[calc(4.75rem+env(safe-area-inset-bottom))] z-10 mt-3 flex items-center gap-2 rounded-2xl border border-border bg-surface px-3 py-2 shadow-lg lg:bottom-4"
        >
          <span className="min-w-0 flex-1 text-[15px] font-medium">
            {picked.length === 0 ? "None selected" : `${picked.length} selected`}
          </span>
          <RunButton
            name={picked.length === 1 ? picked[0]!.replace(/\.md$/i, "") : `${picked.length} documents`}
            disabled={picked.length === 0}
            pending={runner.pending}
            onRun={() => runner.run({ paths: picked })}
            onOptions={() => runner.options({ paths: picked })}
          />
        </div>
      )}

      {runner.sheet}
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
  order,
  onOpen,
  onRun,
  onOptions,
  starting,
  busy,
  onRename,
  onDelete,
}: {
  doc: DocumentSummary;
  active: boolean;
  /** Select mode: the place in the run order (0: not picked); null outside Select mode. */
  order: number | null;
  onOpen: () => void;
  onRun: () => void;
  onOptions: () => void;
  /** This document's run is being started. */
  starting: boolean;
  /** Some run is being started (no second one meanwhile). */
  busy: boolean;
  onRename: () => void;
  onDelete: () => void;
}) {
  const name = doc.path.replace(/\.md$/i, "");
  const selecting = order !== null;
  const runnable = doc.total !== null && doc.total > 0;
  return (
    <li
      className={cn("flex items-center gap-1 pr-1", active && !selecting && "bg-accent/10")}
      data-testid="document-row"
      data-path={doc.path}
    >
      <button
        type="button"
        onClick={onOpen}
        aria-current={(active && !selecting) || undefined}
        role={selecting ? "checkbox" : undefined}
        aria-checked={selecting ? order > 0 : undefined}
        aria-label={selecting ? `Select ${name}` : undefined}
        className="flex min-w-0 flex-1 items-center gap-3 px-4 py-3 text-left hover:bg-surface-2/60"
      >
        {selecting && (
          <span
            aria-hidden="true"
            className={cn(
              "flex size-7 shrink-0 items-center justify-center rounded-full border-2 text-sm font-semibold tabular-nums",
              order > 0 ? "border-accent bg-accent text-accent-fg" : "border-border",
            )}
          >
            {order > 0 ? order : ""}
          </span>
        )}
        <span className="min-w-0 flex-1">
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
        </span>
      </button>
      {!selecting && (
        <>
          <RunButton name={name} variant="secondary" onRun={onRun} onOptions={onOptions} pending={starting} disabled={!runnable || busy} />
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
        </>
      )}
    </li>
  );
}
