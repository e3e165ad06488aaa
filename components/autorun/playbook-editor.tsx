"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { DEFAULT_RUN_OPTIONS, moveItem } from "@/lib/autorun/direct-run";
import type { RunConfig } from "@/lib/autorun/run-config";
import { useTRPC } from "@/lib/trpc/client";
import { IconArrowUp, IconChevronDown, IconPlus, IconTrash } from "../ui/icons";
import { readError } from "../ui/trpc-error";
import type { RouterOutputs } from "../ui/trpc-types";
import { Button } from "../ui/button";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { FormError, Hint, Input, Label, Select } from "../ui/field";
import { ResetOnCompletion, RunOptionsFields } from "./run-options";

export type Playbook = RouterOutputs["playbooks"]["list"][number];

const EMPTY: RunConfig = { ...DEFAULT_RUN_OPTIONS, documents: [{ filename: "", resetOnCompletion: false }] };

/** Create or edit a playbook: agent, documents in order with reset flags, and the run options (shared with the Run sheet). */
export function PlaybookEditor({ open, onClose, playbook }: { open: boolean; onClose: () => void; playbook: Playbook | null }) {
  return (
    <Dialog open={open} onClose={onClose} title={playbook ? "Edit playbook" : "New playbook"} size="lg">
      {open && <EditorForm key={playbook?.id ?? "new"} playbook={playbook} onDone={onClose} />}
    </Dialog>
  );
}

function EditorForm({ playbook, onDone }: { playbook: Playbook | null; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const agents = useQuery(trpc.agents.list.queryOptions());
  const [name, setName] = useState(playbook?.name ?? "");
  const [agentId, setAgentId] = useState(playbook?.agentId ?? "");
  const [config, setConfig] = useState<RunConfig>(playbook?.config ?? EMPTY);
  const ids = { name: useId(), agent: useId() };
  const chosenAgent = agentId || agents.data?.[0]?.id || "";
  // The agent's documents, offered as suggestions (a name can still be typed for a file to come).
  const documents = useQuery({ ...trpc.documents.list.queryOptions({ agentId: chosenAgent }), enabled: !!chosenAgent });
  const docListId = useId();
  const done = {
    onSuccess: () => {
      void queryClient.invalidateQueries(trpc.playbooks.pathFilter());
      onDone();
    },
  };
  const create = useMutation(trpc.playbooks.create.mutationOptions(done));
  const update = useMutation(trpc.playbooks.update.mutationOptions(done));
  const error = create.error ?? update.error;
  const set = (patch: Partial<RunConfig>) => setConfig((c) => ({ ...c, ...patch }));
  const setDoc = (i: number, patch: Partial<RunConfig["documents"][number]>) =>
    set({ documents: config.documents.map((d, j) => (j === i ? { ...d, ...patch } : d)) });
  const move = (i: number, by: number) => set({ documents: moveItem(config.documents, i, by) });

  function submit(e: FormEvent) {
    e.preventDefault();
    const clean = { ...config, documents: config.documents.filter((d) => d.filename.trim()) };
    if (playbook) update.mutate({ id: playbook.id, name, config: clean });
    else create.mutate({ agentId: chosenAgent, name, config: clean });
  }

  return (
    <form onSubmit={submit} className="flex min-h-0 flex-1 flex-col">
      <DialogBody className="space-y-4">
        <div>
          <Label htmlFor={ids.name}>Name</Label>
          <Input
            id={ids.name}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Nightly cleanup"
            required
            maxLength={80}
          />
        </div>
        {!playbook && (
          <div>
            <Label htmlFor={ids.agent}>Agent</Label>
            <Select id={ids.agent} value={chosenAgent} onChange={(e) => setAgentId(e.target.value)}>
              {(agents.data ?? []).map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </Select>
          </div>
        )}
        <fieldset>
          <legend className="mb-1.5 text-sm font-medium">Documents, in order</legend>
          <Hint className="mt-0 mb-2">File names in the agent&apos;s Auto Run folder (default &lt;project&gt;/.maestro/playbooks/).</Hint>
          <datalist id={docListId}>
            {documents.data?.documents.map((doc) => (
              <option key={doc.path} value={doc.path} />
            ))}
          </datalist>
          <ol className="space-y-2">
            {config.documents.map((d, i) => (
              <li key={i} className="rounded-xl border border-border p-2">
                <div className="flex items-center gap-1.5">
                  <Input
                    aria-label={`Document ${i + 1} file`}
                    list={docListId}
                    value={d.filename}
                    onChange={(e) => setDoc(i, { filename: e.target.value })}
                    placeholder="plan.md"
                    className="min-w-0 flex-1"
                  />
                  <Button
                    size="icon-sm"
                    variant="ghost"
                    aria-label={`Move document ${i + 1} up`}
                    disabled={i === 0}
                    onClick={() => move(i, -1)}
                  >
                    <IconArrowUp />
                  </Button>
                  <Button
                    size="icon-sm"
                    variant="ghost"
                    aria-label={`Move document ${i + 1} down`}
                    disabled={i === config.documents.length - 1}
                    onClick={() => move(i, 1)}
                  >
                    <IconChevronDown />
                  </Button>
                  <Button
                    size="icon-sm"
                    variant="danger-ghost"
                    aria-label={`Remove document ${i + 1}`}
                    disabled={config.documents.length === 1}
                    onClick={() => set({ documents: config.documents.filter((_, j) => j !== i) })}
                  >
                    <IconTrash />
                  </Button>
                </div>
                <div className="mt-1">
                  <ResetOnCompletion checked={d.resetOnCompletion} onChange={(v) => setDoc(i, { resetOnCompletion: v })} />
                </div>
              </li>
            ))}
          </ol>
          <Button
            size="sm"
            variant="ghost"
            className="mt-1"
            onClick={() => set({ documents: [...config.documents, { filename: "", resetOnCompletion: false }] })}
          >
            <IconPlus /> Add document
          </Button>
        </fieldset>
        <RunOptionsFields
          value={config}
          onChange={set}
          worktree={{ agentId: chosenAgent, playbookName: name, documentName: config.documents[0]?.filename ?? "" }}
        />
        {error && <FormError hint={readError(error).hint}>{readError(error).message}</FormError>}
      </DialogBody>
      <DialogFooter>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" disabled={create.isPending || update.isPending || !chosenAgent}>
          {playbook ? "Save changes" : "Save playbook"}
        </Button>
      </DialogFooter>
    </form>
  );
}
