"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import { documentHref } from "@/lib/autorun/direct-run";
import { checkDocumentPath } from "@/lib/autorun/documents";
import type { ReplyChecklist } from "@/lib/autorun/from-reply";
import { useTRPC } from "@/lib/trpc/client";
import { ChecklistPreview } from "../autorun/checklist-preview";
import { useRunDocuments } from "../autorun/run-sheet";
import { IconPlay } from "../autorun/run-icons";
import { IconCheck } from "../ui/icons";
import { readError } from "../ui/trpc-error";
import { Button, buttonClass } from "../ui/button";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { FieldError, FormError, Hint, Input, Label } from "../ui/field";
import { Spinner } from "./icons";

/**
 * "Save as Auto Run document" for a reply holding a checklist: a name (a new one, or an existing
 * document picked from the list), the tasks that will be saved, then Run now or Open. A name
 * that is taken is only replaced after an explicit confirmation.
 */
export function SaveChecklistDialog({
  agentId,
  checklist,
  suggested,
  open,
  onClose,
}: {
  agentId: string;
  checklist: ReplyChecklist;
  suggested: string;
  open: boolean;
  onClose: () => void;
}) {
  const runner = useRunDocuments(agentId);
  return (
    <>
      <Dialog open={open} onClose={onClose} title="Save as Auto Run document" variant="sheet" size="md">
        <SaveForm agentId={agentId} checklist={checklist} suggested={suggested} onClose={onClose} runner={runner} />
      </Dialog>
      {runner.sheet}
    </>
  );
}

function SaveForm({
  agentId,
  checklist,
  suggested,
  onClose,
  runner,
}: {
  agentId: string;
  checklist: ReplyChecklist;
  suggested: string;
  onClose: () => void;
  runner: ReturnType<typeof useRunDocuments>;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const listId = useId();
  const documents = useQuery(trpc.documents.list.queryOptions({ agentId }));
  const [name, setName] = useState(suggested);
  const [error, setError] = useState<string | null>(null);
  /** The name is taken: asking before replacing it. */
  const [replacing, setReplacing] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ path: string; replaced: boolean } | null>(null);
  const save = useMutation(
    trpc.documents.saveAs.mutationOptions({
      onSuccess: (d) => {
        void queryClient.invalidateQueries({ queryKey: trpc.documents.list.queryKey({ agentId }) });
        setReplacing(null);
        setSaved({ path: d.path, replaced: d.replaced });
      },
      onError: (err, input) => {
        const e = readError(err);
        if (e.code === "CONFLICT" && !input.overwrite) setReplacing(input.path);
        else setError(e.message);
      },
    }),
  );
  const count = checklist.tasks.length;

  function submit(e: FormEvent) {
    e.preventDefault();
    const check = checkDocumentPath(name);
    if (!check.ok) return setError(check.message);
    setError(null);
    save.mutate({ agentId, path: check.path, content: checklist.markdown });
  }

  if (saved) {
    const docName = saved.path.replace(/\.md$/i, "");
    return (
      <>
        <DialogBody>
          <p role="status" className="flex items-start gap-2 text-[15px]">
            <IconCheck className="mt-0.5 size-5 shrink-0 text-ok" />
            <span>
              {saved.replaced ? "Replaced" : "Saved"} <span className="font-medium">{saved.path}</span> in the Auto Run folder, with {count}{" "}
              task{count === 1 ? "" : "s"}.
            </span>
          </p>
        </DialogBody>
        <DialogFooter>
          <Link href={documentHref(agentId, saved.path)} className={buttonClass("secondary", "md")} aria-label={`Open ${docName}`}>
            Open
          </Link>
          <Button
            variant="primary"
            onClick={() => runner.run({ paths: [saved.path] })}
            disabled={runner.pending}
            aria-busy={runner.pending || undefined}
          >
            {runner.pending ? <Spinner className="size-4" /> : <IconPlay />}
            Run now
          </Button>
        </DialogFooter>
      </>
    );
  }

  if (replacing) {
    return (
      <>
        <DialogBody className="space-y-2 text-[15px] leading-relaxed">
          <p className="font-medium">“{replacing}” already exists.</p>
          <p className="text-muted">
            Replace it with these {count} task{count === 1 ? "" : "s"}? What it holds now is lost.
          </p>
          {error && <FormError>{error}</FormError>}
        </DialogBody>
        <DialogFooter>
          <Button data-autofocus onClick={() => setReplacing(null)}>
            Keep it, pick another name
          </Button>
          <Button
            variant="danger"
            onClick={() => save.mutate({ agentId, path: replacing, content: checklist.markdown, overwrite: true })}
            disabled={save.isPending}
            aria-busy={save.isPending || undefined}
          >
            Replace
          </Button>
        </DialogFooter>
      </>
    );
  }

  return (
    <form onSubmit={submit} noValidate className="flex min-h-0 flex-1 flex-col">
      <DialogBody className="space-y-4">
        <div>
          <Label htmlFor={id}>Document</Label>
          <Input
            id={id}
            list={listId}
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setError(null);
            }}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            aria-invalid={!!error || undefined}
            aria-describedby={`${id}-hint ${error ? `${id}-error` : ""}`}
          />
          <datalist id={listId}>
            {documents.data?.documents.map((d) => (
              <option key={d.path} value={d.path} />
            ))}
          </datalist>
          <Hint id={`${id}-hint`}>A new name (saved as .md), or an existing document to replace.</Hint>
          <FieldError id={`${id}-error`}>{error}</FieldError>
        </div>
        <section aria-label="Tasks found">
          <h3 className="mb-1 text-sm font-medium" data-testid="found-count">
            {count} task{count === 1 ? "" : "s"} found
          </h3>
          <div className="max-h-72 overflow-y-auto rounded-xl border border-border bg-bg px-3 py-1">
            <ChecklistPreview markdown={checklist.markdown} />
          </div>
        </section>
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={save.isPending} aria-busy={save.isPending || undefined}>
          {save.isPending && <Spinner className="size-4" />}
          Save
        </Button>
      </DialogFooter>
    </form>
  );
}
