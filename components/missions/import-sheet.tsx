"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { useAgents } from "../agents/use-agents";
import { Button } from "../ui/button";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { Field, FormError, Select } from "../ui/field";
import { readError } from "../ui/trpc-error";

/** "Import from .maestro/": every mission the project's `.maestro/missions/` holds that is not here yet. */
export function ImportSheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const agents = useAgents();
  const list = agents.data ?? [];
  const [agent, setAgent] = useState("");
  const run = useMutation(
    trpc.missions.importDisk.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries(trpc.missions.list.queryFilter()),
    }),
  );
  useEffect(() => {
    if (open) run.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a fresh result each time the sheet opens; `run` is a new object every render
  }, [open]);
  const agentId = agent && list.some((a) => a.id === agent) ? agent : (list[0]?.id ?? "");
  const result = run.data;
  const err = run.error ? readError(run.error) : null;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Import from .maestro/"
      description="Missions, handoffs and memory the maestro CLI (or another Maestro) wrote in a project's .maestro/ folder."
    >
      <DialogBody className="space-y-4">
        <Field label="Project">
          {(c) => (
            <Select {...c} value={agentId} onChange={(e) => setAgent(e.target.value)}>
              {list.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} — {a.folder}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {result && (
          <div role="status" className="rounded-xl border border-border bg-bg p-3.5 text-[15px]">
            <p className="font-medium">
              {result.imported.length === 0
                ? "Nothing new to import."
                : `Imported ${result.imported.length} ${result.imported.length === 1 ? "mission" : "missions"}: ${result.imported.join(", ")}`}
            </p>
            {result.skipped.length > 0 && (
              <ul className="mt-2 space-y-1 text-sm text-muted">
                {result.skipped.map((s) => (
                  <li key={s.refId}>
                    <span className="font-mono">{s.refId}</span>: {s.reason}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        {err && <FormError hint={err.hint}>{err.message}</FormError>}
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>{result ? "Done" : "Cancel"}</Button>
        <Button variant="primary" disabled={!agentId || run.isPending} onClick={() => run.mutate({ agentId })}>
          {run.isPending ? "Importing…" : "Import"}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
