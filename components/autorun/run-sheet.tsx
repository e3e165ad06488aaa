"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { directRunConfig, moveItem } from "@/lib/autorun/direct-run";
import type { RunConfig } from "@/lib/autorun/run-config";
import { useTRPC } from "@/lib/trpc/client";
import { Spinner } from "../conversation/icons";
import { IconArrowUp, IconChevronDown } from "../ui/icons";
import { useToast } from "../ui/toaster";
import { readError } from "../ui/trpc-error";
import { Button } from "../ui/button";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { FormError, Input, Label } from "../ui/field";
import { IconPlay } from "./run-icons";
import { ResetOnCompletion, RunOptionsFields } from "./run-options";
import { useDocumentList } from "./use-documents";

/** What is about to run: documents in order, and the configuration to start from (a finished run's, or none for the defaults). */
export interface RunRequest {
  paths: string[];
  base?: RunConfig | null;
}

const docName = (p: string) => p.replace(/\.md$/i, "");

/**
 * Runs documents of an agent straight away, no playbook needed: `run` starts at once with the
 * defaults (or `base`), `options` opens the Run sheet first. A document with a halt marker opens
 * the sheet instead, where the marker shows with Clear halt. Starting goes to the run's page.
 */
export function useRunDocuments(agentId: string) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const list = useDocumentList(agentId);
  const [sheet, setSheet] = useState<(RunRequest & { error?: string }) | null>(null);
  const start = useMutation(trpc.autorun.start.mutationOptions({ onSuccess: (r) => router.push(`/autorun/runs/${r.id}`) }));
  const halted = (paths: string[]) => {
    const all = [...(list.data?.documents ?? []), ...(list.data?.runs ?? [])];
    return paths.some((p) => all.find((d) => d.path === p)?.halted);
  };

  function launch(config: RunConfig, request: RunRequest, fromSheet: boolean) {
    start.mutate(
      { agentId, config },
      {
        onSuccess: () => setSheet(null),
        onError: (err) => {
          const e = readError(err);
          // A halt marker (the list may not have shown it yet): the sheet shows it with Clear halt.
          if (e.fieldErrors.halt || fromSheet) setSheet({ ...request, error: e.message });
          else toast(e.message, "bad");
        },
      },
    );
  }

  return {
    pending: start.isPending,
    /** The documents of the run being started, joined by newlines (to show which Run is busy). */
    starting: start.isPending ? (start.variables?.config.documents.map((d) => d.filename).join("\n") ?? null) : null,
    run(request: RunRequest) {
      if (halted(request.paths)) return setSheet(request);
      launch(directRunConfig(request.paths, request.base), request, false);
    },
    options: (request: RunRequest) => setSheet(request),
    sheet: (
      <RunSheet
        key={sheet ? sheet.paths.join("\n") : "closed"}
        agentId={agentId}
        request={sheet}
        onClose={() => {
          start.reset();
          setSheet(null);
        }}
        onRun={(config) => sheet && launch(config, sheet, true)}
        pending={start.isPending}
      />
    ),
  };
}

/** The Run sheet: the documents in order (reset flags, halt markers), the run options, Run, and Save as playbook. */
function RunSheet({
  agentId,
  request,
  onClose,
  onRun,
  pending,
}: {
  agentId: string;
  request: (RunRequest & { error?: string }) | null;
  onClose: () => void;
  onRun: (config: RunConfig) => void;
  pending: boolean;
}) {
  const count = request?.paths.length ?? 0;
  const title = count === 1 ? `Run ${docName(request!.paths[0]!)}` : `Run ${count} documents`;
  return (
    <Dialog open={!!request} onClose={onClose} title={title} variant="sheet" size="md">
      {request && <RunForm agentId={agentId} request={request} onClose={onClose} onRun={onRun} pending={pending} />}
    </Dialog>
  );
}

