"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { MEMORY_KINDS, type MemoryKind, type MemoryView } from "@/lib/missions/types";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { FormError, inputClass, Select } from "../ui/field";
import { IconPencil, IconTrash } from "../ui/icons";
import { readError } from "../ui/trpc-error";

const KIND_LABEL: Record<MemoryKind, string> = { correction: "Correction", learning: "Learning" };

function MemoryRow({ m, onSaved, onRemove }: { m: MemoryView; onSaved: () => void; onRemove: () => void }) {
  const trpc = useTRPC();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(m.text);
  const update = useMutation(
    trpc.memory.update.mutationOptions({
      onSuccess: () => {
        setEditing(false);
        onSaved();
      },
    }),
  );
  return (
    <li className="rounded-xl border border-border bg-surface p-3">
      <div className="flex items-center gap-1">
        <span
          className={cn(
            "mr-auto shrink-0 rounded-full px-2 text-xs leading-5 font-semibold",
            m.kind === "correction" ? "bg-bad/10 text-bad" : "bg-accent/12 text-accent",
          )}
        >
          {KIND_LABEL[m.kind]}
        </span>
        {!editing && (
          <>
            <Button size="icon-sm" variant="ghost" aria-label="Edit" title="Edit" onClick={() => setEditing(true)}>
              <IconPencil className="size-4" />
            </Button>
            <Button size="icon-sm" variant="danger-ghost" aria-label="Remove" title="Remove" onClick={onRemove}>
              <IconTrash className="size-4" />
            </Button>
          </>
        )}
      </div>
      {editing ? (
        <form
          className="mt-2 space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            update.mutate({ id: m.id, text });
          }}
        >
          <textarea
            aria-label="Edit the text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={3}
            className={cn(inputClass, "py-2")}
          />
          {update.error && <FormError>{readError(update.error).message}</FormError>}
          <div className="flex gap-2">
            <Button size="sm" type="submit" variant="primary" disabled={!text.trim() || update.isPending}>
              Save
            </Button>
            <Button size="sm" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <p className="mt-1.5 text-[15px] leading-snug whitespace-pre-wrap">{m.text}</p>
      )}
    </li>
  );
}

/** The project's memory: corrections and learnings every worker is given, editable, and the guidance they compile to. */
export function MemoryPanel({ agentId }: { agentId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.memory.list.queryOptions({ agentId }));
  const [guidanceOpen, setGuidanceOpen] = useState(false);
  const guidance = useQuery(trpc.memory.compile.queryOptions({ agentId }, { enabled: guidanceOpen }));
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.memory.list.queryFilter({ agentId }));
    void queryClient.invalidateQueries(trpc.memory.compile.queryFilter({ agentId }));
  };
  const [kind, setKind] = useState<MemoryKind>("correction");
  const [text, setText] = useState("");
  const add = useMutation(
    trpc.memory.add.mutationOptions({
      onSuccess: () => {
        setText("");
        refresh();
      },
    }),
  );
  const [removing, setRemoving] = useState<MemoryView | null>(null);
  const remove = useMutation(
    trpc.memory.remove.mutationOptions({
      onSuccess: () => {
        setRemoving(null);
        refresh();
      },
    }),
  );
  const items = list.data ?? [];
  return (
    <div className="space-y-3">
      <form
        aria-label="Add to memory"
        className="space-y-2 rounded-xl border border-border bg-surface p-3"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate({ agentId, kind, text });
        }}
      >
        <div className="flex gap-2">
          <div className="w-40 shrink-0">
            <Select aria-label="Kind" value={kind} onChange={(e) => setKind(e.target.value as MemoryKind)}>
              {MEMORY_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABEL[k]}
                </option>
              ))}
            </Select>
          </div>
          <Button type="submit" variant="primary" className="ml-auto" disabled={!text.trim() || add.isPending}>
            Add
          </Button>
        </div>
        <textarea
          aria-label="Correction or learning"
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={2}
          placeholder={kind === "correction" ? "Never edit generated/ by hand: run npm run gen" : "The API tests need PORT=0"}
          className={cn(inputClass, "py-2")}
        />
        {add.error && <FormError hint={readError(add.error).hint}>{readError(add.error).message}</FormError>}
      </form>
      {list.error && <FormError>{readError(list.error).message}</FormError>}
      {list.data && items.length === 0 && (
        <p className="py-4 text-center text-[15px] text-muted">
          Nothing learnt yet. What you add here goes into every worker&apos;s prompt.
        </p>
      )}
      <ul aria-label="Memory" className="space-y-2">
        {items.map((m) => (
          <MemoryRow key={m.id} m={m} onSaved={refresh} onRemove={() => setRemoving(m)} />
        ))}
      </ul>
      <details className="rounded-xl border border-border" onToggle={(e) => setGuidanceOpen(e.currentTarget.open)}>
        <summary className="flex min-h-11 cursor-pointer items-center px-3.5 text-sm font-medium">
          Compiled guidance (what workers read)
        </summary>
        <pre className="max-h-72 overflow-auto border-t border-border p-3 text-[13px] leading-5 whitespace-pre-wrap">
          {guidance.data?.guidance || (guidance.isPending ? "Loading…" : "Empty.")}
        </pre>
      </details>
      <ConfirmDialog
        open={!!removing}
        onClose={() => setRemoving(null)}
        title="Remove from memory?"
        confirmLabel="Remove"
        onConfirm={() => removing && remove.mutate({ id: removing.id })}
        pending={remove.isPending}
        error={remove.error ? readError(remove.error).message : null}
      >
        Workers will no longer be told: “{removing?.text}”
      </ConfirmDialog>
    </div>
  );
}
