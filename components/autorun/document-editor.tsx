"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { parseChecklist, setTaskDone, type ChecklistTask } from "@/lib/autorun/checklist";
import { insertCheckbox } from "@/lib/autorun/insert";
import type { RunConfig } from "@/lib/autorun/run-config";
import { TEMPLATE_VARIABLES } from "@/lib/autorun/template";
import { useTRPC } from "@/lib/trpc/client";
import { Spinner } from "../conversation/icons";
import { IconArrowLeft, IconCheck, IconPlus } from "../ui/icons";
import { useToast } from "../ui/toaster";
import { readError } from "../ui/trpc-error";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { FormError } from "../ui/field";
import { ChecklistPreview } from "./checklist-preview";
import { ChecklistProgress } from "./progress-bar";
import { RunButton } from "./run-button";
import { useRunDocuments } from "./run-sheet";

interface Loaded {
  content: string;
  version: string;
}

/**
 * One document: a plain textarea (with "Insert checkbox") and a preview whose boxes tick the
 * file. Saves send the version that was loaded; an edit made elsewhere meanwhile is reported as a
 * conflict with a choice, never overwritten silently. External changes load by themselves while
 * there are no unsaved edits.
 */
export function DocumentEditor({
  agentId,
  path,
  onClose,
  runAs,
}: {
  agentId: string;
  path: string;
  onClose: () => void;
  /** How Run starts this document: its label ("Run again") and the configuration to start from (a finished run's). */
  runAs?: { label: string; base: RunConfig | null };
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const readKey = trpc.documents.read.queryKey({ agentId, path });
  const doc = useQuery(trpc.documents.read.queryOptions({ agentId, path }, { staleTime: 0, retry: false }));
  const [base, setBase] = useState<Loaded | null>(null);
  const [text, setText] = useState("");
  const [mode, setMode] = useState<"preview" | "edit">("preview");
  const [conflict, setConflict] = useState<string | null>(null);
  const [confirmClose, setConfirmClose] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const dirty = base !== null && text !== base.content;
  const runner = useRunDocuments(agentId);

  // Adopt what the bridge has whenever there is nothing of ours to lose.
  useEffect(() => {
    const d = doc.data;
    if (!d || d.version === base?.version) return;
    if (!base || !dirty) {
      setBase({ content: d.content, version: d.version });
      setText(d.content);
      setConflict(null);
    }
  }, [doc.data, base, dirty]);

  const adopt = (d: Loaded) => {
    setBase({ content: d.content, version: d.version });
    setText(d.content);
    setConflict(null);
    queryClient.setQueryData(readKey, (old) => (old ? { ...old, ...d } : old));
    void queryClient.invalidateQueries({ queryKey: trpc.documents.list.queryKey({ agentId }) });
  };
  const onConflict = (err: unknown) => {
    const e = readError(err);
    if (e.code === "CONFLICT") setConflict(e.message);
    else toast(e.message, "bad");
  };

  const save = useMutation(
    trpc.documents.save.mutationOptions({
      onSuccess: (d) => {
        adopt(d);
        toast("Saved");
      },
      onError: onConflict,
    }),
  );
  const tick = useMutation(
    trpc.documents.setTask.mutationOptions({
      onSuccess: adopt,
      onError: (err) => {
        onConflict(err);
        void doc.refetch().then((r) => r.data && adopt(r.data));
      },
    }),
  );

  const checklist = useMemo(() => parseChecklist(text), [text]);
  const diskChanged = dirty && doc.data && base && doc.data.version !== base.version;

  function toggle(task: ChecklistTask, done: boolean) {
    // With unsaved edits the tick joins them; otherwise it goes straight to the file.
    if (dirty || !base) return setText((t) => setTaskDone(t, task, done));
    // Shown at once; the bridge's answer (or, on failure, a reload) replaces it.
    const ticked = setTaskDone(base.content, task, done);
    setBase({ ...base, content: ticked });
    setText(ticked);
    tick.mutate({ agentId, path, index: task.index, done, baseVersion: base.version });
  }

  function insert() {
    const el = area.current;
    const caret = el ? el.selectionStart : text.length;
    const next = insertCheckbox(text, caret);
    setText(next.text);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(next.caret, next.caret);
    });
  }

  async function overwrite() {
    const latest = await doc.refetch();
    if (latest.data) save.mutate({ agentId, path, content: text, baseVersion: latest.data.version });
  }
  function loadTheirs() {
    void doc.refetch().then((r) => r.data && adopt(r.data));
  }

  const name = path.replace(/\.md$/i, "");

  const runProps = {
    name,
    label: runAs?.label ?? "Run",
    onRun: () => void run(false),
    onOptions: () => void run(true),
    pending: runner.pending,
    disabled: checklist.total === 0 || save.isPending,
  };

  /** Run (or its options): unsaved edits are saved first, so the run works on what is on screen. */
  async function run(withOptions: boolean) {
    if (dirty && base) {
      const saved = await save.mutateAsync({ agentId, path, content: text, baseVersion: base.version }).catch(() => null);
      if (!saved) return;
    }
    const request = { paths: [path], base: runAs?.base ?? null };
    if (withOptions) runner.options(request);
    else runner.run(request);
  }

  return (
    <div className="flex min-h-0 flex-col" aria-label={`Document ${name}`} role="region">
      <div className="flex items-center gap-2 pb-3">
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label="Back to documents"
          title="Back to documents"
          onClick={() => (dirty ? setConfirmClose(true) : onClose())}
        >
          <IconArrowLeft className="size-5" />
        </Button>
        <div className="min-w-0 flex-1">
          <h2 className="truncate text-lg font-semibold" title={path}>
            {name}
          </h2>
          {/* Progress and Save only once the file is loaded: no "No tasks yet" for a file that failed to open. */}
          {!base ? (
            <p className="h-5" aria-hidden="true" />
          ) : checklist.total > 0 ? (
            <ChecklistProgress done={checklist.done} total={checklist.total} className="max-w-64" />
          ) : (
            <p className="text-[13px] text-muted">No tasks yet</p>
          )}
        </div>
        {base && (
          <Button
            variant="primary"
            size="sm"
            disabled={!dirty || save.isPending}
            aria-busy={save.isPending || undefined}
            onClick={() => save.mutate({ agentId, path, content: text, baseVersion: base.version })}
          >
            {save.isPending ? <Spinner className="size-4" /> : <IconCheck className="size-4" />}
            Save
          </Button>
        )}
        {base && <RunButton className="max-lg:hidden" {...runProps} />}
      </div>

      {doc.error && !base && (
        <div className="space-y-3">
          <FormError hint={readError(doc.error).hint}>{readError(doc.error).message}</FormError>
          <Button size="sm" onClick={onClose}>
            Show the documents
          </Button>
        </div>
      )}
      {doc.isPending && (
        <p className="flex items-center gap-2 py-6 text-sm text-muted">
          <Spinner className="size-4" /> Opening…
        </p>
      )}

      {conflict && (
        <div role="alert" className="mb-3 rounded-xl border border-bad/40 bg-bad/10 px-3.5 py-3 text-sm">
          <p className="font-medium">{conflict}</p>
          <div className="mt-2 flex flex-wrap gap-2">
            <Button size="sm" onClick={loadTheirs}>
              Load the new version
            </Button>
            <Button size="sm" variant="danger-ghost" onClick={() => void overwrite()}>
              Overwrite with mine
            </Button>
          </div>
        </div>
      )}
      {!conflict && diskChanged && (
        <div
          role="status"
          className="mb-3 flex flex-wrap items-center gap-2 rounded-xl border border-busy/40 bg-busy/10 px-3.5 py-2.5 text-sm"
        >
          <span className="min-w-0 flex-1">This document changed on disk while you were editing.</span>
          <Button size="sm" onClick={loadTheirs}>
            Load it
          </Button>
        </div>
      )}

      {base && (
        <>
          <div className="mb-2 flex items-center gap-2">
            <div role="group" aria-label="View" className="inline-flex rounded-xl border border-border bg-surface p-0.5">
              {(["preview", "edit"] as const).map((m) => (
                <button
                  key={m}
                  type="button"
                  aria-pressed={mode === m}
                  onClick={() => setMode(m)}
                  className={cn(
                    "min-h-11 rounded-lg px-3.5 text-sm font-medium lg:min-h-8",
                    mode === m ? "bg-surface-2 text-text" : "text-muted hover:text-text",
                  )}
                >
                  {m === "preview" ? "Preview" : "Edit"}
                </button>
              ))}
            </div>
            {mode === "edit" && (
              <Button size="sm" onClick={insert}>
                <IconPlus className="size-4" />
                Insert checkbox
              </Button>
            )}
            {dirty && <span className="ml-auto text-[13px] text-busy">Unsaved</span>}
          </div>
          {mode === "edit" ? (
            <>
              <textarea
                ref={area}
                aria-label="Document text"
                value={text}
                onChange={(e) => setText(e.target.value)}
                onKeyDown={(e) => {
                  if ((e.metaKey || e.ctrlKey) && e.key === "s") {
                    e.preventDefault();
                    if (dirty && base) save.mutate({ agentId, path, content: text, baseVersion: base.version });
                  }
                }}
                spellCheck={false}
                autoCapitalize="off"
                className="min-h-[50vh] w-full resize-y rounded-xl border border-border bg-bg p-3 font-mono text-[16px] leading-6 lg:text-[14px]"
              />
              <p className="mt-2 text-xs leading-relaxed text-muted">
                Tasks: “- [ ] text” (nested by indenting). Stop a run with {"<!-- maestro:halt: reason -->"}. Variables:{" "}
                {TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(" ")}
              </p>
            </>
          ) : (
            <div className="rounded-xl border border-border bg-surface px-4 py-2">
              {text.trim() ? (
                <ChecklistPreview markdown={text} onToggle={toggle} disabled={tick.isPending} />
              ) : (
                <p className="py-4 text-sm text-muted">Empty. Switch to Edit to write tasks.</p>
              )}
            </div>
          )}
        </>
      )}

      {base && (
        // On a phone Run sits at the bottom, under the thumb, with the progress it will move.
        <div className="sticky bottom-[calc(4.75rem+env(safe-area-inset-bottom))] z-10 mt-3 flex items-center gap-3 rounded-2xl border border-border bg-surface px-3 py-2 shadow-lg lg:hidden">
          <span className="min-w-0 flex-1 text-[15px] text-muted tabular-nums">
            {checklist.total > 0 ? `${checklist.total - checklist.done} of ${checklist.total} tasks to do` : "No tasks to run"}
          </span>
          <RunButton {...runProps} />
        </div>
      )}
      {runner.sheet}
      <ConfirmDialog
        open={confirmClose}
        onClose={() => setConfirmClose(false)}
        title="Discard unsaved changes?"
        confirmLabel="Discard"
        onConfirm={onClose}
      >
        Your edits to “{name}” have not been saved.
      </ConfirmDialog>
    </div>
  );
}