function RunForm({
  agentId,
  request,
  onClose,
  onRun,
  pending,
}: {
  agentId: string;
  request: RunRequest & { error?: string };
  onClose: () => void;
  onRun: (config: RunConfig) => void;
  pending: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useDocumentList(agentId);
  const [config, setConfig] = useState<RunConfig>(() => directRunConfig(request.paths, request.base));
  const set = (patch: Partial<RunConfig>) => setConfig((c) => ({ ...c, ...patch }));
  const all = [...(list.data?.documents ?? []), ...(list.data?.runs ?? [])];
  const haltOf = (p: string) => all.find((d) => d.path === p)?.halted ?? false;
  const anyHalted = config.documents.some((d) => haltOf(d.filename));
  const clear = useMutation(
    trpc.autorun.clearHalt.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.documents.list.queryKey({ agentId }) }),
    }),
  );
  const many = config.documents.length > 1;

  function submit(e: FormEvent) {
    e.preventDefault();
    onRun(config);
  }

  return (
    <form onSubmit={submit} className="flex min-h-0 flex-1 flex-col">
      <DialogBody className="space-y-5">
        <section aria-label="Documents to run">
          <h3 className="mb-1.5 text-sm font-medium">{many ? "Documents, in this order" : "Document"}</h3>
          <ol className="space-y-2">
            {config.documents.map((d, i) => {
              const name = docName(d.filename);
              return (
                <li key={d.filename} className="rounded-xl border border-border p-2" aria-label={name}>
                  <div className="flex min-h-11 items-center gap-1.5">
                    {many && <span className="w-6 shrink-0 text-center text-sm font-semibold text-muted tabular-nums">{i + 1}</span>}
                    <span className="min-w-0 flex-1 truncate px-1 font-medium" title={d.filename}>
                      {name}
                    </span>
                    {many && (
                      <>
                        <Button
                          size="icon-sm"
                          variant="ghost"
                          aria-label={`Move ${name} up`}
                          disabled={i === 0}
                          onClick={() => set({ documents: moveItem(config.documents, i, -1) })}
                        >
                          <IconArrowUp />
                        </Button>
                        <Button
                          size="icon-sm"
                          variant="ghost"
                          aria-label={`Move ${name} down`}
                          disabled={i === config.documents.length - 1}
                          onClick={() => set({ documents: moveItem(config.documents, i, 1) })}
                        >
                          <IconChevronDown />
                        </Button>
                      </>
                    )}
                  </div>
                  {haltOf(d.filename) && (
                    <HaltNotice
                      name={name}
                      pending={clear.isPending}
                      onClear={() => clear.mutate({ agentId, filename: d.filename })}
                      error={clear.error ? readError(clear.error).message : null}
                    />
                  )}
                  <ResetOnCompletion
                    checked={d.resetOnCompletion}
                    label={many ? `Reset ${name} on completion` : undefined}
                    onChange={(v) => set({ documents: config.documents.map((x, j) => (j === i ? { ...x, resetOnCompletion: v } : x)) })}
                  />
                </li>
              );
            })}
          </ol>
        </section>
        <RunOptionsFields
          value={config}
          onChange={set}
          worktree={{
            agentId,
            // The name a direct run gets (its documents), as the runner names it.
            playbookName: config.documents.map((d) => d.filename).join(", "),
            documentName: config.documents[0]?.filename ?? "",
          }}
        />
        <SaveAsPlaybook agentId={agentId} config={config} />
        {request.error && !anyHalted && <FormError>{request.error}</FormError>}
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={pending || anyHalted} aria-busy={pending || undefined}>
          {pending ? <Spinner className="size-4" /> : <IconPlay />}
          {many ? `Run ${config.documents.length} documents` : "Run"}
        </Button>
      </DialogFooter>
    </form>
  );
}

function HaltNotice({ name, onClear, pending, error }: { name: string; onClear: () => void; pending: boolean; error: string | null }) {
  return (
    <div role="alert" className="my-1 rounded-lg bg-busy/12 px-3 py-2 text-sm">
      <p>
        <span className="font-medium text-busy">Halted.</span> {name} has a halt marker from an earlier run; a run will not start until it
        is cleared.
      </p>
      <Button size="sm" className="mt-2" onClick={onClear} disabled={pending} aria-label={`Clear the halt in ${name}`}>
        {pending && <Spinner className="size-4" />}
        Clear halt
      </Button>
      {error && <FormError className="mt-2">{error}</FormError>}
    </div>
  );
}

/** Saves the sheet's configuration as a playbook, to start again later in one tap. */
function SaveAsPlaybook({ agentId, config }: { agentId: string; config: RunConfig }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.playbooks.create.mutationOptions({
      onSuccess: (pb) => {
        void queryClient.invalidateQueries(trpc.playbooks.pathFilter());
        toast(`Saved the playbook “${pb.name}”.`);
        setOpen(false);
        setName("");
      },
    }),
  );
  return (
    <div className="border-t border-border pt-3">
      <button
        type="button"
        className="min-h-11 text-[15px] font-medium text-accent"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        Save as playbook
      </button>
      {open && (
        <div className="mt-1 flex items-end gap-2">
          <div className="min-w-0 flex-1">
            <Label htmlFor={id}>Playbook name</Label>
            <Input id={id} value={name} onChange={(e) => setName(e.target.value)} placeholder="Nightly cleanup" maxLength={80} />
          </div>
          <Button
            onClick={() => create.mutate({ agentId, name, config })}
            disabled={!name.trim() || create.isPending}
            aria-busy={create.isPending || undefined}
          >
            Save playbook
          </Button>
        </div>
      )}
      {create.error && (
        <FormError className="mt-2" hint={readError(create.error).hint}>
          {readError(create.error).message}
        </FormError>
      )}
    </div>
  );
}
